// ./finish, ./down, the restart throttle, exit with a log service, signals to
// runsv, the log pipe, and what the children get.
import t from 'tap';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { alive, openFds, procStatus, tempDir, waitFor } from '../helpers/proc';
import { control, makeService, observe, readLines, startRunsv, waitStatus } from './runsv-helpers';

t.test('./finish gets runit\'s two arguments; state finish is visible', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', {
    run: 'n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; case $n in 0) exit 3;; 1) exec sleep 1000;; *) exec sleep 1000;; esac',
    finish: 'echo "$1 $2" >> args; exec sleep 0.5',
  });
  startRunsv(t, dir);
  await waitFor(() => readLines(path.join(dir, 'args')).length === 1, 'first finish');
  const fin = await waitStatus(dir, (o) => o.state === 1 && readLines(path.join(dir, 'n'))[0] === '2', 'second run');
  t.equal(readLines(path.join(dir, 'args'))[0], '3 0', 'exit 3 -> "3 0"');
  process.kill(fin.pid, 'SIGTERM');
  // runsv too publishes `finish` with no pid for a moment, between the reap and the start of ./finish
  const f = await waitStatus(dir, (o) => o.state === 2 && o.pid > 0, 'finish state with its process');
  t.equal(f.stat, 'finish\n');
  t.ok(f.pid > 0 && f.pid !== fin.pid, 'pid is the finish process');
  await waitFor(() => readLines(path.join(dir, 'args')).length === 2, 'second finish');
  t.equal(readLines(path.join(dir, 'args'))[1], '-1 15', 'killed by TERM -> "-1 15"');
});

t.test('./down: want down at start, nothing started; u starts it', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000', down: true });
  startRunsv(t, dir);
  const o = await waitStatus(dir, () => true, 'status written');
  t.equal(o.state, 0);
  t.equal(o.want, 'd');
  t.equal(o.stat, 'down\n');
  control(dir, 'u');
  await waitStatus(dir, (x) => x.state === 1 && x.pid > 0, 'started by u');
});

t.test('throttle: a crash loop restarts about once a second; d and x during it are acted on', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'echo x >> starts; exit 1' });
  const rs = startRunsv(t, dir);
  await waitFor(() => readLines(path.join(dir, 'starts')).length >= 3, 'three starts', 20000);
  const t0 = Date.now();
  const n0 = readLines(path.join(dir, 'starts')).length;
  await waitFor(() => readLines(path.join(dir, 'starts')).length >= n0 + 2, 'two more starts', 20000);
  t.ok(Date.now() - t0 >= 1000, 'two restarts take at least a second (throttled)');
  // Right after a start the service is in its one-second pause: d must not be lost.
  const before = readLines(path.join(dir, 'starts')).length;
  await waitFor(() => readLines(path.join(dir, 'starts')).length > before, 'a fresh start');
  control(dir, 'd');
  await waitStatus(dir, (o) => o.want === 'd' && o.state === 0, 'want down published at once');
  const settled = readLines(path.join(dir, 'starts')).length;
  // Then `u` and at once `x`: both are processed, and runsv exits.
  control(dir, 'x');
  t.same(await rs.exited, { code: 0, signal: null }, 'x during the throttle makes runsv exit');
  t.equal(readLines(path.join(dir, 'starts')).length, settled, 'no start after d');
});

t.test('x with a log service: main stops, the logger gets EOF and drains, runsv exits 0', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', {
    run: 'i=0; while [ $i -lt 500 ]; do echo line$i; i=$((i+1)); done; exec sleep 1000',
    log: { run: 'exec cat > out' },
  });
  const rs = startRunsv(t, dir);
  const logDir = path.join(dir, 'log');
  await waitFor(() => readLines(path.join(logDir, 'out')).length === 500, 'all lines logged');
  // the logger may write everything before its status files are on disk
  const logPid = (await waitStatus(logDir, (o) => o.state === 1 && o.pid > 0, 'the logger in the status')).pid;
  control(dir, 'x');
  t.same(await rs.exited, { code: 0, signal: null });
  t.notOk(alive(logPid), 'the logger exited (EOF)');
  t.equal(observe(logDir)!.want, 'd');
  t.equal(observe(dir)!.state, 0);
});

t.test('no line is lost while the log service is restarted', async (t) => {
  const root = tempDir(t);
  const N = 20000;
  const dir = makeService(root, 's', {
    run: `i=0; while [ $i -lt ${N} ]; do echo $i; i=$((i+1)); done; exec sleep 1000`,
    // a logger that stops between lines on TERM, as svlogd does (cat would drop
    // what it had read but not yet written: that loss would be the logger's)
    log: { run: 'trap "stop=1" TERM\nwhile [ -z "$stop" ] && IFS= read -r l; do printf "%s\\n" "$l" >> out; done' },
  });
  startRunsv(t, dir);
  const logDir = path.join(dir, 'log');
  for (let k = 0; k < 5; k++) {
    await waitStatus(logDir, (o) => o.state === 1, 'log running');
    control(logDir, 'd');
    await waitStatus(logDir, (o) => o.state === 0, 'log down');
    control(logDir, 'u');
  }
  await waitFor(() => readLines(path.join(logDir, 'out')).length >= N, 'all lines', 60000);
  const lines = readLines(path.join(logDir, 'out'));
  t.equal(lines.length, N, 'exactly N lines');
  t.ok(lines.every((l, i) => l === String(i)), 'each once, in order');
});

t.test('SIGTERM to runsv stops the service and exits 0; HUP is ignored', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000' });
  const rs = startRunsv(t, dir);
  const o = await waitStatus(dir, (x) => x.state === 1, 'run');
  for (const sig of ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const) process.kill(rs.pid, sig);
  // a control byte round trip proves runsv handled the signals before it
  control(dir, 'p');
  await waitStatus(dir, (x) => x.paused, 'paused');
  t.equal(rs.proc.exitCode, null, 'runsv survived HUP, QUIT, USR1, USR2, ALRM');
  t.ok(alive(o.pid), 'the service is still supervised');
  process.kill(rs.pid, 'SIGTERM');
  t.same(await rs.exited, { code: 0, signal: null });
  t.notOk(alive(o.pid), 'the service was stopped');
  t.equal(observe(dir)!.stat, 'down, paused\n');
});

t.test('children start clean: no ignored/blocked signals, fds 0-2 only, stdout is the log FIFO', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000', log: { run: 'exec sleep 1000' } });
  startRunsv(t, dir);
  const main = await waitStatus(dir, (o) => o.state === 1, 'run');
  const log = await waitStatus(path.join(dir, 'log'), (o) => o.state === 1, 'log run');
  for (const pid of [main.pid, log.pid]) {
    const st = procStatus(pid);
    t.equal(st.SigIgn, '0000000000000000');
    t.equal(st.SigBlk, '0000000000000000');
    // sleep may hold its locale file for a moment while starting; a leak would stay
    await waitFor(() => openFds(pid).length <= 3, 'sleep settled').catch(() => undefined);
    t.same(openFds(pid), [0, 1, 2]);
  }
  const mainOut = readdirSync(`/proc/${main.pid}/fd`).length && readLinkFd(main.pid, 1);
  const logIn = readLinkFd(log.pid, 0);
  t.equal(mainOut, path.join(realpathSync(dir), 'supervise', 'logpipe'), 'stdout is the FIFO supervise/logpipe');
  t.equal(mainOut, logIn, "./run's stdout is log/run's stdin");
  // read-write: the FIFO keeps a reader while the service lives, so no SIGPIPE without the daemon
  t.match(readFileSync(`/proc/${main.pid}/fdinfo/1`, 'utf8'), /^flags:\s+\d*2$/m, 'stdout opened O_RDWR');
  t.match(readFileSync(`/proc/${log.pid}/fdinfo/0`, 'utf8'), /^flags:\s+\d*0$/m, 'the logger reads it O_RDONLY');
  t.equal(readFileSync(`/proc/${log.pid}/cwd/run`, 'utf8').includes('sleep'), true, 'log/run runs in log/');
  t.notOk(existsSync(`/proc/${main.pid}/environ`) && readFileSync(`/proc/${main.pid}/environ`, 'utf8').includes('RUNITD_'), 'no RUNITD_ variables leak');
});

function readLinkFd(pid: number, fd: number): string {
  return require('node:fs').readlinkSync(`/proc/${pid}/fd/${fd}`);
}
