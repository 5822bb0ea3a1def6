// Issue 14: re-exec in place. On request (SIGUSR2) and after a fatal internal error
// the daemon execs itself again under the same pid and takes every service over:
// no restart, no duplicate, no lost or repeated log line, nothing sv asked for
// forgotten, no control byte lost while it switches; a broken install is refused
// and the running image carries on; a kill -9 in the middle is survived too.
import t, { Test } from 'tap';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { alive, killPid, openFds, procLimit, procStat, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';
import { control, makeService, observe, readLines, waitStatus } from '../runsv/runsv-helpers';
import { Runsvdir, startRunsvdir } from './runsvdir-helpers';
import {
  analyse,
  daemonEnv,
  FleetService,
  makeFleet,
  parseStatus,
  pidsInDir,
  pidsWithArg,
  processTable,
  run,
  snapshot,
  Snapshot,
  stageInstall,
  startDaemonAt,
  supervised,
  survivalRoot,
  sv,
  writtenCount,
} from './survive-helpers';

const logDir = (s: FleetService): string => path.join(s.dir, 'log');
const TOOK_OVER = /re-exec: took over (\d+) services/g;

function tookOver(d: Runsvdir): number[] {
  return [...d.stderr().matchAll(TOOK_OVER)].map((m) => Number(m[1]));
}

function count(d: Runsvdir, text: string): number {
  return d.stderr().split(text).length - 1;
}

interface Before {
  main: Snapshot;
  log: Snapshot | null;
}

/** Everything about the fleet a re-exec must not change. */
function record(fleet: FleetService[]): Map<string, Before> {
  return new Map(fleet.map((s) => [s.name, { main: snapshot(s.dir)!, log: s.log === 'cat' ? snapshot(logDir(s)) : null }]));
}

/** Asserts pids, status times, one process per payload, and that they are still the daemon's children. */
function assertKept(t: Test, fleet: FleetService[], before: Map<string, Before>, daemonPid: number): void {
  t.same(
    fleet.filter((s) => JSON.stringify(snapshot(s.dir)) !== JSON.stringify(before.get(s.name)!.main)).map((s) => ({ s: s.name, before: before.get(s.name)!.main, now: snapshot(s.dir) })),
    [],
    'every service kept its pid and status time',
  );
  t.same(
    fleet.filter((s) => s.log === 'cat' && JSON.stringify(snapshot(logDir(s))) !== JSON.stringify(before.get(s.name)!.log)).map((s) => s.name),
    [],
    'every cat logger kept its pid and status time',
  );
  const procs = processTable();
  t.same(
    fleet.map((s) => ({ s: s.name, pids: pidsWithArg(s.marker, procs) })).filter((x) => x.pids.length !== 1 || x.pids[0] !== before.get(x.s)!.main.pid),
    [],
    'exactly one process per payload: the original',
  );
  t.same(
    fleet.filter((s) => s.log === 'cat').map((s) => ({ s: s.name, pids: pidsInDir(logDir(s), 'cat', procs) })).filter((x) => x.pids.length !== 1 || x.pids[0] !== before.get(x.s)!.log!.pid),
    [],
    'exactly one cat per cat logger: the original',
  );
  t.same(
    fleet.filter((s) => procStat(before.get(s.name)!.main.pid).ppid !== daemonPid).map((s) => s.name),
    [],
    "the services are still the daemon's children",
  );
}

/** Stops the writers and checks their logs: every line once, in order, none lost. */
async function assertLogsComplete(t: Test, fleet: FleetService[]): Promise<void> {
  const logged = fleet.filter((s) => s.log);
  const down = await sv(['down', ...logged.map((s) => s.dir)]);
  t.equal(down.code, 0, `sv down ${down.stderr}`);
  await waitFor(() => logged.every((s) => observe(s.dir)?.state === 0), 'writers down', 60000, 200);
  await waitFor(() => logged.every((s) => analyse(s).max >= writtenCount(s)), 'every written line logged', 60000, 250);
  const bad: string[] = [];
  let lines = 0;
  for (const s of logged) {
    const a = analyse(s);
    const written = writtenCount(s);
    lines += a.lines;
    if (a.duplicates || a.outOfOrder || a.missing || a.damaged.length || a.max < written || a.max > written + 1) {
      bad.push(`${s.name} (${s.log}): dup ${a.duplicates}, disorder ${a.outOfOrder}, missing ${a.missing}, damaged ${JSON.stringify(a.damaged.slice(0, 3))}, last ${a.max} of ${written}`);
    }
  }
  t.same(bad, [], `every numbered line logged exactly once, in order (${lines} lines in ${logged.length} logs)`);
}

function statusPids(out: string, dirs: string[]): (number | null)[] {
  const st = parseStatus(out);
  return dirs.map((d) => st.get(d)?.pid ?? null);
}

/** What a service process got from the daemon that started it. */
function startedAs(pid: number): { env: string[]; fds: number[]; nofile: string } {
  // tap's process-info hook reaches the daemon (it wraps spawn) and gives each
  // node image a variable of its own: not the daemon's doing
  const env = readFileSync(`/proc/${pid}/environ`, 'latin1')
    .split('\0')
    .filter((v) => v && !v.startsWith('_TAPJS_PROCESSINFO_PARENT_='))
    .sort();
  return { env, fds: openFds(pid), nofile: procLimit(pid, 'Max open files').soft };
}

/** A process's open fds by kind: supervise/ files by name, pipes, sockets, anon inodes, other files. */
function fdKinds(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const fd of openFds(pid)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    const m = /\/(supervise\/[a-z]+)$/.exec(target) ?? /^(pipe|socket):/.exec(target) ?? /^(anon_inode:.*)$/.exec(target);
    const kind = m ? m[1] : target.startsWith('/') ? 'file' : target;
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

const SOFT_NOFILE = 1024;
const TOTAL = 20;
const REEXECS = 10;

t.test(`${REEXECS} re-execs in a row under load`, async (t) => {
  const { sv: scan, track } = survivalRoot(t);
  const fleet = makeFleet(scan, { total: TOTAL, logged: 10, catLogs: 2 });
  const logged = fleet.filter((s) => s.log);
  // started as from a boot script with a low NOFILE soft limit: services get it back
  const d = startDaemonAt(t, ['/bin/sh', '-c', `ulimit -Sn ${SOFT_NOFILE} && exec "$0" "$@"`, ourBin('runsvdir'), scan], daemonEnv());
  track(d.pid);
  await waitFor(() => fleet.every((s) => observe(s.dir)?.state === 1 && (!s.log || analyse(s).max >= 10)), 'all up and logging', 60000, 200);
  const before = record(fleet);
  for (const b of before.values()) {
    track(b.main.pid);
    if (b.log) track(b.log.pid);
  }
  const idle = fleet.filter((s) => !s.log);
  const mine = idle[idle.length - 1];
  // sent sv down during one switch and sv up during another; the others are left alone
  const switching = idle.slice(0, 2);
  const kept = fleet.filter((s) => !switching.includes(s));
  // how the first image starts a service, to compare with a start after the re-execs
  const firstStart = startedAs(before.get(mine.name)!.main.pid);
  t.equal(firstStart.nofile, String(SOFT_NOFILE), 'a service gets the soft NOFILE limit the daemon was started with');

  const took: number[] = [];
  const daemonFds: Record<string, number>[] = [];
  // steady: every writer wrote more, and every logger logged it, since we looked
  const steady = async (what: string): Promise<void> => {
    const mark = new Map(logged.map((s) => [s.name, writtenCount(s)]));
    await waitFor(() => logged.every((s) => writtenCount(s) >= mark.get(s.name)! + 5), `writers busy ${what}`, 30000, 50);
    await waitFor(() => logged.every((s) => analyse(s).max >= mark.get(s.name)! + 5), `loggers busy ${what}`, 30000, 100);
  };
  // Commands sent while the daemon switches images wait in the FIFOs (handed over,
  // never without a reader) and are obeyed by the new image: our sv for one
  // service, and the control byte written again and again for the other.
  const commandsDuringSwitch = async (byte: 'd' | 'u', i: number): Promise<void> => {
    await waitFor(() => count(d, 're-exec: requested') >= i, `re-exec ${i} begun`, 30000, 2);
    const viaSv = sv([byte === 'd' ? 'down' : 'up', switching[0].dir]);
    let writes = 0;
    const refused: string[] = [];
    const end = Date.now() + 60000;
    while (tookOver(d).length < i && Date.now() < end) {
      try {
        control(switching[1].dir, byte);
        writes++;
      } catch (err) {
        refused.push((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await viaSv;
    t.equal(r.code, 0, `sv ${byte === 'd' ? 'down' : 'up'} during re-exec ${i} accepted ${r.stdout}${r.stderr}`);
    t.same(refused, [], `${writes} control writes during re-exec ${i}, none refused`);
    for (const s of switching) {
      const want = byte === 'd' ? 'down' : 'up';
      // a lost command fails this assertion only: the re-execs go on
      const o = await waitStatus(s.dir, (o) => o.state === (byte === 'd' ? 0 : 1), `${s.name} ${want} after re-exec ${i}`, 30000).catch((err: Error) => {
        t.fail(`${s.name}: ${byte} sent during re-exec ${i} was obeyed (${err.message})`);
        return null;
      });
      if (o) t.pass(`${s.name}: ${byte} sent during re-exec ${i} was obeyed`);
      if (o?.pid) track(o.pid);
    }
  };
  for (let i = 1; i <= REEXECS; i++) {
    // under load, and with every logger of the last image at work
    await steady(`before re-exec ${i}`);
    if (i > 1) daemonFds.push(fdKinds(d.pid));
    const t0 = Date.now();
    process.kill(d.pid, 'SIGUSR2');
    if (i === 3 || i === 4) await commandsDuringSwitch(i === 3 ? 'd' : 'u', i);
    await waitFor(() => tookOver(d).length >= i, `re-exec ${i} took over (stderr: ${d.stderr().slice(-500)})`, 60000, 10);
    took.push(Date.now() - t0);
    t.equal(d.proc.exitCode, null, `still running after re-exec ${i}`);
  }
  await steady('after the last re-exec');
  daemonFds.push(fdKinds(d.pid));
  t.equal(count(d, 're-exec: requested'), REEXECS, 'each re-exec requested once');
  t.same(tookOver(d), Array(REEXECS).fill(TOTAL), `each new image took over the ${TOTAL} services`);
  t.notMatch(d.stderr(), /unusable|internal error|fatal/, 'no error on the way');
  t.ok(alive(d.pid), 'the same daemon pid lives on');
  t.match(readFileSync(`/proc/${d.pid}/cmdline`, 'latin1'), new RegExp(`/dist/(runsvdir\\.bundle|cli/runsvdir)\\.js\0${scan}\0`), 'still runsvdir on the same folder');
  t.comment(`daemon fds after each re-exec: ${daemonFds.map((k) => Object.values(k).reduce((a, b) => a + b, 0)).join(' ')}`);
  t.comment(`by kind, after the first and the last: ${JSON.stringify(daemonFds[0])} ${JSON.stringify(daemonFds[REEXECS - 1])}`);
  t.equal(daemonFds.length, REEXECS);
  // regular files come and go with status writes; everything else is held for good
  const held = (k: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(k).filter(([kind]) => kind !== 'file'));
  t.same(held(daemonFds[REEXECS - 1]), held(daemonFds[0]), 'no fd piles up over the re-execs (FIFOs, locks, pipes, sockets, event fds)');
  const sorted = [...took].sort((a, b) => a - b);
  t.comment(`re-exec durations, USR2 to "took over" (ms): ${took.join(' ')}; median ${sorted[sorted.length >> 1]}, max ${sorted[sorted.length - 1]}`);

  await waitFor(() => fleet.every((s) => supervised(s.dir) && (!s.log || supervised(logDir(s)))), 'control FIFOs answered', 30000);
  assertKept(t, kept, before, d.pid);
  const dirs = kept.map((s) => s.dir);
  const ours = await sv(['status', ...dirs]);
  t.same(statusPids(ours.stdout, dirs), kept.map((s) => before.get(s.name)!.main.pid), 'our sv status shows the original pids');

  // commands work after the re-execs (idle services, so the logs stay numbered from 1)
  t.equal((await sv(['down', mine.dir])).code, 0);
  await waitStatus(mine.dir, (o) => o.state === 0, 'sv down obeyed');
  t.notOk(alive(before.get(mine.name)!.main.pid), 'and the process is gone');
  t.equal((await sv(['up', mine.dir])).code, 0);
  const back = await waitStatus(mine.dir, (o) => o.state === 1, 'sv up obeyed');
  track(back.pid);
  t.equal(procStat(back.pid).ppid, d.pid, 'the new process is the daemon child');
  t.same(startedAs(back.pid), firstStart, 'started after the re-execs exactly as before: environment, open fds, NOFILE limit');

  await t.test("runit's sv after the re-execs", referenceSkip('sv'), async (t) => {
    const runitSv = referenceBin('sv')!;
    const other = idle[idle.length - 2];
    const st = await run(runitSv, ['status', other.dir]);
    t.match(st.stdout, `run: ${other.dir}: (pid ${before.get(other.name)!.main.pid}) `);
    t.equal((await run(runitSv, ['down', other.dir])).code, 0);
    await waitStatus(other.dir, (o) => o.state === 0, 'runit sv down obeyed');
    t.equal((await run(runitSv, ['up', other.dir])).code, 0);
    const o = await waitStatus(other.dir, (o) => o.state === 1, 'runit sv up obeyed');
    track(o.pid);
  });

  await assertLogsComplete(t, fleet);
  process.kill(d.pid, 'SIGTERM');
  t.same(await d.exited, { code: 0, signal: null }, 'stops cleanly');
});

t.test('an exception in a handler (test hook) leads to a re-exec with everything kept', async (t) => {
  const { sv: scan, track } = survivalRoot(t);
  const fleet = makeFleet(scan, { total: 6, logged: 3, catLogs: 1 });
  const d = startRunsvdir(t, scan, [], daemonEnv({ RUNITD_TEST_FAULTS: '1' }));
  track(d.pid);
  await waitFor(() => fleet.every((s) => observe(s.dir)?.state === 1 && (!s.log || analyse(s).max >= 10)), 'all up and logging', 60000, 200);
  const before = record(fleet);
  for (const b of before.values()) {
    track(b.main.pid);
    if (b.log) track(b.log.pid);
  }
  const faultLines = (): string[] => d.stderr().split('\n').filter((l) => l.startsWith(`runsvdir ${scan}: info: re-exec: internal error: `));

  const t0 = Date.now();
  process.kill(d.pid, 'SIGUSR1');
  await waitFor(() => tookOver(d).length === 1, `took over after the fault (stderr: ${d.stderr().slice(-800)})`, 60000, 10);
  const tookAt = Date.now();
  t.comment(`fault: re-exec took ${tookAt - t0} ms`);
  const err = d.stderr();
  t.equal(faultLines().length, 1, 'reported as a re-exec for an internal error');
  t.match(faultLines()[0], 'injected fault', 'naming the injected fault');
  t.ok(err.indexOf('re-exec: internal error: ') < err.search(TOOK_OVER), 'the error comes before the take-over');
  t.same(tookOver(d), [6]);
  t.ok(alive(d.pid) && d.proc.exitCode === null, 'the same daemon pid');
  assertKept(t, fleet, before, d.pid);

  // the same fault at once in the new image: no re-exec loop, the image carries on
  process.kill(d.pid, 'SIGUSR1');
  // the new image's clock starts after the first USR1: measured from there, this is a bound
  const quick = Date.now() - t0 < 8000;
  await waitFor(() => tookOver(d).length === 2 || d.stderr().includes('re-exec: not again'), 'the second fault answered', 60000);
  if (quick) {
    t.same(tookOver(d), [6], 'a fault right after a fault-driven re-exec does not re-exec again');
    t.match(d.stderr(), `runsvdir ${scan}: warning: re-exec: not again`, 'and says so');
  } else t.comment('over 8 s between the two faults on this machine: the no-loop guard was not exercised');
  const idle = fleet.find((s) => !s.log)!;
  t.equal((await sv(['restart', idle.dir])).code, 0);
  const o = await waitStatus(idle.dir, (o) => o.state === 1 && o.pid !== before.get(idle.name)!.main.pid, 'the daemon still obeys commands');
  track(o.pid);
  t.equal(procStat(o.pid).ppid, d.pid);
  before.set(idle.name, record([idle]).get(idle.name)!);
  assertKept(t, fleet, before, d.pid);

  // and a requested re-exec still works
  const takeovers = tookOver(d).length;
  process.kill(d.pid, 'SIGUSR2');
  await waitFor(() => tookOver(d).length === takeovers + 1, 'the requested re-exec', 60000);
  t.equal(count(d, 're-exec: requested'), 1);
  assertKept(t, fleet, before, d.pid);
  await assertLogsComplete(t, fleet);
});

t.test('without RUNITD_TEST_FAULTS, SIGUSR1 does nothing', async (t) => {
  const { sv: scan, track } = survivalRoot(t);
  const fleet = makeFleet(scan, { total: 2, logged: 1, catLogs: 0 });
  const d = startRunsvdir(t, scan, [], daemonEnv());
  track(d.pid);
  await waitFor(() => fleet.every((s) => observe(s.dir)?.state === 1), 'up');
  const before = record(fleet);
  process.kill(d.pid, 'SIGUSR1');
  // a requested re-exec behind it: once that is done, the USR1 was handled
  process.kill(d.pid, 'SIGUSR2');
  await waitFor(() => tookOver(d).length === 1, 'the USR2 re-exec');
  t.equal(count(d, 're-exec:'), 2, 'one re-exec only: requested, took over');
  t.notMatch(d.stderr(), /internal error|injected fault/);
  assertKept(t, fleet, before, d.pid);
});

t.test('a broken install is refused: the running image goes on, and re-execs once repaired', async (t) => {
  const { root, sv: scan, track } = survivalRoot(t);
  const install = stageInstall(root);
  const fleet = makeFleet(scan, { total: 4, logged: 2, catLogs: 1 });
  const d = startDaemonAt(t, [install.bin('runsvdir'), scan], daemonEnv());
  track(d.pid);
  await waitFor(() => fleet.every((s) => observe(s.dir)?.state === 1 && (!s.log || analyse(s).max >= 5)), 'all up and logging', 60000, 200);
  const before = record(fleet);
  for (const b of before.values()) track(b.main.pid);

  // the script the daemon runs (bin/ picks the bundle or tsc's output): the one a re-exec loads again
  const entry = readFileSync(`/proc/${d.pid}/cmdline`, 'latin1').split('\0').find((a) => /\/dist\/.*runsvdir.*\.js$/.test(a)) ?? '';
  t.ok(path.resolve(entry).startsWith(path.join(install.dir, 'dist')), `the daemon runs a script of the staged install (${entry})`);
  const good = readFileSync(entry);
  writeFileSync(entry, 'this is not JavaScript (\n');
  process.kill(d.pid, 'SIGUSR2');
  await waitFor(() => d.stderr().includes('re-exec: new image unusable: '), 'the broken image refused', 60000);
  t.match(d.stderr(), `runsvdir ${scan}: warning: re-exec: new image unusable: `);
  t.same(tookOver(d), [], 'no take-over');
  t.ok(alive(d.pid) && d.proc.exitCode === null, 'the daemon lives on');
  assertKept(t, fleet, before, d.pid);
  // still in charge: a command is obeyed
  const idle = fleet.find((s) => !s.log)!;
  t.equal((await sv(['down', idle.dir])).code, 0);
  await waitStatus(idle.dir, (o) => o.state === 0, 'down obeyed by the old image');
  t.equal((await sv(['up', idle.dir])).code, 0);
  const o = await waitStatus(idle.dir, (o) => o.state === 1, 'up obeyed by the old image');
  track(o.pid);

  writeFileSync(entry, good);
  const kept = record(fleet);
  process.kill(d.pid, 'SIGUSR2');
  await waitFor(() => tookOver(d).length === 1, 'took over once repaired', 60000);
  t.same(tookOver(d), [4]);
  assertKept(t, fleet, kept, d.pid);
  await assertLogsComplete(t, fleet);
});

t.test('kill -9 in the middle of a re-exec: the next daemon adopts everything', async (t) => {
  const { sv: scan, track } = survivalRoot(t);
  const fleet = makeFleet(scan, { total: 6, logged: 3, catLogs: 1 });
  const env = daemonEnv();
  const d1 = startRunsvdir(t, scan, [], env);
  track(d1.pid);
  await waitFor(() => fleet.every((s) => observe(s.dir)?.state === 1 && (!s.log || analyse(s).max >= 10)), 'all up and logging', 60000, 200);
  const before = record(fleet);
  for (const b of before.values()) {
    track(b.main.pid);
    if (b.log) track(b.log.pid);
  }
  process.kill(d1.pid, 'SIGUSR2');
  await waitFor(() => d1.stderr().includes('re-exec: requested'), 're-exec begun', 30000, 5);
  process.kill(d1.pid, 'SIGKILL');
  await d1.exited;
  t.same(
    fleet.filter((s) => !alive(before.get(s.name)!.main.pid)).map((s) => s.name),
    [],
    'every service outlived the daemon',
  );
  const d2 = startRunsvdir(t, scan, [], env);
  track(d2.pid);
  await waitFor(() => fleet.every((s) => supervised(s.dir) && (!s.log || supervised(logDir(s)))), 'the new daemon supervises', 60000, 50);
  assertKeptByStranger(t, fleet, before);
  const logged = fleet.filter((s) => s.log);
  t.equal((await sv(['down', ...logged.map((s) => s.dir)])).code, 0);
  await waitFor(() => logged.every((s) => observe(s.dir)?.state === 0), 'writers down', 30000);
  await waitFor(() => logged.every((s) => analyse(s).max >= writtenCount(s)), 'every written line logged', 60000, 250);
  for (const s of logged) {
    const a = analyse(s);
    t.same({ duplicates: a.duplicates, outOfOrder: a.outOfOrder }, { duplicates: 0, outOfOrder: 0 }, `${s.name} (${s.log}): no line twice, none out of order`);
    if (s.log === 'cat') t.equal(a.missing, 0, 'the cat logger lost nothing');
    else t.ok(a.missingBytes <= 65536, `the in-process logger lost ${a.missingBytes} bytes`);
  }
});

/** assertKept for a daemon that adopted the services (they are not its children). */
function assertKeptByStranger(t: Test, fleet: FleetService[], before: Map<string, Before>): void {
  const procs = processTable();
  t.same(
    fleet.filter((s) => JSON.stringify(snapshot(s.dir)) !== JSON.stringify(before.get(s.name)!.main)).map((s) => s.name),
    [],
    'every service kept its pid and status time',
  );
  t.same(
    fleet.filter((s) => s.log === 'cat' && JSON.stringify(snapshot(logDir(s))) !== JSON.stringify(before.get(s.name)!.log)).map((s) => s.name),
    [],
    'every cat logger kept its pid and status time',
  );
  t.same(
    fleet.filter((s) => pidsWithArg(s.marker, procs).join() !== String(before.get(s.name)!.main.pid)).map((s) => s.name),
    [],
    'exactly one process per payload: the original',
  );
}

t.test('control bytes written at any moment of a re-exec are obeyed by the new image', async (t) => {
  const { root, sv: scan, track } = survivalRoot(t);
  // one byte per service, so a lost byte cannot hide behind a later one
  const N = 40;
  const dirs = Array.from({ length: N }, (_, i) => makeService(scan, `t${String(i).padStart(2, '0')}`, { run: 'exec sleep 100000' }));
  // a control/h script under way when the re-exec comes: the daemon waits for it
  // before it execs, which stretches the frozen part of the switch
  const hRuns = path.join(root, 'h-runs');
  const slow = makeService(scan, 'slow', { run: 'exec sleep 100000', control: { h: `echo x >> ${hRuns}; sleep 2; exit 0` } });
  const d = startRunsvdir(t, scan, [], daemonEnv());
  track(d.pid);
  let spacing = 60;
  const lost: string[] = [];
  for (let round = 1; round <= 3; round++) {
    const up = await Promise.all([...dirs, slow].map((dir) => waitStatus(dir, (o) => o.state === 1, `${dir} up`, 30000)));
    for (const o of up) track(o.pid);
    control(slow, 'h');
    await waitFor(() => readLines(hRuns).length === round, 'control/h under way');
    const sent: { dir: string; ms: number }[] = [];
    const t0 = Date.now();
    process.kill(d.pid, 'SIGUSR2');
    for (const dir of dirs) {
      if (tookOver(d).length >= round) break;
      try {
        control(dir, 'd');
        sent.push({ dir, ms: Date.now() - t0 });
      } catch (err) {
        lost.push(`round ${round}: ${path.basename(dir)} refused at ${Date.now() - t0} ms: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, spacing));
    }
    await waitFor(() => tookOver(d).length >= round, `re-exec ${round}`, 60000, 5);
    const took = Date.now() - t0;
    t.comment(`round ${round}: re-exec ${took} ms; one d each to ${sent.length} services, ${spacing} ms apart (last at ${sent.length ? sent[sent.length - 1].ms : '-'} ms)`);
    const deadline = Date.now() + 10000;
    await waitFor(() => sent.every((x) => observe(x.dir)?.state === 0) || Date.now() > deadline, 'the commands obeyed', 30000, 50);
    for (const x of sent) {
      const o = observe(x.dir);
      if (o?.state === 0) continue;
      const was = up[dirs.indexOf(x.dir)].pid;
      const what = o?.pid === was ? 'never acted on' : `acted on, then started again by the new image (pid ${o?.pid}, want ${o?.want})`;
      lost.push(`round ${round}: d to ${path.basename(x.dir)} at ${x.ms} ms after USR2 (took over at ${took} ms): ${what}`);
    }
    t.ok(sent.length > 0, `round ${round}: bytes were written during the switch`);
    // the next round's bytes spread over the whole expected switch
    spacing = Math.max(15, Math.ceil((took * 1.2) / N));
    for (const dir of dirs) control(dir, 'u');
  }
  for (const l of lost) t.comment(l);
  t.same(lost, [], 'no control byte lost or refused during a re-exec');
});

t.test('what sv asked for is kept across a re-exec: down, paused, once', async (t) => {
  const { sv: scan, track } = survivalRoot(t);
  const [down, paused, once, gone] = ['down', 'paused', 'once', 'gone'].map((n) => makeService(scan, n, { run: 'exec sleep 100000' }));
  const d = startRunsvdir(t, scan, [], daemonEnv());
  track(d.pid);
  const up = await Promise.all([down, paused, once, gone].map((dir) => waitStatus(dir, (o) => o.state === 1, `${dir} up`)));
  for (const o of up) track(o.pid);
  t.equal((await sv(['down', down])).code, 0);
  t.equal((await sv(['pause', paused])).code, 0);
  t.equal((await sv(['once', once, gone])).code, 0);
  await waitStatus(down, (o) => o.state === 0, 'down is down');
  await waitStatus(paused, (o) => o.paused, 'paused is paused');
  await waitStatus(once, (o) => o.want === 'd', 'once is in once mode');
  // a service in once mode whose process ended: down, and must not be started again
  killPid(up[3].pid, 'SIGTERM');
  await waitStatus(gone, (o) => o.state === 0, 'gone ended');
  const before = [down, paused, once, gone].map((dir) => snapshot(dir));

  process.kill(d.pid, 'SIGUSR2');
  await waitFor(() => tookOver(d).length === 1, 'took over', 60000);
  // the new image has had every chance to act: a command to each is obeyed after it
  await waitFor(() => [down, paused, once, gone].every((dir) => supervised(dir)), 'supervised');
  t.same(
    [down, paused, once, gone].map((dir) => snapshot(dir)),
    before,
    'the status of each (state, pid, time) is as before the re-exec',
  );
  t.equal(observe(down)!.want, 'd', 'down: still wanted down');
  t.equal(observe(paused)!.paused, true, 'paused: still paused');
  t.equal(procStat(up[1].pid).state, 'T', 'and its process still stopped');
  t.equal(observe(once)!.want, 'd', 'once: still in once mode');
  killPid(up[2].pid, 'SIGTERM');
  await waitStatus(once, (o) => o.state === 0, 'once ended after the re-exec');
  t.ok(alive(up[1].pid), 'paused process alive');
  t.equal((await sv(['cont', paused])).code, 0);
  await waitFor(() => procStat(up[1].pid).state !== 'T', 'continued');
  await new Promise((r) => setTimeout(r, 1500)); // a restart would come within the throttle second
  t.equal(observe(once)!.state, 0, 'once: not restarted after its end');
  t.equal(observe(down)!.state, 0, 'down: still down');
  t.equal(observe(gone)!.state, 0, 'gone: still down');
});
