// Readiness (docs/lifecycle.md): notification-fd and notify-socket, what
// `sv -w up|restart` waits for, and what `sv status --json` shows. The services
// wait for a gate file the test creates, so "not ready yet" is a state the test
// holds, not a race it hopes to win; the timing figures come from timestamps the
// services take just before they signal readiness.
import t from 'tap';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitStatus } from '../runsv/runsv-helpers';
import { NOW_MS, addService, readNumbers, startScanDaemon, sv, svJson, waitFor, waitJson } from './lifecycle-helpers';

const d = startScanDaemon(t);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Waits for ./go, then records "pid ms" and writes the readiness newline to fd 3.
const GATED_NFD = `
echo $$ >> runpids
while [ ! -e go ]; do sleep 0.05; done
rm -f go
echo "$$ $(${NOW_MS})" >> ready-log
echo >&3
exec sleep 1000`;

function readyLog(dir: string): Array<{ pid: number; ms: number }> {
  if (!existsSync(path.join(dir, 'ready-log'))) return [];
  return readFileSync(path.join(dir, 'ready-log'), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => {
      const [pid, ms] = l.split(' ').map(Number);
      return { pid, ms };
    });
}

t.test('notification-fd: sv -w up waits for the newline; json ready false before, true after', async (t) => {
  const dir = addService(t, d, 'nfd', { run: GATED_NFD, down: true }, { 'notification-fd': '3\n' });
  await waitStatus(dir, (o) => o.state === 0 && o.want === 'd', 'picked up, down');
  const j0 = await svJson(dir);
  t.equal(j0.ready, false, 'down: not ready');
  t.equal(j0.readySince, null, 'down: no readySince');

  const up = sv('-w', '60', 'up', dir);
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, 'run started');
  const running = await waitJson(dir, (j) => j.state === 'run', 'json shows run');
  t.equal(running.ready, false, 'running, no newline yet: ready false');
  t.equal(running.readySince, null, 'no readySince before ready');

  // A second waiter with a short deadline must time out the runit way: the
  // service runs, but it is not ready.
  const short = await sv('-w', '1', 'up', dir);
  t.equal(short.code, 1, 'sv -w 1 up times out while not ready');
  t.match(short.stdout, /^timeout: run: /, 'runit\'s timeout line');
  t.notOk(up.done(), 'sv -w 60 up still waiting, more than a second after the start');
  t.equal((await svJson(dir)).ready, false, 'still not ready');

  writeFileSync(path.join(dir, 'go'), '');
  const r = await up;
  t.equal(r.code, 0, 'sv -w 60 up succeeds');
  t.match(r.stdout, /^ok: run: /);
  const [ready] = readyLog(dir);
  t.ok(ready, 'the service recorded its newline');
  const delay = r.returnedMs - ready.ms;
  t.comment(`notification-fd: sv returned ${delay} ms after the service's timestamp before its newline (started ${r.returnedMs - r.startedMs} ms before returning)`);
  t.ok(r.returnedMs >= ready.ms, 'sv did not return before the newline');
  t.ok(delay < 2000, `sv returned soon after the newline (${delay} ms)`);

  const j = await svJson(dir);
  t.equal(j.ready, true, 'json ready after the newline');
  t.equal(typeof j.readySince, 'number', 'readySince set');
  // seconds, perhaps whole: allow a second of truncation below, and the time
  // until sv's return above
  t.ok(j.readySince! * 1000 >= ready.ms - 1000 && j.readySince! * 1000 <= r.returnedMs + 1000, `readySince ${j.readySince} near the newline (${ready.ms / 1000})`);
  t.equal(statSync(path.join(dir, 'supervise', 'status')).size, 20, 'supervise/status stays runit\'s 20 bytes');
  t.ok(existsSync(path.join(dir, 'supervise', 'lifecycle')), 'supervise/lifecycle written for a service with a readiness file');

  // the newline is the only thing: a running, ready service stays ready
  await pause(300);
  t.equal((await svJson(dir)).ready, true, 'stays ready');
});

t.test('notification-fd: sv -w restart waits for the readiness of the new run', async (t) => {
  const dir = addService(t, d, 'nfd-restart', { run: GATED_NFD }, { 'notification-fd': '3' });
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 1, 'first run');
  writeFileSync(path.join(dir, 'go'), '');
  await waitJson(dir, (j) => j.ready === true, 'first run ready');
  const oldPid = readNumbers(path.join(dir, 'runpids'))[0];

  const restart = sv('-w', '60', 'restart', dir);
  await waitFor(() => readNumbers(path.join(dir, 'runpids')).length === 2, 'second run started');
  const newPid = readNumbers(path.join(dir, 'runpids'))[1];
  t.not(newPid, oldPid, 'a new process');
  const j = await waitJson(dir, (j) => j.pid === newPid, 'json shows the new pid');
  t.equal(j.ready, false, 'the new run is not ready: readiness is per run');
  await pause(1000);
  t.notOk(restart.done(), 'sv -w restart still waiting for the new run\'s newline');

  writeFileSync(path.join(dir, 'go'), '');
  const r = await restart;
  t.equal(r.code, 0, 'sv -w restart succeeds');
  t.match(r.stdout, /^ok: run: /);
  const log = readyLog(dir);
  t.equal(log.length, 2, 'two newlines, one per run');
  t.equal(log[1].pid, newPid, 'the second is the new run\'s');
  t.ok(r.returnedMs >= log[1].ms, 'sv returned after the new run\'s newline');
  t.comment(`restart: sv returned ${r.returnedMs - log[1].ms} ms after the new run's newline`);
  t.ok(r.returnedMs - log[1].ms < 2000, 'and soon after it');
  t.equal((await svJson(dir)).ready, true, 'ready again');
});

// Sends STATUS=... first (not readiness), then, once ./go exists, records the
// time and sends a datagram whose second line is READY=1, as sd_notify callers do.
const NOTIFY_PY = `import os, socket, time
a = os.environ["NOTIFY_SOCKET"]
addr = "\\0" + a[1:] if a.startswith("@") else a
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"STATUS=starting", addr)
open("status-sent", "w").close()
while not os.path.exists("go"):
    time.sleep(0.05)
f = open("ready-at", "w"); f.write("%d\\n" % int(time.time() * 1000)); f.close()
s.sendto(b"STATUS=serving\\nREADY=1\\n", addr)
while True:
    time.sleep(1000)
`;

t.test('notify-socket: NOTIFY_SOCKET given; READY=1 makes the service ready and ends sv -w up', async (t) => {
  const dir = addService(
    t,
    d,
    'notify',
    { run: 'printf "%s\\n" "${NOTIFY_SOCKET-unset}" > notify-env; exec python3 ./notify.py', down: true },
    { 'notify-socket': '', 'notify.py': NOTIFY_PY },
  );
  await waitStatus(dir, (o) => o.state === 0 && o.want === 'd', 'picked up, down');
  const up = sv('-w', '60', 'up', dir);
  await waitFor(() => existsSync(path.join(dir, 'status-sent')), 'the service sent STATUS=');
  const env = readFileSync(path.join(dir, 'notify-env'), 'utf8').trim();
  t.ok(env.startsWith('@'), `NOTIFY_SOCKET is an abstract address (${env})`);
  t.match(env, /^@runitd\/notify\//, 'in runitd\'s namespace');
  const j = await waitJson(dir, (j) => j.state === 'run', 'running');
  t.equal(j.ready, false, 'STATUS= alone is not readiness');
  await pause(1000);
  t.notOk(up.done(), 'sv -w up still waiting');
  t.equal((await svJson(dir)).ready, false, 'still not ready');

  writeFileSync(path.join(dir, 'go'), '');
  const r = await up;
  t.equal(r.code, 0, 'sv -w up succeeds');
  const [readyMs] = readNumbers(path.join(dir, 'ready-at'));
  t.ok(r.returnedMs >= readyMs, 'not before READY=1');
  t.comment(`notify-socket: sv returned ${r.returnedMs - readyMs} ms after the service's timestamp before READY=1`);
  t.ok(r.returnedMs - readyMs < 2000, 'soon after READY=1');
  const after = await svJson(dir);
  t.equal(after.ready, true, 'json ready');
  t.equal(typeof after.readySince, 'number', 'readySince set');
});

t.test('without a readiness file: sv -w up waits for run only; ready while running; no NOTIFY_SOCKET', async (t) => {
  const dir = addService(t, d, 'plain', { run: 'printf "%s\\n" "${NOTIFY_SOCKET-unset}" > notify-env; exec sleep 1000', down: true });
  await waitStatus(dir, (o) => o.state === 0 && o.want === 'd', 'picked up, down');
  t.equal((await svJson(dir)).ready, false, 'down: not ready');
  const r = await sv('-w', '60', 'up', dir);
  t.equal(r.code, 0, 'sv -w up returns once it runs (runit)');
  t.match(r.stdout, /^ok: run: /);
  const j = await svJson(dir);
  t.equal(j.state, 'run');
  t.equal(j.ready, true, 'ready while running');
  t.equal(j.maintenance, false, 'not in maintenance');
  t.equal(j.maintenanceReason, null, 'no maintenance reason');
  await waitFor(() => existsSync(path.join(dir, 'notify-env')), 'run wrote its env');
  if (process.env.NOTIFY_SOCKET === undefined) t.equal(readFileSync(path.join(dir, 'notify-env'), 'utf8'), 'unset\n', 'no NOTIFY_SOCKET without notify-socket');
  const down = await sv('-w', '60', 'down', dir);
  t.equal(down.code, 0);
  t.equal((await svJson(dir)).ready, false, 'down: not ready');
  t.notOk(existsSync(path.join(dir, 'supervise', 'lifecycle')), 'no supervise/lifecycle for a plain runit folder');
});
