// bin/runsvdir, bin/runsv, bin/svlogd and bin/sv run the one-file bundle
// (scripts/bundle.js) while it is not older than tsc's output, and tsc's output
// otherwise: a bare `tsc` after a change must never leave a stale bundle in use,
// and an installed package (all files of one mtime) runs the bundle. The bundled
// daemon must find its addon and supervise as the unbundled one does.
import t, { Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';

const haveBundles = ['runsvdir', 'runsv', 'svlogd', 'sv'].every((n) => existsSync(path.join(repoRoot, 'dist', `${n}.bundle.js`)));

/** A copy of the package with bin/ and dist/ of our own, so mtimes can be set. */
function stage(t: Test): string {
  const dir = tempDir(t, 'runitd-bundle-');
  for (const p of ['bin', 'dist']) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true, verbatimSymlinks: true });
  mkdirSync(path.join(dir, 'build'));
  symlinkSync(path.join(repoRoot, 'build', 'Release'), path.join(dir, 'build', 'Release'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  cpSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

function setMtime(file: string, when: Date): void {
  utimesSync(file, when, when);
}

/** Starts the staged runsvdir on a folder with one service; returns its pid and the script it runs. */
async function runDaemon(t: Test, root: string): Promise<{ script: string; servicePid: number }> {
  const scan = tempDir(t, 'runitd-bundle-sv-');
  mkdirSync(path.join(scan, 'a'));
  writeFileSync(path.join(scan, 'a', 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  const d = spawn(path.join(root, 'bin', 'runsvdir'), [scan], { stdio: 'ignore' });
  const pid = d.pid ?? 0;
  t.teardown(() => killPid(pid));
  const pidFile = path.join(scan, 'a', 'supervise', 'pid');
  const servicePid = await waitFor(() => {
    try {
      return Number(readFileSync(pidFile, 'utf8')) || 0;
    } catch {
      return 0;
    }
  }, 'the service started', 60000);
  t.teardown(() => killPid(servicePid));
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  const script = argv.find((a) => a.endsWith('.js')) ?? '';
  d.kill('SIGTERM');
  await waitFor(() => !alive(pid), 'the daemon stopped', 60000);
  return { script: path.relative(root, script), servicePid };
}

t.test('a fresh bundle runs; a stale or missing one does not', { skip: haveBundles ? false : 'no bundles (esbuild not installed)' }, async (t) => {
  const root = stage(t);
  const bundle = path.join(root, 'dist', 'runsvdir.bundle.js');
  const built = path.join(root, 'dist', 'cli', 'runsvdir.js');
  // an npm install: every file of one mtime
  const packed = new Date('1985-10-26T08:15:00Z');
  setMtime(bundle, packed);
  setMtime(built, packed);
  const fresh = await runDaemon(t, root);
  t.equal(fresh.script, path.join('dist', 'runsvdir.bundle.js'), 'same mtime: the bundle');
  t.ok(fresh.servicePid > 0, 'the bundled daemon started the service');

  setMtime(built, new Date(packed.getTime() + 60000));
  const stale = await runDaemon(t, root);
  t.equal(stale.script, path.join('dist', 'cli', 'runsvdir.js'), 'tsc output newer than the bundle: tsc output');
});

t.test('bundled sv and svlogd answer as the unbundled ones', { skip: haveBundles ? false : 'no bundles (esbuild not installed)' }, async (t) => {
  const root = stage(t);
  const scratch = tempDir(t, 'runitd-bundle-x-');
  for (const [name, args] of [
    ['sv', ['status', path.join(scratch, 'nothing')]],
    ['svlogd', ['-x']],
  ] as const) {
    const bundled = spawnSync(path.join(root, 'bin', name), [...args], { encoding: 'utf8' });
    const plain = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli', `${name}.js`), ...args], { encoding: 'utf8', env: { ...process.env, RUNITD_ARGV0: name } });
    t.equal(bundled.status, plain.status, `${name}: same exit code (${plain.status})`);
    t.equal(bundled.stdout, plain.stdout, `${name}: same stdout`);
    t.equal(bundled.stderr.replace(/\S*bin\/svlogd/g, 'svlogd'), plain.stderr.replace(/\S*svlogd/g, 'svlogd'), `${name}: same stderr`);
  }
});

t.test("the launcher hands the services the caller's environment and NOFILE soft limit unchanged", async (t) => {
  const scan = tempDir(t, 'runitd-launcher-env-');
  const out = path.join(tempDir(t, 'runitd-launcher-out-'), 'env');
  mkdirSync(path.join(scan, 'a'));
  writeFileSync(path.join(scan, 'a', 'run'), `#!/bin/sh\n{ env; echo "nofile=$(ulimit -Sn)"; } >${out}.new && mv ${out}.new ${out}\nexec sleep 1000\n`, { mode: 0o755 });
  // names the launcher's own variables once had, and its sh's read loop could take
  const mine = { d: 'mine-d', j: 'mine-j', c: 'mine-c', n: 'mine-n', s: 'mine-s', a: 'mine-a', e: 'mine-e', nofile: 'mine-nofile' };
  const d = spawn('/bin/sh', ['-c', 'ulimit -Sn 777 && exec "$0" "$1"', path.join(repoRoot, 'bin', 'runsvdir'), scan], { stdio: 'ignore', env: { ...process.env, ...mine } });
  const pid = d.pid ?? 0;
  t.teardown(() => killPid(pid));
  const text = await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), 'the service wrote its environment', 60000);
  const servicePid = Number(readFileSync(path.join(scan, 'a', 'supervise', 'pid'), 'utf8')) || 0;
  t.teardown(() => killPid(servicePid));
  for (const [k, v] of Object.entries(mine)) t.match(text, new RegExp(`^${k}=${v}$`, 'm'), `${k} as the caller set it`);
  t.notMatch(text, /^_runitd_/m, 'nothing of the launcher');
  t.match(text, /^nofile=777$/m, "the caller's soft limit, not the daemon's raised one");
});
