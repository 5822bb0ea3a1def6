#!/usr/bin/env node
'use strict';
// npm run prebuild [-- --arch x64|arm64|arm ... | --all] [--if-stale]
//
// Builds prebuilds/linux-ARCH/: the addon (by prebuildify, N-API, so one file
// serves every Node >= 20 there) and every executable target of binding.gyp
// (chpst ...), stripped. scripts/install.js uses them at `npm install` instead of
// compiling. Cross builds use Debian's cross compilers (g++-aarch64-linux-gnu,
// g++-arm-linux-gnueabihf); `--all` skips an architecture whose compiler is missing.
//
// The build happens in a copy of the native sources in a temp folder, never in
// build/: prebuildify runs `node-gyp rebuild`, which would first delete the
// checkout's own build while tests or a daemon may be using it. The result
// replaces prebuilds/linux-ARCH/ in one rename.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, nativeTargets, newestNativeSource } = require('./native-targets');

// node's arch name -> toolchain prefix (null: the host's own), ELF e_machine, armv tag
const ARCHES = {
  x64: { prefix: 'x86_64-linux-gnu-', machine: 62 },
  arm64: { prefix: 'aarch64-linux-gnu-', machine: 183 },
  arm: { prefix: 'arm-linux-gnueabihf-', machine: 40, armv: '7' },
};

function usage(msg) {
  process.stderr.write(`${msg ? `prebuild: ${msg}\n` : ''}usage: node scripts/prebuild.js [--arch x64|arm64|arm]... [--all] [--if-stale] [--out DIR]\n`);
  process.exit(100);
}

function parse(argv) {
  const o = { arches: [], all: false, ifStale: false, out: root };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--arch') o.arches.push(argv[++i]);
    else if (a === '--all') o.all = true;
    else if (a === '--if-stale') o.ifStale = true;
    else if (a === '--out') o.out = path.resolve(argv[++i] ?? usage('--out needs a folder'));
    else usage(`unknown argument ${a}`);
  }
  if (o.all) o.arches = Object.keys(ARCHES);
  if (o.arches.length === 0) o.arches = [os.arch()];
  for (const a of o.arches) if (!ARCHES[a]) usage(`unknown arch ${a}`);
  return o;
}

const have = (cmd) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;

/** The compilers for `arch`: the host's own, or Debian's cross toolchain; null if missing. */
function toolchain(arch) {
  if (arch === os.arch()) return { CC: 'gcc', CXX: 'g++', STRIP: 'strip' };
  const p = ARCHES[arch].prefix;
  if (!have(`${p}g++`)) return null;
  return { CC: `${p}gcc`, CXX: `${p}g++`, LINK: `${p}g++`, AR: `${p}ar`, STRIP: `${p}strip` };
}

/** node-gyp: npm's own when run by npm, else the one beside this Node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c) => c && fs.existsSync(c));
  if (!found) throw new Error('node-gyp not found');
  return found;
}

function elfMachine(file) {
  const b = fs.readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46) return -1;
  return b.readUInt16LE(18);
}

function dirFor(out, arch) {
  return path.join(out, 'prebuilds', `linux-${arch}`);
}

/** True when prebuilds/linux-ARCH holds an addon and every executable, newer than the sources. */
function isFresh(out, arch, targets = nativeTargets()) {
  const dir = dirFor(out, arch);
  let files;
  try {
    files = fs.readdirSync(dir);
  } catch {
    return false;
  }
  const addon = files.find((f) => f.endsWith('.node'));
  if (!addon || !targets.executables.every((e) => files.includes(e))) return false;
  return fs.statSync(path.join(dir, addon)).mtimeMs >= newestNativeSource();
}

function build(out, arch, targets) {
  const tools = toolchain(arch);
  if (!tools) return { arch, skipped: `no ${ARCHES[arch].prefix}g++ (apt-get install g++-${ARCHES[arch].prefix.slice(0, -1)})` };
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-prebuild-'));
  try {
    for (const f of ['binding.gyp', 'package.json']) fs.copyFileSync(path.join(root, f), path.join(stage, f));
    fs.cpSync(path.join(root, 'native'), path.join(stage, 'native'), { recursive: true });
    // node-addon-api's headers, node-gyp and prebuildify, as the checkout has them
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'));

    const env = { ...process.env, ...tools, JOBS: process.env.JOBS ?? 'max' };
    // no network for headers: build against the installed Node's, as .ci/run does
    if (!env.npm_config_nodedir && fs.existsSync('/usr/include/node/node_api.h')) env.npm_config_nodedir = '/usr';
    const args = [require.resolve('prebuildify/bin.js'), '--napi', '--strip', '--tag-libc', '--arch', arch, '--platform', 'linux', '--strip-bin', tools.STRIP, '--node-gyp', nodeGyp()];
    if (ARCHES[arch].armv) args.push('--tag-armv');
    const r = spawnSync(process.execPath, args, { cwd: stage, env: { ...env, PREBUILD_ARMV: ARCHES[arch].armv ?? '' }, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error(`prebuildify for ${arch} failed (${r.status ?? r.signal})`);

    const built = dirFor(stage, arch);
    for (const exe of targets.executables) {
      const dest = path.join(built, exe);
      fs.copyFileSync(path.join(stage, 'build', 'Release', exe), dest);
      const s = spawnSync(tools.STRIP, [dest], { stdio: ['ignore', 2, 2] });
      if (s.status !== 0) throw new Error(`${tools.STRIP} ${exe} failed`);
      fs.chmodSync(dest, 0o755);
    }
    // a cross build that silently produced host binaries would install and crash
    for (const f of fs.readdirSync(built)) {
      const m = elfMachine(path.join(built, f));
      if (m !== ARCHES[arch].machine) throw new Error(`${arch}: ${f} is built for ELF machine ${m}, not ${ARCHES[arch].machine}`);
    }

    const dest = dirFor(out, arch);
    const next = `${dest}.new-${process.pid}`;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(built, next, { recursive: true });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(next, dest);
    return { arch, dir: dest, files: fs.readdirSync(dest).map((f) => `${f} ${fs.statSync(path.join(dest, f)).size}`) };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Builds prebuilds/linux-ARCH (only when stale with `ifStale`); prints what it did. Returns false on failure. */
function prebuild(arches, { out = root, all = false, ifStale = false, log = console.log } = {}) {
  const targets = nativeTargets();
  let ok = true;
  for (const arch of arches) {
    if (ifStale && isFresh(out, arch, targets)) {
      log(`prebuild: ${dirFor(out, arch)} is up to date`);
      continue;
    }
    try {
      const r = build(out, arch, targets);
      if (r.skipped) log(`prebuild: ${arch} skipped: ${r.skipped}`);
      else log(`prebuild: ${r.dir}: ${r.files.join(', ')}`);
      // asked for by name, not by --all: a missing toolchain is a failure
      if (r.skipped && !all) ok = false;
    } catch (err) {
      log(`prebuild: ${err.message}`);
      ok = false;
    }
  }
  return ok;
}

if (require.main === module) {
  const o = parse(process.argv.slice(2));
  process.exit(prebuild(o.arches, o) ? 0 : 1);
}
module.exports = { prebuild, isFresh, dirFor, ARCHES };
