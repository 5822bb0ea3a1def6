'use strict';
// npm's preinstall for runitd: puts the native part (the addon and the native
// executables, chpst ...) in place, prebuilt when one fits this machine, else
// compiled from native/ with node-gyp (g++, make and python3 needed then).
//
// Preinstall, not install: npm links the package's bins between the two and skips
// a bin whose file is missing, and `chpst` is one of them.
//
// A development tree (a git checkout: `npm ci` there) always compiles: its
// sources may be newer than any prebuild lying around. So does
// `npm install --build-from-source`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const release = path.join(root, 'build', 'Release');

function say(line) {
  process.stderr.write(`runitd: ${line}\n`);
}

function fromSource(why) {
  say(`building the native part from source (${why})`);
  // npm puts its own node-gyp on a lifecycle script's PATH
  const r = spawnSync('node-gyp', ['rebuild'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    say(r.error ? `cannot run node-gyp: ${r.error.message}` : 'node-gyp rebuild failed: a compiler (g++), make and python3 are needed to build from source');
    process.exit(r.status || 1);
  }
}

/** Why the prebuilt files cannot serve here, or null when they are in place and work. */
function usePrebuilt() {
  if (!fs.existsSync(path.join(root, 'prebuilds'))) return 'no prebuilds in this package';
  let addon;
  try {
    // the very choice lib/native.ts makes at run time (platform, arch, libc, armv);
    // build/ is gone, so only prebuilds/ can answer
    addon = require('node-gyp-build').resolve(root);
  } catch (err) {
    return `no prebuilt binary for ${process.platform}-${process.arch}: ${err.message.split('\n')[0]}`;
  }
  try {
    require(addon);
  } catch (err) {
    // e.g. a C library older than the one it was built against
    return `the prebuilt addon does not load here: ${err.message.split('\n')[0]}`;
  }
  const dir = path.dirname(addon);
  const executables = fs.readdirSync(dir).filter((f) => !f.endsWith('.node'));
  fs.mkdirSync(release, { recursive: true });
  for (const exe of executables) {
    fs.copyFileSync(path.join(dir, exe), path.join(release, exe));
    fs.chmodSync(path.join(release, exe), 0o755);
  }
  // chpst stands for all of them (same compiler, flags and libraries); it only
  // prints its usage (exit 100) when given nothing to run
  const probe = spawnSync(path.join(release, 'chpst'), [], { stdio: 'ignore' });
  if (probe.status !== 100) return `the prebuilt chpst does not run here (${probe.error?.message ?? `exit ${probe.status ?? probe.signal}`})`;
  say(`using the prebuilt native part in ${path.relative(root, dir)}`);
  return null;
}

/**
 * bin/chpst (the target of chpst and its names in package.json) is a symlink in git,
 * and npm pack drops symlinks: make it again, pointing at the native program.
 */
function linkBins() {
  const bins = require(path.join(root, 'package.json')).bin ?? {};
  for (const target of new Set(Object.values(bins))) {
    const p = path.join(root, target);
    if (path.dirname(target) !== 'bin' || fs.existsSync(p)) continue;
    const exe = path.join(release, path.basename(target));
    if (fs.existsSync(exe)) fs.symlinkSync(path.relative(path.dirname(p), exe), p);
  }
}

function main() {
  const devTree = fs.existsSync(path.join(root, '.git')) || fs.existsSync(path.join(root, 'lib', 'native.ts'));
  const forced = process.env.npm_config_build_from_source === 'true';
  if (devTree || forced) {
    fromSource(devTree ? 'a development tree' : '--build-from-source');
  } else {
    // whatever an earlier install left: the prebuilt choice must be the only one
    fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
    const why = usePrebuilt();
    if (why) {
      fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
      fromSource(why);
    }
  }
  linkBins();
}

main();
