// A full log disk under the daemon: the in-process logger stops reading, the
// service blocks on write as under runit, other services carry on, and once space
// returns every line arrives, once, in order. Needs mount(2) (root).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { mountTmpfs, tmpfsSkipReason } from '../helpers/mount';
import { tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';
import { control, makeService, waitStatus } from '../runsv/runsv-helpers';
import { startRunsvdir } from './runsvdir-helpers';

function logLines(dir: string): string[] | null {
  try {
    const files = readdirSync(dir).filter((f) => f.startsWith('@')).sort();
    if (existsSync(path.join(dir, 'current'))) files.push('current');
    return files.flatMap((f) => readFileSync(path.join(dir, f), 'latin1').split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1)));
  } catch {
    return null; // a rotation raced with the listing
  }
}

t.test('full log disk: back-pressure, isolation, no loss', async (t) => {
  const root = tempDir(t);
  const skip = tmpfsSkipReason();
  if (skip) return t.skip(skip);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const N = 20000;
  // the writer counts what it managed to write: it blocks once the pipe is full
  const busy = makeService(sv, 'busy', {
    run: `[ -e done ] && exec sleep 1000\ni=0; while [ $i -lt ${N} ]; do printf '%080d\\n' $i; i=$((i+1)); echo $i > written; done; touch done; exec sleep 1000`,
    log: { run: '#!/bin/sh\nexec svlogd -tt ./main\n' },
  });
  const main = path.join(busy, 'log', 'main');
  mkdirSync(main);
  t.doesNotThrow(() => mountTmpfs(t, main, '256k'), 'tmpfs mounted');
  const healthy = makeService(sv, 'healthy', { run: 'exec sleep 1000' });
  process.env.PATH = `${path.join(repoRoot, 'bin')}:${process.env.PATH}`;
  const d = startRunsvdir(t, sv);
  await waitStatus(healthy, (o) => o.state === 1, 'healthy up');

  // the disk fills: svlogd pauses, the writer stops well short of N
  await waitFor(() => d.stderr().includes('svlogd: pausing:'), 'the logger pauses on the full disk', 60000);
  const count = (): number => Number(readFileSync(path.join(busy, 'written'), 'utf8') || 0);
  const stuck = await waitFor(async () => {
    const a = count();
    await new Promise((r) => setTimeout(r, 1500));
    return count() === a && a < N ? a : 0;
  }, 'the writer blocked', 60000);
  t.ok(stuck < N, `the writer is blocked after ${stuck} of ${N} lines`);

  // another service is not disturbed
  const t0 = Date.now();
  control(healthy, 'd');
  await waitStatus(healthy, (o) => o.state === 0, 'healthy down');
  control(healthy, 'u');
  await waitStatus(healthy, (o) => o.state === 1, 'healthy up again');
  t.comment(`healthy service d/u round trip while the log disk was full: ${Date.now() - t0} ms`);

  // space returns: everything arrives, once, in order
  t.equal(spawnSync('mount', ['-o', 'remount,size=16m', main]).status, 0, 'tmpfs grown');
  await waitFor(() => {
    const l = logLines(main);
    return l !== null && l.length >= N;
  }, 'all lines logged', 120000, 200);
  const lines = logLines(main)!;
  t.equal(lines.length, N, 'every line exactly once');
  t.ok(lines.every((l, i) => Number(l) === i), 'in order');
  t.equal(count(), N, 'the writer finished');
});
