// maintenance-after / maintenance-window (docs/lifecycle.md): a crash loop is
// taken out of rotation until an operator acts (our sv up, runit's sv up, sv once).
// The run script crashes at once unless ./healthy exists, so the test decides
// when the service recovers instead of racing the next crash.
import t, { Test } from 'tap';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { referenceBin } from '../helpers/reference';
import { observe } from '../runsv/runsv-helpers';
import { LifecycleJson, NOW_MS, addService, readNumbers, run, startScanDaemon, sv, svJson, svText, waitFor, waitJson } from './lifecycle-helpers';

const d = startScanDaemon(t);

const RUN = `${NOW_MS} >> starts; [ -e healthy ] && exec sleep 1000; exit 1`;

// the daemon's stderr: runsvdir's log
const maintenanceLines = (): string[] => d.stderr().split('\n').filter((l) => /maintenance/i.test(l));

/** Waits for maintenance with `n` starts, then checks that no start follows for `holdMs`. */
async function enters(t: Test, dir: string, n: number, holdMs: number): Promise<LifecycleJson> {
  const starts = () => readNumbers(path.join(dir, 'starts')).length;
  const j = await waitJson(dir, (j) => j.maintenance === true, `maintenance after ${n} starts`, 30000);
  t.equal(starts(), n, `in maintenance after ${n} starts`);
  const since = Date.now();
  await waitFor(() => starts() > n || Date.now() - since >= holdMs, `no start for ${holdMs} ms`, 20000, 100);
  t.equal(starts(), n, 'not restarted while in maintenance');
  return j;
}

t.test('maintenance after 3 fast failures; sv up, runit\'s sv up and sv once take it out', async (t) => {
  // three crash loops side by side, one per way out, to keep the file short
  const ours = addService(t, d, 'maint-sv-up', { run: RUN }, { 'maintenance-after': '3\n' });
  const theirs = addService(t, d, 'maint-runit-sv', { run: RUN }, { 'maintenance-after': '3' });
  const once = addService(t, d, 'maint-once', { run: RUN }, { 'maintenance-after': ' 3 ' });
  // a window shorter than runit's one-second throttle: two fast failures never fit
  const loose = addService(t, d, 'loose', { run: `${NOW_MS} >> starts; exit 1` }, { 'maintenance-after': '2', 'maintenance-window': '500' });
  const starts = (dir: string) => readNumbers(path.join(dir, 'starts')).length;

  const [j] = await Promise.all([enters(t, ours, 3, 3000), enters(t, theirs, 3, 3000), enters(t, once, 3, 3000)]);
  t.equal(j.state, 'down', 'down');
  t.equal(j.want, 'down', 'publishes want down (so runit\'s sv up sends u)');
  t.type(j.maintenanceReason, 'string', 'a reason');
  t.ok(j.maintenanceReason, 'not empty');
  t.comment(`maintenanceReason: ${j.maintenanceReason}`);
  const text = await svText(ours);
  t.match(text, /^down: .*, maintenance$/, `sv status text (${text})`);
  t.equal(observe(ours)!.want, 'd', 'supervise/status: want down');
  await waitFor(() => maintenanceLines().length >= 3, 'a log line about maintenance per service', 10000);
  t.comment(`log: ${maintenanceLines().join(' | ')}`);
  t.equal(maintenanceLines().length, 3, 'one log line per service entering maintenance');

  for (const dir of [ours, theirs, once]) writeFileSync(path.join(dir, 'healthy'), '');
  // our sv up
  t.equal((await sv('up', ours)).code, 0);
  // runit's own sv up: it sends u because the service publishes want down
  const refSv = referenceBin('sv');
  if (refSv) t.equal((await run(refSv, ['up', theirs])).code, 0, 'runit\'s sv up');
  else {
    t.comment('runit\'s sv not installed: our sv up instead');
    await sv('up', theirs);
  }
  for (const dir of [ours, theirs]) {
    const out = await waitJson(dir, (j) => j.state === 'run' && j.maintenance === false, `${path.basename(dir)}: running, out of maintenance`);
    t.equal(out.maintenanceReason, null, 'no reason once out');
    t.equal(starts(dir), 4, 'started once more');
    t.match(await svText(dir), /^run: .*\ds$/, 'status text without maintenance');
  }

  // sv once: runs once, not restarted when it ends (the healthy run is ended by sv down)
  t.equal((await sv('once', once)).code, 0);
  const oj = await waitJson(once, (j) => j.state === 'run' && j.maintenance === false, 'sv once took it out of maintenance');
  t.equal(oj.want, 'down', 'once: want down while it runs');
  t.equal(starts(once), 4, 'once: started once more');

  // the loose service crashed all along without entering maintenance
  await waitFor(() => starts(loose) >= 4, 'window 500: 4 starts', 30000);
  const lj = await svJson(loose);
  t.equal(lj.maintenance, false, 'window 500: never in maintenance');
  t.equal(maintenanceLines().length, 3, 'no log line for it');
});
