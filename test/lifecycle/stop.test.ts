// Stopping (docs/lifecycle.md): down-signal, timeout-kill, timeout-finish.
// The services record the signals they get; the KILL is proven by ./finish's
// arguments ("-1 9"), not by timing. Timing figures are only lower bounds that
// follow from the configured timeouts, plus generous deadlines.
import t from 'tap';
import * as path from 'node:path';
import { alive } from '../helpers/proc';
import { readLines, waitStatus } from '../runsv/runsv-helpers';
import { NOW_MS, addService, readNumbers, startScanDaemon, sv, svJson, svText, waitFor } from './lifecycle-helpers';

const d = startScanDaemon(t);

// Records every signal of interest in ./sigs; `onTerm` says what TERM does. The
// pid is written after the traps are set: the tests wait for it before stopping.
function trapper(onTerm: 'exit' | 'ignore'): string {
  return `
trap 'echo HUP >> sigs; exit 0' HUP
trap 'echo USR1 >> sigs; exit 0' USR1
trap 'echo TERM >> sigs${onTerm === 'exit' ? '; exit 0' : ''}' TERM
echo $$ >> runpids
while :; do sleep 0.05; done`;
}

t.test('down-signal HUP: sv down, sv restart and sv term send HUP instead of TERM', async (t) => {
  const dir = addService(t, d, 'hup', { run: trapper('exit') }, { 'down-signal': 'HUP\n' });
  const first = await waitStatus(dir, (o) => o.state === 1, 'running');
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, 'trap set');

  const down = await sv('-w', '30', 'down', dir);
  t.equal(down.code, 0, 'sv -w down succeeds');
  t.same(readLines(path.join(dir, 'sigs')), ['HUP'], 'down: HUP, no TERM');
  t.notOk(alive(first.pid));

  await sv('-w', '30', 'up', dir);
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 2, 'second run, trap set');
  const second = await waitStatus(dir, (o) => o.state === 1, 'running again');
  const restart = await sv('-w', '30', 'restart', dir);
  t.equal(restart.code, 0, 'sv -w restart succeeds');
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 3, 'third run');
  t.same(readLines(path.join(dir, 'sigs')), ['HUP', 'HUP'], 'restart: HUP');
  t.notOk(alive(second.pid));

  // sv term is the bare `t` byte
  const third = await waitStatus(dir, (o) => o.state === 1 && o.pid !== second.pid, 'third running');
  await sv('term', dir);
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 4, 'restarted after sv term');
  t.same(readLines(path.join(dir, 'sigs')), ['HUP', 'HUP', 'HUP'], 'term: HUP');
  t.notOk(alive(third.pid));
});

t.test('down-signal by SIG name and by number', async (t) => {
  // USR1 is 10 on Linux (x86, arm)
  const named = addService(t, d, 'usr1-name', { run: trapper('exit') }, { 'down-signal': 'SIGUSR1' });
  const numbered = addService(t, d, 'usr1-number', { run: trapper('exit') }, { 'down-signal': ' 10 \n' });
  for (const dir of [named, numbered]) await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, `${dir} trap set`);
  const [a, b] = await Promise.all([sv('-w', '30', 'down', named), sv('-w', '30', 'down', numbered)]);
  t.equal(a.code, 0);
  t.equal(b.code, 0);
  t.same(readLines(path.join(named, 'sigs')), ['USR1'], 'SIGUSR1');
  t.same(readLines(path.join(numbered, 'sigs')), ['USR1'], '10 (white space around it ignored)');
});

t.test('timeout-kill: a service ignoring TERM is killed after the timeout; without the file it stays, got TERM', async (t) => {
  const finish = 'echo "$1 $2" >> finish-args';
  const killed = addService(t, d, 'tk', { run: trapper('ignore'), finish }, { 'timeout-kill': '1500\n' });
  const stays = addService(t, d, 'tk-none', { run: trapper('ignore'), finish });
  for (const dir of [killed, stays]) await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, `${dir} trap set`);
  const k = await waitStatus(killed, (o) => o.state === 1, 'tk running');
  const s = await waitStatus(stays, (o) => o.state === 1, 'tk-none running');

  const sent = Date.now();
  await Promise.all([sv('down', killed), sv('down', stays)]);
  await waitFor(() => readLines(path.join(killed, 'sigs')).includes('TERM'), 'tk got TERM');
  await waitFor(() => readLines(path.join(stays, 'sigs')).includes('TERM'), 'tk-none got TERM');

  const down = await waitStatus(killed, (o) => o.state === 0 || o.state === 2, 'tk stopped (finish or down)', 20000);
  const took = Date.now() - sent;
  t.comment(`timeout-kill 1500: stopped ${took} ms after sv down was called`);
  t.ok(took >= 1400, 'not before the timeout');
  await waitFor(() => readLines(path.join(killed, 'finish-args')).length === 1, './finish ran');
  t.same(readLines(path.join(killed, 'finish-args')), ['-1 9'], 'ended by KILL');
  t.notOk(alive(k.pid), 'the run process is gone');
  await waitStatus(killed, (o) => o.state === 0 && o.want === 'd', 'tk down');
  void down;

  // without the file: runit waits forever. A few seconds stand for forever.
  await waitStatus(stays, (o) => o.termSent && o.want === 'd', 'tk-none: want down, got TERM');
  const termAt = Date.now();
  await waitFor(() => !alive(s.pid) || Date.now() - termAt >= 3000, 'tk-none 3 s after TERM (or its end)', 15000, 100);
  t.ok(alive(s.pid), 'tk-none still running 3 s after TERM');
  const st = await svText(stays);
  t.match(st, /^run: .*\(pid \d+\) \d+s, want down, got TERM$/, `sv status says got TERM (${st})`);
  t.same(readLines(path.join(stays, 'finish-args')), [], 'no ./finish: it never ended');
  t.equal((await svJson(stays)).gotTerm, true, 'json gotTerm');
});

t.test('timeout-finish: a ./finish that hangs is killed after the timeout and the service restarts', async (t) => {
  const dir = addService(
    t,
    d,
    'tf',
    {
      run: `${NOW_MS} >> starts; exit 3`,
      // exec: the pid recorded is the process that hangs
      finish: `echo $$ >> finish-pids; ${NOW_MS} >> finishes; exec sleep 1000`,
    },
    { 'timeout-finish': '1000' },
  );
  const f = await waitStatus(dir, (o) => o.state === 2 && o.pid > 0, 'in finish, with its process');
  t.equal(f.stat, 'finish\n');
  await waitFor(() => readNumbers(path.join(dir, 'starts')).length >= 2, 'started again after the hanging finish', 20000);
  const [finishPid] = readNumbers(path.join(dir, 'finish-pids'));
  t.ok(finishPid > 0);
  await waitFor(() => !alive(finishPid), 'the hanging ./finish was killed', 10000);
  const starts = readNumbers(path.join(dir, 'starts'));
  const finishes = readNumbers(path.join(dir, 'finishes'));
  const gap = starts[1] - finishes[0];
  t.comment(`timeout-finish 1000: second start ${gap} ms after ./finish began, ${starts[1] - starts[0]} ms after the first start`);
  // the first start's stamp precedes ./finish's spawn, so this bound is exact
  t.ok(starts[1] - starts[0] >= 1000, 'the restart waited for the timeout');
  t.ok(gap < 15000, 'and not much longer');
  const down = await sv('-w', '30', 'down', dir);
  t.equal(down.code, 0, 'sv -w down gets it down (the finish of this run is killed too)');
});
