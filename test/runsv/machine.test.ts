// The state table, without processes: each event's changes and steps.
import t from 'tap';
import { DOWN, FINISH, RUN, dueToStart, finishArgs, isCommand, newSlot, onControl, onReaped, Slot } from '../../lib/runsv/machine';

const T0 = { sec: 1000, nsec: 500 };
const slot = (over: Partial<Slot> = {}): Slot => ({ ...newSlot(false, 'up', T0, 0), ...over });
const kinds = (steps: { do: string }[]): string[] => steps.map((s) => s.do);

t.test('u / o start only a down service', async (t) => {
  t.same(kinds(onControl(slot(), 'u')), ['publish', 'start']);
  t.same(kinds(onControl(slot({ state: RUN, pid: 5 }), 'u')), ['publish']);
  const s = slot({ state: RUN, pid: 5 });
  t.same(kinds(onControl(s, 'o')), ['publish']);
  t.equal(s.want, 'down');
  t.same(kinds(onControl(slot({ want: 'down' }), 'o')), ['publish', 'start']);
  t.same(kinds(onControl(slot({ state: FINISH, pid: 6 }), 'u')), ['publish'], 'restart waits for finish');
});

t.test('d / x / t stop only a running service; x is ignored by the log', async (t) => {
  t.same(kinds(onControl(slot({ state: RUN, pid: 5 }), 'd')), ['publish', 'stop']);
  t.same(kinds(onControl(slot({ state: FINISH, pid: 5 }), 'd')), ['publish']);
  t.same(kinds(onControl(slot({ state: RUN, pid: 5 }), 'x')), ['publish', 'stop']);
  const log = { ...newSlot(true, 'up', T0, 0), state: RUN as 0 | 1 | 2, pid: 7 };
  t.same(onControl(log, 'x'), []);
  t.equal(log.want, 'up');
  t.same(kinds(onControl(slot({ state: RUN, pid: 5 }), 't')), ['stop']);
  t.same(onControl(slot(), 't'), []);
  const throttled = slot({ startRequested: true });
  onControl(throttled, 'd');
  t.equal(throttled.startRequested, false, 'd cancels a start waiting for the throttle');
});

t.test('k kills a running service and marks every state down (the finish quirk)', async (t) => {
  const r = slot({ state: RUN, pid: 5 });
  t.same(onControl(r, 'k'), [{ do: 'signal', sig: 'SIGKILL', letter: 'k' }]);
  t.equal(r.state, DOWN);
  t.equal(r.pid, 5, 'pid kept until the reap');
  const f = slot({ state: FINISH, pid: 6 });
  t.same(onControl(f, 'k'), [], 'no signal during finish');
  t.equal(f.state, DOWN);
  // when that finish process is reaped, runsv no longer knows it was ./finish
  t.same(kinds(onReaped(f, 0, true, T0, 10)), ['publish']);
  t.equal(f.state, FINISH, './finish runs a second time');
});

t.test('p / c set the flag in any state, signal only when running', async (t) => {
  const d = slot();
  t.same(kinds(onControl(d, 'p')), ['publish']);
  t.equal(d.paused, true);
  const r = slot({ state: RUN, pid: 5 });
  t.same(onControl(r, 'p'), [{ do: 'signal', sig: 'SIGSTOP', letter: 'p' }, { do: 'publish' }]);
  t.same(onControl(r, 'c'), [{ do: 'signal', sig: 'SIGCONT', letter: 'c' }, { do: 'publish' }]);
  t.equal(r.paused, false);
  for (const [c, sig] of [['h', 'SIGHUP'], ['a', 'SIGALRM'], ['i', 'SIGINT'], ['q', 'SIGQUIT'], ['1', 'SIGUSR1'], ['2', 'SIGUSR2']]) {
    t.same(onControl(slot({ state: RUN, pid: 5 }), c), [{ do: 'signal', sig, letter: c }]);
    t.same(onControl(slot(), c), [], `${c} ignored when down`);
  }
  t.same(onControl(slot({ state: RUN, pid: 5 }), 'z'), []);
});

t.test('reaping: finish when usable, else down with the one-second throttle', async (t) => {
  const r = slot({ state: RUN, pid: 5, startedMs: 0, termSent: true });
  onReaped(r, 3 << 8, true, { sec: 2000, nsec: 500 }, 100);
  t.match(r, { state: FINISH, pid: 0, termSent: false, wstat: 3 << 8 });
  t.same(r.time, T0, 'finish keeps the start time');
  onReaped(r, 0, true, { sec: 2000, nsec: 500 }, 300);
  t.match(r, { state: DOWN, throttleUntil: 1300 });
  t.same(r.time, { sec: 2000, nsec: 500 }, 'down: the time it went down');
  const long = slot({ state: RUN, pid: 5, startedMs: 0 });
  onReaped(long, 0, false, T0, 1500);
  t.equal(long.throttleUntil, 0, 'no throttle after a second of running');
  t.equal(dueToStart(long, 1500), true);
  const fast = slot({ state: RUN, pid: 5, startedMs: 1000 });
  onReaped(fast, 0, false, T0, 1200);
  t.equal(dueToStart(fast, 1500), false, 'throttled');
  t.equal(dueToStart(fast, 2200), true, 'a full second after the exit');
});

t.test('finish arguments and command bytes', async (t) => {
  t.same(finishArgs(3 << 8), ['3', '0']);
  t.same(finishArgs(15), ['-1', '15']);
  t.same(finishArgs(11 | 0x80), ['-1', '139'], 'core dump bit kept as runsv does');
  t.same(finishArgs(111 << 8), ['111', '0']);
  t.ok(isCommand('u', false));
  t.notOk(isCommand('x', true));
  t.notOk(isCommand('\n', false));
});
