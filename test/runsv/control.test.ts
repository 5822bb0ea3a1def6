// Every control byte, control/X scripts, and bytes that mean nothing.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { procStat, procStatus, tempDir, waitFor } from '../helpers/proc';
import { control, makeService, observe, readLines, startRunsv, waitStatus } from './runsv-helpers';

// A run script that logs every signal it gets into ./sigs and its pid into ./started.
const TRAPPER = `
echo $$ >> started
for s in HUP ALRM INT QUIT USR1 USR2 CONT; do trap "echo $s >> sigs" $s; done
trap 'echo TERM >> sigs; exit 0' TERM
while :; do sleep 0.05; done`;

t.test('h a i q 1 2 send their signals; unknown bytes are ignored; several bytes run in order', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: TRAPPER });
  startRunsv(t, dir);
  const first = await waitStatus(dir, (o) => o.state === 1, 'run');
  await waitFor(() => existsSync(path.join(dir, 'started')), 'script started');
  control(dir, 'h\nzZ?a');
  await waitFor(() => readLines(path.join(dir, 'sigs')).length >= 2, 'two signals');
  control(dir, 'i');
  await waitFor(() => readLines(path.join(dir, 'sigs')).length >= 3, 'INT');
  control(dir, 'q');
  await waitFor(() => readLines(path.join(dir, 'sigs')).length >= 4, 'QUIT');
  control(dir, '1');
  await waitFor(() => readLines(path.join(dir, 'sigs')).length >= 5, 'USR1');
  control(dir, '2');
  await waitFor(() => readLines(path.join(dir, 'sigs')).length >= 6, 'USR2');
  t.same(readLines(path.join(dir, 'sigs')), ['HUP', 'ALRM', 'INT', 'QUIT', 'USR1', 'USR2']);
  t.equal(observe(dir)!.pid, first.pid, 'still the same process');
  t.equal(observe(dir)!.stat, 'run\n');
});

t.test('p and c pause and continue; the flag is published', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000' });
  startRunsv(t, dir);
  const o = await waitStatus(dir, (o) => o.state === 1, 'run');
  control(dir, 'p');
  await waitStatus(dir, (o) => o.paused, 'paused');
  t.equal(observe(dir)!.stat, 'run, paused\n');
  await waitFor(() => procStat(o.pid).state === 'T', 'process stopped');
  control(dir, 'c');
  await waitStatus(dir, (o) => !o.paused, 'continued');
  await waitFor(() => procStat(o.pid).state === 'S', 'process running');
  t.equal(observe(dir)!.stat, 'run\n');
});

t.test('d stops (TERM then CONT), u starts, o runs once, t restarts, k kills', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: TRAPPER });
  startRunsv(t, dir);
  const first = await waitStatus(dir, (o) => o.state === 1, 'run');
  await waitFor(() => readLines(path.join(dir, 'started')).length === 1, 'started');
  control(dir, 'd');
  const down = await waitStatus(dir, (o) => o.state === 0, 'down');
  t.equal(down.want, 'd');
  t.equal(down.stat, 'down\n');
  t.equal(down.pidFile, '');
  t.same(readLines(path.join(dir, 'sigs')).slice(0, 1), ['TERM'], 'TERM first (the shell may see CONT too)');

  control(dir, 'u');
  const up = await waitStatus(dir, (o) => o.state === 1 && o.pid !== first.pid, 'up again');
  t.equal(up.want, 'u');

  control(dir, 't');
  const restarted = await waitStatus(dir, (o) => o.state === 1 && o.pid !== up.pid, 'restarted by t', 30000);
  t.equal(restarted.want, 'u');

  control(dir, 'k');
  const afterKill = await waitStatus(dir, (o) => o.state === 1 && o.pid !== restarted.pid, 'restarted after k', 30000);
  t.ok(afterKill.pid > 0);

  control(dir, 'o');
  await waitStatus(dir, (o) => o.want === 'd' && o.state === 1, 'once: want down, still running');
  t.equal(observe(dir)!.stat, 'run, want down\n');
  control(dir, 't');
  await waitStatus(dir, (o) => o.state === 0, 'once: down after exit, not restarted');
  control(dir, 'o');
  await waitStatus(dir, (o) => o.state === 1, 'o starts a down service once');
});

t.test('TERM on a paused service stays pending until c (want up); d delivers TERM+CONT', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000' });
  startRunsv(t, dir);
  const o = await waitStatus(dir, (o) => o.state === 1, 'run');
  // p, then t once the stop has taken effect: with both pending at once the kernel
  // delivers the lower-numbered TERM first (runit's runsv shows the same race)
  control(dir, 'p');
  await waitFor(() => procStat(o.pid).state === 'T', 'stopped by p');
  control(dir, 't');
  await waitStatus(dir, (x) => x.paused && x.termSent, 'paused, got TERM');
  t.equal(observe(dir)!.stat, 'run, paused, got TERM\n');
  t.equal(procStat(o.pid).state, 'T', 'still stopped');
  control(dir, 'c');
  const again = await waitStatus(dir, (x) => x.state === 1 && x.pid !== o.pid, 'restarted after c', 30000);
  control(dir, 'pd');
  await waitStatus(dir, (x) => x.state === 0, 'down although paused');
  t.equal(observe(dir)!.paused, true, 'the paused flag stays while down');
  t.equal(observe(dir)!.stat, 'down, paused\n');
  void again;
});

t.test('control/X scripts: t handles TERM, d runs after, u before every start, failing h still signals', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', {
    run: TRAPPER,
    control: {
      t: 'echo t >> ../ctl; exit 0',
      d: 'echo d >> ../ctl; exit 0',
      u: 'echo u >> ../ctl; exit 0',
      h: 'echo h >> ../ctl; exit 1',
      // exec: the shell itself blocks signals around its own children
      a: 'exec sed -n "s/^SigBlk:\\t//p" /proc/self/status >> ../ctl-mask',
      '1': 'echo 1 >> ../ctl; exit 0',
    },
  });
  // control scripts run in the service folder; write the log beside it
  const ctl = path.join(root, 'ctl');
  startRunsv(t, dir);
  const o = await waitStatus(dir, (o) => o.state === 1, 'run');
  await waitFor(() => readLines(ctl).includes('u'), 'control/u before the first start');
  await waitFor(() => existsSync(path.join(dir, 'started')), 'run started');
  control(dir, 'h');
  await waitFor(() => readLines(path.join(dir, 'sigs')).includes('HUP'), 'HUP still sent (control/h exited 1)');
  control(dir, 'a');
  // the shell creates the file before sed has written to it
  await waitFor(() => existsSync(path.join(root, 'ctl-mask')) && readFileSync(path.join(root, 'ctl-mask'), 'utf8').endsWith('\n'), 'control/a ran');
  t.equal(readFileSync(path.join(root, 'ctl-mask'), 'utf8').trim(), '0000000000014000', 'control scripts run with TERM and CHLD blocked');
  control(dir, '1');
  await waitFor(() => readLines(ctl).includes('1'), 'control/1 ran');
  control(dir, 'd');
  await waitFor(() => readLines(ctl).includes('d'), 'control/d ran');
  // control/t exited 0: no TERM was sent, so the process keeps running, want down
  const o2 = await waitStatus(dir, (x) => x.want === 'd', 'want down');
  t.equal(o2.state, 1, 'still running');
  t.equal(o2.pid, o.pid);
  t.equal(o2.stat, 'run, want down\n');
  t.notOk(readLines(path.join(dir, 'sigs')).includes('USR1'), 'control/1 exit 0 suppressed USR1');
  t.notOk(readLines(path.join(dir, 'sigs')).includes('ALRM'), 'control/a exit 0 suppressed ALRM');
  t.notOk(readLines(path.join(dir, 'sigs')).includes('TERM'), 'control/t exit 0 suppressed TERM');
  t.same(readLines(ctl), ['u', 'h', '1', 't', 'd'], 'scripts in runsv order');
  void procStatus;
});

t.test('the log service: its own control FIFO; x there is ignored', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000', log: { run: 'exec cat > out' } });
  startRunsv(t, dir);
  const logDir = path.join(dir, 'log');
  const l1 = await waitStatus(logDir, (o) => o.state === 1, 'log run');
  control(logDir, 'x');
  control(logDir, 'd');
  await waitStatus(logDir, (o) => o.state === 0, 'log down');
  t.equal(observe(logDir)!.want, 'd');
  t.equal(observe(dir)!.state, 1, 'main untouched');
  control(logDir, 'u');
  const l2 = await waitStatus(logDir, (o) => o.state === 1, 'log up again');
  t.not(l2.pid, l1.pid);
});
