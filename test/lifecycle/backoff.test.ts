// backoff-max (docs/lifecycle.md): after fast failures the next start waits
// 1 s, 2 s, 4 s ... up to the cap; a run that lived a second or more starts the
// count again; without the file, runit's one second forever. The services stamp
// each start themselves; the three run side by side to keep the file short.
// Lower bounds are 0.8 x the expected gap; upper bounds only tell the cases apart.
import t, { Test } from 'tap';
import * as path from 'node:path';
import { control, observe, waitStatus } from '../runsv/runsv-helpers';
import { NOW_MS, addService, readNumbers, startScanDaemon, sv, waitFor } from './lifecycle-helpers';

const d = startScanDaemon(t);

const CRASH = `${NOW_MS} >> starts; exit 1`;

const gapsOf = (ms: number[]): number[] => ms.slice(1).map((v, i) => v - ms[i]);

/** A raw u cuts the 4 s wait after the third fast failure short; sv down then ends the wait. */
async function cutAndStop(t: Test, dir: string): Promise<void> {
  const starts = () => readNumbers(path.join(dir, 'starts'));
  await waitFor(() => starts().length >= 3, 'cut: 3 starts', 30000);
  const s3 = starts()[2];
  control(dir, 'u');
  const sentMs = Date.now();
  await waitFor(() => starts().length >= 4, 'cut: start 4', 20000);
  const s4 = starts()[3];
  t.comment(`cut: raw u sent ${sentMs - s3} ms after start 3; start 4 followed ${s4 - sentMs} ms after the u`);
  if (sentMs - s3 < 1500) t.ok(s4 - s3 < 3200, `cut: started before the 4 s wait was over (${s4 - s3} ms after start 3)`);
  else t.comment('cut: the u was sent too late to tell a cut wait from a full one; not asserted');

  // now waiting again (the service is down between starts); sv down ends the wait
  await waitFor(() => observe(dir)!.state === 0, 'cut: between starts');
  const down = await sv('-w', '30', 'down', dir);
  t.equal(down.code, 0, 'cut: sv -w down');
  await waitStatus(dir, (o) => o.state === 0 && o.want === 'd', 'cut: down, want down');
  const n = starts().length;
  const since = Date.now();
  await waitFor(() => starts().length > n || Date.now() - since > 5500, 'cut: no start for 5.5 s', 20000, 100);
  t.equal(starts().length, n, 'cut: no start after sv down (the pending wait was at most 4 s)');
}

t.test('backoff: gaps grow 1, 2, 4, 4 s with backoff-max 4000; 1 s without; a long run resets; u and sv down during a wait', async (t) => {
  const backoff = addService(t, d, 'backoff', { run: CRASH }, { 'backoff-max': '4000\n' });
  const plain = addService(t, d, 'plain', { run: CRASH });
  // starts 1-3 fail at once, start 4 lives 1.5 s, then fast failures again; the
  // cap is high so that without the reset start 6 would wait 8 s
  const reset = addService(
    t,
    d,
    'reset',
    { run: `${NOW_MS} >> starts; if [ "$(wc -l < starts)" -eq 4 ]; then sleep 1.5; ${NOW_MS} > long-end; fi; exit 1` },
    { 'backoff-max': '16000' },
  );
  const cut = addService(t, d, 'cut', { run: CRASH }, { 'backoff-max': '4000' });
  const starts = (dir: string) => readNumbers(path.join(dir, 'starts'));
  const cutDone = cutAndStop(t, cut);

  await waitFor(() => starts(plain).length >= 4, 'plain: 4 starts', 30000);
  await waitFor(() => starts(backoff).length >= 5, 'backoff: 5 starts', 45000);
  // during a backoff wait the service is down and still wants up
  const waiting = observe(backoff)!;
  t.equal(waiting.want, 'u', 'wants up while the backoff runs');
  await waitFor(() => starts(reset).length >= 6, 'reset: 6 starts', 45000);

  const pg = gapsOf(starts(plain).slice(0, 4));
  t.comment(`no backoff-max: gaps ${pg.join(', ')} ms`);
  // a backoff would make the third gap 4 s, and a timer never fires early: 3.9 s
  // tells them apart whatever the load
  for (const g of pg) t.ok(g >= 800 && g < 3900, `runit's one second (${g} ms)`);

  const bg = gapsOf(starts(backoff).slice(0, 5));
  const expected = [1000, 2000, 4000, 4000];
  t.comment(`backoff-max 4000: gaps ${bg.join(', ')} ms (expected ${expected.join(', ')})`);
  bg.forEach((g, i) => {
    t.ok(g >= 0.8 * expected[i], `gap ${i + 1} at least 0.8 x ${expected[i]} (${g} ms)`);
    t.ok(g < expected[i] + 5000, `gap ${i + 1} not far beyond ${expected[i]} (${g} ms)`);
  });
  // a scheduling delay may lengthen one gap; a second below the previous would be a shrink
  for (let i = 1; i < bg.length; i++) t.ok(bg[i] >= bg[i - 1] - 1000, `gap ${i + 1} does not shrink (${bg[i - 1]} -> ${bg[i]})`);
  t.ok(bg[3] < 7000, `capped: the fourth gap is not 8 s (${bg[3]} ms)`);

  const rs = starts(reset);
  const rg = gapsOf(rs.slice(0, 6));
  const [longEnd] = readNumbers(path.join(reset, 'long-end'));
  t.comment(`reset (backoff-max 16000, run 4 lives 1.5 s): gaps ${rg.join(', ')} ms; start 5 came ${rs[4] - longEnd} ms after run 4 ended`);
  t.ok(rg[0] >= 800 && rg[1] >= 1600 && rg[2] >= 3200, 'backs off before the long run');
  // without the reset these would be 8 s: 6 s tells them apart whatever the load
  t.ok(rs[4] - longEnd < 6000, 'after a long run, no long wait');
  t.ok(rg[4] >= 800 && rg[4] < 6000, `the count starts again: the next fast failure waits about a second (${rg[4]} ms), not 8 s`);
  await cutDone;
});

