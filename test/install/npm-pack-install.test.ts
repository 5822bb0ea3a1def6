// The package as a user installs it on a machine without a compiler: the host's
// prebuild (built here if missing or older than native/), `npm run pack`, then
// `npm install -g` of the tarball into a temp prefix with a PATH holding only
// node, npm, sh and coreutils, offline and with an empty npm cache (the runtime
// dependencies are bundled). Then the installed commands run from that PATH: a
// service under the installed runsvdir, driven by the installed sv, its output
// through the in-process svlogd; chpst and its six names as the native program.
import t from 'tap';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';

const PERSONALITIES = ['envdir', 'envuidgid', 'pgrphack', 'setuidgid', 'softlimit', 'setlock'];
// coreutils the launchers, npm's scripts and the test's service use
const COREUTILS = ['env', 'readlink', 'cat', 'sleep', 'id', 'ls', 'mkdir', 'rm', 'chmod', 'ln', 'cp', 'mv', 'dirname', 'basename', 'echo', 'test', 'true', 'uname', 'head', 'tail'];
const ELF = [0x7f, 0x45, 0x4c, 0x46];

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { nativeTargets } = require(path.join(repoRoot, 'scripts', 'native-targets.js')) as { nativeTargets(): { addon: string; executables: string[] } };

/** `cmd`'s file on this machine's PATH (not a shell builtin of the same name). */
function which(cmd: string): string {
  for (const d of (process.env.PATH ?? '').split(':')) {
    const p = path.join(d || '.', cmd);
    if (d.startsWith('/') && existsSync(p)) return p;
  }
  throw new Error(`${cmd} not found on PATH`);
}

/** A folder of links to node, npm, sh and coreutils, and nothing else. */
function minimalBin(dir: string): string {
  const bin = path.join(dir, 'minbin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const c of ['npm', 'sh', ...COREUTILS]) symlinkSync(which(c), path.join(bin, c));
  return bin;
}

t.test('the packed tarball installs without a compiler and runs a service', async (t) => {
  const dir = tempDir(t, 'runitd-install-');
  const arch = os.arch();
  const targets = nativeTargets();

  // the prebuild and the pack, with the machine's full PATH (g++ and all)
  const started = Date.now();
  const pack = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'pack.js'), '--ignore-scripts', '--pack-destination', dir], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300000,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  t.equal(pack.status, 0, 'npm run pack (prebuild if stale, then npm pack)', { stderr: pack.stderr });
  const tgz = path.join(dir, pack.stdout.trim().split('\n').pop() as string);
  t.comment(`${pack.stderr.split('\n').find((l) => l.startsWith('pack: ')) ?? ''} (${Date.now() - started} ms with the prebuild check)`);

  // the tarball: what runs, nothing else
  const list = spawnSync('tar', ['tzf', tgz], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  const prebuilt = list.filter((f) => f.startsWith(`prebuilds/linux-${arch}/`)).map((f) => path.basename(f));
  t.ok(prebuilt.some((f) => f.startsWith(`${targets.addon}.`) && f.endsWith('.node')), `the ${arch} addon is prebuilt`, { prebuilt });
  for (const exe of targets.executables) t.ok(prebuilt.includes(exe), `${exe} (an executable target of binding.gyp) is prebuilt`);
  for (const f of ['LICENSE', 'README.md', 'binding.gyp', 'scripts/install.js', 'dist/cli/runsvdir.js', 'dist/cli/runitd.js', 'bin/sv', 'native/addon.cc', 'native/chpst/main.cc']) t.ok(list.includes(f), `ships ${f}`);
  for (const dep of ['commander', 'node-gyp-build', 'node-addon-api']) t.ok(list.includes(`node_modules/${dep}/package.json`), `bundles ${dep}`);
  const unwanted = list.filter((f) => /^(test|bench|lib|var_service|spec|docs|build|\.tap|\.reference)\/|\.ts$|^tsconfig|^scripts\/(?!install\.js)|^dist\/cli\/demo\.js$/.test(f) && !f.startsWith('node_modules/'));
  t.same(unwanted, [], 'no tests, benchmarks, TypeScript sources, builds or demo');

  // install with no compiler anywhere on PATH, no network, no npm cache
  const minbin = minimalBin(dir);
  for (const tool of ['g++', 'gcc', 'cc', 'make', 'python3', 'node-gyp']) {
    t.not(spawnSync(path.join(minbin, 'sh'), ['-c', `command -v ${tool}`], { env: { PATH: minbin } }).status, 0, `no ${tool} on the install's PATH`);
  }
  const prefix = path.join(dir, 'prefix');
  const installEnv = { PATH: minbin, HOME: path.join(dir, 'home'), npm_config_cache: path.join(dir, 'npm-cache'), npm_config_update_notifier: 'false' };
  const t0 = Date.now();
  const install = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--allow-scripts=runitd', '--foreground-scripts', '--prefix', prefix, tgz], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 180000,
    env: installEnv,
  });
  t.equal(install.status, 0, 'npm install -g of the tarball', { stdout: install.stdout, stderr: install.stderr });
  t.comment(`install: ${Date.now() - t0} ms`);
  t.match(install.stderr + install.stdout, /runitd: using the prebuilt native part in prebuilds/, 'the preinstall took the prebuilt files');

  const bin = path.join(prefix, 'bin');
  const pkg = path.join(prefix, 'lib', 'node_modules', 'runitd');
  const release = path.join(pkg, 'build', 'Release');
  t.notOk(existsSync(path.join(release, 'obj.target')), 'nothing was compiled');
  t.notOk(readdirSync(release).some((f) => f.endsWith('.node')), 'the addon stays in prebuilds/ (node-gyp-build finds it there)');
  for (const exe of targets.executables) {
    t.same(readFileSync(path.join(release, exe)), readFileSync(path.join(pkg, 'prebuilds', `linux-${arch}`, exe)), `build/Release/${exe} is the prebuilt one`);
  }
  const chpst = path.join(release, 'chpst');
  t.same([...readFileSync(chpst).subarray(0, 4)], ELF, 'build/Release/chpst is an ELF executable');
  for (const name of ['chpst', ...PERSONALITIES]) {
    t.equal(realpathSync(path.join(bin, name)), realpathSync(chpst), `${name} on PATH is the native chpst itself`);
  }
  for (const name of ['runsvdir', 'runsv', 'sv', 'svlogd', 'svlog', 'tai64nlocal', 'runitd']) {
    t.equal(realpathSync(path.join(bin, name)), path.join(realpathSync(pkg), 'bin', name), `${name} installed too`);
  }

  // run them from PATH, as a run script would, with an environment of our choosing
  // (what runs as nobody by its full path: nobody cannot enter our temp folder)
  const PATH = `${bin}:${minbin}`;
  const env = { PATH, KEEP: 'kept' };
  const run = (cmd: string, args: string[] = []) => {
    // through env -i: tap adds variables of its own to every child it sees spawned
    const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const r = spawnSync('/usr/bin/env', ['-i', ...pairs, cmd, ...args], { encoding: 'utf8', timeout: 30000, cwd: dir });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  t.same(run('chpst', ['-u', 'nobody', '/usr/bin/id']), { status: 0, stdout: 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', stderr: '' });
  const e = path.join(dir, 'env');
  mkdirSync(e);
  writeFileSync(path.join(e, 'B'), 'x\0y\n');
  t.same(run('envdir', [e, 'env']), { status: 0, stdout: `PATH=${PATH}\nKEEP=kept\nB=x\ny\n`, stderr: '' }, 'envdir: the environment as given plus B, NUL as newline, no PWD');
  t.same(run('envdir'), { status: 100, stdout: '', stderr: 'usage: envdir dir child\n\n' }, 'envdir by its name');
  t.same(run('setuidgid', ['nobody', '/usr/bin/id', '-u']), { status: 0, stdout: '65534\n', stderr: '' });
  t.same(run('softlimit', ['-o', '77', 'sh', '-c', 'ulimit -n']), { status: 0, stdout: '77\n', stderr: '' });
  t.same(run('envuidgid', ['daemon', 'sh', '-c', 'echo $UID $GID']), { status: 0, stdout: '1 1\n', stderr: '' });
  t.same(run('pgrphack'), { status: 100, stdout: '', stderr: 'usage: pgrphack child\n\n' });
  t.same(run('setlock', [path.join(dir, 'lk'), 'echo', 'locked']), { status: 0, stdout: 'locked\n', stderr: '' });
  const version = run('runitd', ['version']);
  t.equal(version.status, 0, 'runitd version');
  t.match(version.stdout, new RegExp(`^runitd \\d+\\.\\d+\\.\\d+.*\\nnative prebuilds/linux-${arch}/\\S+\\.node \\(prebuilt\\)\\n$`, 's'), 'runitd version: the addon is the prebuilt one');

  // a service (through chpst) with an in-process logger, under the installed runsvdir
  const scan = path.join(dir, 'service');
  const svc = path.join(scan, 'hello');
  mkdirSync(path.join(svc, 'log'), { recursive: true });
  writeFileSync(path.join(svc, 'run'), '#!/bin/sh\nexec 2>&1\necho hello from $$\nexec chpst -o 64 sleep 1000\n', { mode: 0o755 });
  writeFileSync(path.join(svc, 'log', 'run'), '#!/bin/sh\nmkdir -p main\nexec svlogd main\n', { mode: 0o755 });
  const checked = run('runitd', ['check', svc]);
  t.same(checked, { status: 0, stdout: '', stderr: '' }, 'runitd check finds nothing to say about it');

  const daemon: ChildProcess = spawn('/usr/bin/env', ['-i', `PATH=${PATH}`, 'runsvdir', '-P', scan], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let daemonStderr = '';
  daemon.stderr?.on('data', (b: Buffer) => (daemonStderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => daemon.on('exit', (code) => resolve(code)));
  const servicePids = new Set<number>();
  t.teardown(async () => {
    // what is still running after a failure: the daemon first (it stops its services), then by pid
    if (daemon.pid && alive(daemon.pid)) {
      killPid(daemon.pid, 'SIGTERM');
      await waitFor(() => !alive(daemon.pid as number), 'runsvdir to exit', 20000).catch(() => killPid(daemon.pid as number));
    }
    for (const pid of servicePids) killPid(pid);
  });

  const sv = (...args: string[]) => run('sv', ['-w', '60', ...args]);
  const status = () => run('sv', ['status', svc]).stdout;
  const up = (await waitFor(() => /^run: \S+: \(pid (\d+)\) \d+s; run: log: /.exec(status()), 'hello and its log to run', 60000, 100)) as RegExpExecArray;
  const pid1 = Number(up[1]);
  servicePids.add(pid1);
  await waitFor(() => readFileSync(`/proc/${pid1}/cmdline`, 'latin1').startsWith('sleep\0'), 'run to exec chpst, then sleep', 30000, 50);
  t.match(readFileSync(`/proc/${pid1}/limits`, 'latin1'), /Max open files\s+64\s/, 'the installed chpst ran in the service (-o 64)');

  const down = sv('down', svc);
  t.equal(down.status, 0, 'sv -w down', { out: down });
  t.match(down.stdout, /^ok: down: /);
  t.match(status(), /^down: \S+: \d+s, normally up; run: log: /, 'status: down');
  t.notOk(alive(pid1), 'the service process is gone');

  const again = sv('up', svc);
  t.equal(again.status, 0, 'sv -w up', { out: again });
  t.match(again.stdout, /^ok: run: /);
  const pid2 = Number((/\(pid (\d+)\)/.exec(status()) ?? [])[1]);
  servicePids.add(pid2);
  t.not(pid2, pid1, 'a new process');

  const current = path.join(svc, 'log', 'main', 'current');
  const logged = await waitFor(() => {
    const text = existsSync(current) ? readFileSync(current, 'utf8') : '';
    return text.split('\n').filter(Boolean).length >= 2 && text;
  }, 'both starts logged', 30000, 100);
  t.equal(logged, `hello from ${pid1}\nhello from ${pid2}\n`, "the service's output went through the in-process svlogd");

  killPid(daemon.pid as number, 'SIGTERM');
  t.equal(await exited, 0, 'runsvdir stops its services on TERM and exits 0', { stderr: daemonStderr });
  await waitFor(() => !alive(pid2), 'the service to be stopped', 20000);
});
