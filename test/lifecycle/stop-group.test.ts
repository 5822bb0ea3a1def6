// stop-group (docs/lifecycle.md): ./run leads its own process group; the down
// signal goes to the group and whatever is left of it when ./run ends is killed,
// so a forked worker cannot keep its port. The worker here ignores TERM, the
// case a group TERM alone would not solve. Without the file the worker leaks,
// as under runit (it is killed by pid in teardown).
import t, { Test } from 'tap';
import * as path from 'node:path';
import { procStat } from '../helpers/proc';
import { observe, waitStatus } from '../runsv/runsv-helpers';
import { Daemon, addService, alive, freePort, listening, readNumbers, startScanDaemon, sv, waitFor, workerPy } from './lifecycle-helpers';

const plain = startScanDaemon(t);
const withP = startScanDaemon(t, { P: true });

const RUN = `
echo $$ >> runpids
python3 ./worker.py &
exec sleep 1000`;

async function portService(t: Test, d: Daemon, name: string, group: boolean): Promise<{ dir: string; port: number }> {
  const port = await freePort();
  const files: Record<string, string> = { 'worker.py': workerPy(port) };
  if (group) files['stop-group'] = '';
  const dir = addService(t, d, name, { run: RUN }, files, ['worker-pids']);
  await waitFor(() => readNumbers(path.join(dir, 'worker-pids')).length === 1, `${name}: worker listening`, 20000);
  t.ok(await listening(port), `${name}: the port is held`);
  return { dir, port };
}

async function restartAndDown(t: Test, d: Daemon, name: string, session: boolean): Promise<void> {
  const { dir, port } = await portService(t, d, name, true);
  const runPid = readNumbers(path.join(dir, 'runpids'))[0];
  const [worker1] = readNumbers(path.join(dir, 'worker-pids'));
  const st = procStat(runPid);
  t.equal(st.pgrp, runPid, './run leads its process group');
  if (session) t.equal(st.session, runPid, 'and, under -P, its session');
  t.equal(procStat(worker1).pgrp, runPid, 'the worker is in that group');

  const restart = await sv('-w', '30', 'restart', dir);
  t.equal(restart.code, 0, 'sv -w restart succeeds');
  // the new run's worker records its pid only once its bind succeeded
  await waitFor(() => readNumbers(path.join(dir, 'worker-pids')).length === 2, 'the new worker bound the port', 25000);
  t.notOk(alive(worker1), 'the old worker (ignoring TERM) is gone');
  t.comment(`${name}: the new worker waited ${readNumbers(path.join(dir, 'bind-waits'))[1]} ms for the port after restart`);

  const [, worker2] = readNumbers(path.join(dir, 'worker-pids'));
  const sent = Date.now();
  const down = await sv('down', dir);
  t.equal(down.code, 0);
  await waitFor(async () => !(await listening(port)), 'the port free after sv down', 20000, 20);
  t.comment(`${name}: port free ${Date.now() - sent} ms after sv down was called`);
  await waitFor(() => !alive(worker2), 'the second worker gone', 10000);
  await waitStatus(dir, (o) => o.state === 0 && o.want === 'd', 'down');
  for (const p of readNumbers(path.join(dir, 'worker-pids'))) t.notOk(alive(p), `worker ${p} not alive`);
}

t.test('stop-group: sv restart and sv down leave the port free and no worker alive', async (t) => {
  await restartAndDown(t, plain, 'group', false);
});

t.test('stop-group under runsvdir -P', async (t) => {
  await restartAndDown(t, withP, 'group-P', true);
});

t.test('without stop-group the worker outlives sv down and keeps the port (runit)', async (t) => {
  const { dir, port } = await portService(t, plain, 'leak', false);
  const runPid = readNumbers(path.join(dir, 'runpids'))[0];
  t.not(procStat(runPid).pgrp, runPid, './run does not lead a group of its own');
  const [worker] = readNumbers(path.join(dir, 'worker-pids'));
  const down = await sv('-w', '30', 'down', dir);
  t.equal(down.code, 0, 'sv -w down succeeds: ./run ended');
  t.equal(observe(dir)!.state, 0);
  t.ok(alive(worker), 'the worker survived');
  t.ok(await listening(port), 'and still holds the port');
});
