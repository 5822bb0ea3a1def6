// The router profile: 30 services, each with a log service, boot and run for
// 60 s inside a memory cgroup of 64 MiB without swap. Nothing may be OOM-killed,
// nothing restarted, no log line lost; the peak is reported.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeMemoryCgroup } from '../helpers/cgroup';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { ourBin } from '../helpers/reference';
import { readPid } from '../runsv/runsv-helpers';

const SERVICES = 30;
// a few services log a line a second; the others only at start, as most daemons
const CHATTY = 5;
const LIMIT = 64 * 1024 * 1024;
const SECONDS = Number(process.env.RUNITD_ROUTER_SECONDS ?? 60);

function stat(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'supervise', 'stat'), 'utf8').trim();
  } catch {
    return '';
  }
}

function lines(dir: string): string[] {
  try {
    return readFileSync(path.join(dir, 'log', 'main', 'current'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

const cg = makeMemoryCgroup(`runitd-router-${process.pid}`, LIMIT);

t.test(`${SERVICES} logged services for ${SECONDS} s in a 64 MiB memory cgroup, no swap`, { skip: typeof cg === 'string' ? cg : false }, async (t) => {
  if (typeof cg === 'string') return;
  const scan = tempDir(t, 'runitd-router-');
  const dirs: string[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const d = path.join(scan, `s${String(i).padStart(2, '0')}`);
    mkdirSync(path.join(d, 'log'), { recursive: true });
    // the chatty ones also keep their count in ./count: what the log must have caught up to
    const body = i < CHATTY ? 'n=0\nwhile :; do n=$((n+1)); echo "tick $n"; echo $n > count.new; mv count.new count; sleep 1; done' : 'echo started\nexec sleep 100000';
    writeFileSync(path.join(d, 'run'), `#!/bin/sh\nexec 2>&1\n${body}\n`, { mode: 0o755 });
    // a hand-written log/run as routers have them: in-process in our daemon
    writeFileSync(path.join(d, 'log', 'run'), '#!/bin/sh\nexec svlogd -tt ./main\n', { mode: 0o755 });
    mkdirSync(path.join(d, 'log', 'main'));
    dirs.push(d);
  }

  // the daemon joins the cgroup before it execs, so everything it starts is in it too
  const daemon = spawn('/bin/sh', ['-c', 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3"', 'sh', cg.dir, ourBin('runsvdir'), scan], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PATH: `${path.dirname(ourBin('svlogd'))}:${process.env.PATH}` },
  });
  let stderr = '';
  daemon.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => daemon.on('exit', () => r()));
  t.teardown(async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      killPid(daemon.pid!, 'SIGTERM');
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (grace = setTimeout(r, 15000)))]);
      clearTimeout(grace);
      if (daemon.exitCode === null && daemon.signalCode === null) killPid(daemon.pid!, 'SIGKILL');
    }
    for (const d of dirs) {
      const p = readPid(d);
      if (p) killPid(p, 'SIGKILL');
    }
    // the cgroup can go once its last process has
    await waitFor(() => {
      try {
        cg.remove();
        return true;
      } catch {
        return false;
      }
    }, 'the cgroup removed', 15000, 100).catch(() => undefined);
  });

  const started = Date.now();
  await waitFor(() => dirs.every((d) => stat(d) === 'run' && stat(path.join(d, 'log')) === 'run'), 'every service and log service runs', 60000, 100);
  t.comment(`all ${SERVICES} services and their logs up ${Date.now() - started} ms after start`);
  const pids = dirs.map(readPid);
  t.ok(pids.every((p) => p > 0), 'every service has a pid');

  // run for the time asked, watching for an OOM kill or a dead daemon all along
  const until = Date.now() + SECONDS * 1000;
  let oom = 0;
  while (Date.now() < until && daemon.exitCode === null) {
    oom = cg.oomKills();
    if (oom > 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  t.equal(oom, 0, 'no OOM kill in the cgroup');
  t.ok(alive(daemon.pid!) && daemon.exitCode === null, 'the daemon runs');
  t.same(dirs.map(readPid), pids, 'no service was restarted');
  // each chatty service: every tick it counted is logged, once and in order
  const counted = (d: string): number => Number(readFileSync(path.join(d, 'count'), 'utf8').trim()) || 0;
  const target = dirs.slice(0, CHATTY).map(counted);
  await waitFor(() => dirs.slice(0, CHATTY).every((d, i) => lines(d).length >= target[i]), 'the ticks logged', 20000, 200).catch(() => undefined);
  for (const [i, d] of dirs.slice(0, CHATTY).entries()) {
    const ticks = lines(d).map((l) => Number(/tick (\d+)$/.exec(l)?.[1]));
    t.ok(target[i] > 0 && ticks.length >= target[i], `${path.basename(d)}: ${ticks.length} ticks logged of ${target[i]} counted in ${SECONDS} s`);
    t.same(ticks, ticks.map((_, k) => k + 1), `${path.basename(d)}: every tick once, in order`);
  }
  t.ok(dirs.slice(CHATTY).every((d) => lines(d).some((l) => l.endsWith(' started'))), 'the quiet services logged their start');
  t.notMatch(stderr, /fatal/, 'nothing fatal');
  const peak = cg.peak();
  t.ok(peak < LIMIT, 'the peak stays under the limit');
  t.comment(`router profile: peak ${(peak / 1048576).toFixed(1)} MiB of 64 MiB (cgroup v${cg.version}) for the daemon, ${SERVICES} services and their logs`);
});
