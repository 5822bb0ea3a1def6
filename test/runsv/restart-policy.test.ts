// The restart policy of docs/lifecycle.md, as a pure function of the run history.
import t from 'tap';
import { afterRun, backoffPause, newHistory } from '../../lib/runsv/restart-policy';
import { parseNumber, parseSignal } from '../../lib/runsv/lifecycle-files';

t.test('backoff: 1, 2, 4 ... s up to the cap; below a second of cap, runit\'s second', async (t) => {
  t.same([1, 2, 3, 4, 5, 6].map((n) => backoffPause(n, 10000)), [1000, 2000, 4000, 8000, 10000, 10000]);
  t.same([1, 2, 3].map((n) => backoffPause(n, undefined)), [1000, 1000, 1000], 'no cap: runit');
  t.same([1, 2, 3].map((n) => backoffPause(n, 300)), [1000, 1000, 1000], 'a cap under a second changes nothing');
  t.equal(backoffPause(80, 0x7fffffff), 0x7fffffff, 'no overflow');
});

t.test('a run of a second or more starts the count again', async (t) => {
  const h = newHistory();
  const p = { backoffMax: 60000, maintenanceWindow: 60000 };
  let now = 0;
  const fail = (lived: number): number => {
    const d = afterRun(h, p, now, now + lived);
    now += lived + d.pauseMs;
    return d.pauseMs;
  };
  t.same([fail(10), fail(10), fail(10)], [1000, 2000, 4000]);
  t.equal(fail(1000), 0, 'a long enough run: no pause');
  t.equal(fail(10), 1000, 'then from the start');
});

t.test('maintenance after N fast failures within the window', async (t) => {
  const h = newHistory();
  const p = { maintenanceAfter: 3, maintenanceWindow: 10000 };
  t.match(afterRun(h, p, 0, 100), { maintenance: false, pauseMs: 1000 });
  t.match(afterRun(h, p, 1100, 1200), { maintenance: false });
  t.match(afterRun(h, p, 2200, 2300), { maintenance: true, reason: '3 fast failures within 10 s' });
  const slow = newHistory();
  t.match(afterRun(slow, p, 0, 100), { maintenance: false });
  t.match(afterRun(slow, p, 6000, 6100), { maintenance: false });
  t.match(afterRun(slow, p, 12000, 12100), { maintenance: false }, 'spread beyond the window: no maintenance');
  t.match(afterRun(slow, p, 13000, 13100), { maintenance: true }, 'the last three within 7 s: maintenance');
});

t.test('file values: numbers, signals, and the reasons for refusing one', async (t) => {
  t.same(parseNumber('timeout-kill', ' 2500\n'), { ok: true, value: 2500 });
  t.same(parseNumber('timeout-kill', 'abc'), { ok: false, why: 'not a number' });
  t.same(parseNumber('timeout-kill', '-5'), { ok: false, why: 'negative value' });
  t.same(parseNumber('timeout-kill', '1.5'), { ok: false, why: 'not a number' });
  t.same(parseNumber('notification-fd', '1'), { ok: false, why: 'collides with stdin, stdout or stderr' });
  t.same(parseNumber('notification-fd', '3'), { ok: true, value: 3 });
  t.same(parseNumber('maintenance-after', '0'), { ok: false, why: 'out of range' });
  t.same(parseNumber('backoff-max', '99999999999'), { ok: false, why: 'out of range' });
  t.same(parseSignal('HUP\n'), { ok: true, value: 1 });
  t.same(parseSignal('sigusr1'), { ok: true, value: 10 });
  t.same(parseSignal('9'), { ok: true, value: 9 });
  t.same(parseSignal('NOPE'), { ok: false, why: 'not a signal' });
  t.same(parseSignal('65'), { ok: false, why: 'out of range' });
});
