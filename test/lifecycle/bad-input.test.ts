// Bad values in the lifecycle files (docs/lifecycle.md): reported once in the
// log with the file name, even across restarts, and ignored, so runit's
// behaviour applies; the daemon keeps serving. Each case has its own runsv, so
// its stderr (the log) holds only its own messages; the cases run side by side.
// A plain runit folder gets no supervise/lifecycle file at all.
import t, { Test } from 'tap';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readLines, waitStatus } from '../runsv/runsv-helpers';
import { Daemon, NOW_MS, alive, readNumbers, startOneService, sv, svJson, waitFor } from './lifecycle-helpers';

// the pid is written once the trap is set: the tests wait for it before stopping
const STAYS = 'trap "echo TERM >> sigs; exit 0" TERM; echo $$ >> runpids; while :; do sleep 0.05; done';
const CRASH = `echo $$ >> runpids; ${NOW_MS} >> starts; exit 1`;

const warnings = (d: Daemon, file: string): string[] => d.stderr().split('\n').filter((l) => l.includes(file));

/** Three runs by two `sv -w restart`s, each of which must succeed as under runit. */
async function threeRuns(t: Test, dir: string): Promise<void> {
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, 'first run', 30000);
  for (const n of [2, 3]) {
    const r = await sv('-w', '30', 'restart', dir);
    t.equal(r.code, 0, `${path.basename(dir)}: sv -w restart ${n - 1} succeeds`);
    await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === n, `run ${n}`, 30000);
  }
}

t.test('bad values: one warning each, ignored, runit behaviour', async (t) => {
  const cases: Array<{ name: string; file: string; value: string; run: string; check: (d: Daemon & { dir: string }) => Promise<void> }> = [
    {
      name: 'tk-abc',
      file: 'timeout-kill',
      value: 'abc\n',
      run: STAYS,
      check: async ({ dir }) => {
        await threeRuns(t, dir);
        const down = await sv('-w', '30', 'down', dir);
        t.equal(down.code, 0, 'tk-abc: stops on TERM as usual');
        t.same(readLines(path.join(dir, 'sigs')), ['TERM', 'TERM', 'TERM'], 'tk-abc: TERM each time');
      },
    },
    {
      name: 'tk-neg',
      file: 'timeout-kill',
      value: '-5',
      run: STAYS,
      check: async ({ dir }) => {
        await threeRuns(t, dir);
        t.equal((await sv('-w', '30', 'down', dir)).code, 0, 'tk-neg: stops');
      },
    },
    {
      name: 'nfd-1',
      file: 'notification-fd',
      value: '1\n',
      run: STAYS,
      check: async ({ dir }) => {
        // no readiness: sv -w restart returns once it runs, and it counts as ready
        await threeRuns(t, dir);
        const j = await svJson(dir);
        t.equal(j.state, 'run', 'nfd-1: runs');
        t.equal(j.ready, true, 'nfd-1: ready while running (no readiness method)');
      },
    },
    {
      name: 'ds-bogus',
      file: 'down-signal',
      value: 'BOGUS',
      run: STAYS,
      check: async ({ dir }) => {
        await threeRuns(t, dir);
        await sv('-w', '30', 'down', dir);
        t.same(readLines(path.join(dir, 'sigs')), ['TERM', 'TERM', 'TERM'], 'ds-bogus: TERM is sent');
      },
    },
    {
      name: 'ma-0',
      file: 'maintenance-after',
      value: '0',
      run: CRASH,
      check: async ({ dir }) => {
        await waitFor(() => readNumbers(path.join(dir, 'starts')).length >= 4, 'ma-0: 4 starts', 30000);
        t.equal((await svJson(dir)).maintenance, false, 'ma-0: never in maintenance');
      },
    },
    {
      name: 'bm-4s',
      file: 'backoff-max',
      value: '4s',
      run: CRASH,
      check: async ({ dir }) => {
        await waitFor(() => readNumbers(path.join(dir, 'starts')).length >= 4, 'bm-4s: 4 starts', 30000);
        const s = readNumbers(path.join(dir, 'starts'));
        const gaps = s.slice(1, 4).map((v, i) => v - s[i]);
        t.comment(`bm-4s gaps: ${gaps.join(', ')} ms`);
        // with a backoff the third gap would be 4 s at least (a timer never fires early)
        t.ok(gaps[2] < 3900, `bm-4s: runit's one second (${gaps[2]} ms)`);
      },
    },
  ];

  await Promise.all(
    cases.map(async (c) => {
      const d = startOneService(t, c.name, { run: c.run }, { [c.file]: c.value });
      await waitStatus(d.dir, (o) => o.state === 1 || readNumbers(path.join(d.dir, 'runpids')).length > 0, `${c.name} started`, 30000);
      await c.check(d);
      // the warning comes with the first start; several starts later it is still the only one
      const w = warnings(d, c.file);
      t.equal(w.length, 1, `${c.name}: one warning naming ${c.file}`);
      t.comment(`${c.name}: ${w.join(' | ')}`);
      t.ok(alive(d.pid), `${c.name}: the daemon is alive`);
      t.equal((await sv('status', d.dir)).code, 0, `${c.name}: and answers sv status`);
    }),
  );
});

t.test('a plain runit folder: no supervise/lifecycle, nothing in the log', async (t) => {
  const d = startOneService(t, 'plain', { run: 'echo $$ >> runpids; exec sleep 1000' });
  await waitFor(() => readNumbers(path.join(d.dir, 'runpids')).length === 1, 'running');
  t.equal((await sv('-w', '30', 'restart', d.dir)).code, 0);
  t.equal((await sv('-w', '30', 'down', d.dir)).code, 0);
  t.notOk(existsSync(path.join(d.dir, 'supervise', 'lifecycle')), 'no supervise/lifecycle');
  t.equal(d.stderr(), '', 'runsv wrote nothing');
});
