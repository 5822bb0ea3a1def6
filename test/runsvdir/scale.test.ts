// 1000 services in one daemon: all up, sv status answered for every one, the fd
// limit raised for the daemon and given back to the services, a clean stop.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { alive, procLimit, tempDir, waitFor } from '../helpers/proc';
import { referenceBin } from '../helpers/reference';
import { makeService, observe } from '../runsv/runsv-helpers';
import { startRunsvdir } from './runsvdir-helpers';

const N = 1000;

t.test(`${N} services`, async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  for (let i = 0; i < N; i++) makeService(sv, `s${String(i).padStart(4, '0')}`, { run: 'exec sleep 1000' });
  const t0 = Date.now();
  // the daemon is started with a low soft limit, as from a boot script
  const d = startRunsvdir(t, sv, [], { ...process.env });
  const dirs = readdirSync(sv).map((n) => path.join(sv, n));
  await waitFor(() => dirs.every((dir) => observe(dir)?.state === 1), `all ${N} up`, 120000, 200);
  t.comment(`all ${N} up after ${Date.now() - t0} ms`);
  const daemonNofile = procLimit(d.pid, 'Max open files');
  t.equal(daemonNofile.soft, daemonNofile.hard, 'the daemon raised its soft NOFILE limit to the hard limit');
  const fds = readdirSync(`/proc/${d.pid}/fd`).length;
  t.ok(fds >= N * 4, `the daemon holds ${fds} fds (4 per service: lock, control x2, ok)`);

  const sv1 = referenceBin('sv');
  if (sv1) {
    const t1 = Date.now();
    const { stdout } = await promisify(execFile)(sv1, ['status', ...dirs], { maxBuffer: 1 << 24 });
    const lines = stdout.trim().split('\n');
    t.equal(lines.length, N);
    t.ok(lines.every((l) => /^run: \/.*: \(pid \d+\) \d+s$/.test(l)), 'runit sv reads every service as run');
    t.comment(`runit's sv status over ${N} services: ${Date.now() - t1} ms`);
  }
  const somePid = observe(dirs[0])!.pid;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))![1];
  t.comment(`daemon RSS with ${N} services: ${rss} kB`);

  process.kill(d.pid, 'SIGTERM');
  t.same(await d.exited, { code: 0, signal: null });
  t.notOk(alive(somePid));
  t.ok(dirs.every((dir) => observe(dir)?.state === 0), 'all down');
});

t.test('services get the NOFILE soft limit the daemon was started with', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const s = makeService(sv, 's', { run: 'exec sleep 1000' });
  const { spawn } = await import('node:child_process');
  const { ourBin } = await import('../helpers/reference');
  const { killPid } = await import('../helpers/proc');
  const proc = spawn('/bin/sh', ['-c', 'ulimit -Sn 1024 && exec "$0" "$1"', ourBin('runsvdir'), sv], { stdio: 'ignore' });
  const exited = new Promise((r) => proc.on('exit', r));
  t.teardown(async () => {
    killPid(proc.pid!, 'SIGTERM');
    await exited;
  });
  await waitFor(() => observe(s)?.state === 1, 'up');
  t.equal(procLimit(observe(s)!.pid, 'Max open files').soft, '1024');
  t.not(procLimit(proc.pid!, 'Max open files').soft, '1024', 'the daemon itself raised it');
});
