// The reaper: every exit reaches JS once, bursts included, and no zombie is left.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { spawn, onExit, waitExit, Exit } from '../../lib/native';
import { zombieChildren, waitFor } from '../helpers/proc';

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', name);

t.test('2000 short-lived children spawned in a burst are all reaped', async (t) => {
  const N = 2000;
  const pids = new Set<number>();
  const seen = new Map<number, Exit>();
  const off = onExit((e) => {
    if (pids.has(e.pid)) seen.set(e.pid, e);
  });
  t.teardown(off);
  for (let i = 0; i < N; i++) pids.add(spawn({ file: '/bin/sh', argv: ['sh', '-c', `exit ${i % 7}`], stdio: ['null', 'null', 'null'] }));
  t.equal(pids.size, N, 'distinct pids');
  await waitFor(() => seen.size === N, `${N} exits`, 60000);
  let codesOk = 0;
  for (const [, e] of seen) if (e.code !== null && e.signal === null) codesOk++;
  t.equal(codesOk, N, 'every exit has a code');
  const byCode = new Map<number, number>();
  for (const e of seen.values()) byCode.set(e.code as number, (byCode.get(e.code as number) ?? 0) + 1);
  t.equal([...byCode.keys()].sort().join(','), '0,1,2,3,4,5,6', 'exit codes delivered as given');
  t.same(zombieChildren(process.pid), [], 'no zombie children left');
});

t.test('waitExit and onExit both see the same exit, once', async (t) => {
  const events: number[] = [];
  const off = onExit((e) => events.push(e.pid));
  t.teardown(off);
  const pid = spawn({ file: '/bin/true' });
  const e = await waitExit(pid);
  t.equal(e.code, 0);
  await new Promise((r) => setImmediate(r));
  t.same(events.filter((p) => p === pid), [pid]);
});

t.test('as a subreaper the reaper also collects orphaned grandchildren', async (t) => {
  // A separate process: PR_SET_CHILD_SUBREAPER must not change this test runner.
  const out = execFileSync(process.execPath, [fixture('subreaper.js')], { encoding: 'utf8', timeout: 60000 });
  const r = JSON.parse(out);
  t.ok(r.grandchild > 0, 'the orphan pid was reported by the shell');
  t.ok(r.reaped.includes(r.grandchild), 'the orphan was reaped by us');
  t.same(r.zombies, [], 'no zombie left');
});

t.test('a throwing exit listener reaches uncaughtException and the reaper keeps working', async (t) => {
  const out = execFileSync(process.execPath, [fixture('reaper-throw.js')], { encoding: 'utf8', timeout: 60000 });
  t.same(JSON.parse(out), { caught: 'boom', secondExit: 0 });
});
