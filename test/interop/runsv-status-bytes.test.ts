// For the same control bytes, our supervise/ files must say what runit's runsv
// writes: the 20-byte status field by field (paused, want, got-TERM, state, pid
// zero or not; TAI64N and the pid's value aside), the stat line, the pid file,
// for the service and its log service, after every step.
import t, { Test } from 'tap';
import { existsSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { killPid } from '../helpers/proc';
import { referenceSkip } from '../helpers/reference';
import { both, control, Instance, Pair, procState, readStatus, readText, settle, snapshot, Snapshot, startPair, Status, ready, statusHex, trappingRun } from './runsv-helpers';

type T = Test;
const skip = referenceSkip('runsv');
const todoOpt = (todo?: string): { todo?: string } => (todo ? { todo } : {});

const NONE: Status = { pid: 0, paused: 0, want: '?', term: 0, state: -1, sec: 0n, nsec: 0 };
const st = (i: Instance, sub = 'supervise'): Status => readStatus(i.dir, sub) ?? NONE;
const TAI_BASE = 0x4000000000000000n;

type Sub = 'supervise' | 'log/supervise';

interface View extends Snapshot {
  /** whether bytes 0-11 changed since the previous step (a start or a stop, not a flag change) */
  timeChanged: boolean;
  /** a non-zero status pid names a live process started in the service folder (or log/) */
  pidIsTheChild: boolean | null;
}

/** The status time last compared, per instance and supervise folder. */
type Times = Map<string, bigint>;

function view(i: Instance, sub: Sub, times: Times): View {
  const snap = snapshot(i.dir, sub);
  const s = readStatus(i.dir, sub);
  const time = s ? (s.sec << 32n) | BigInt(s.nsec) : -1n;
  let pidIsTheChild: boolean | null = null;
  if (s && s.pid) {
    try {
      pidIsTheChild = readlinkSync(`/proc/${s.pid}/cwd`) === (sub === 'supervise' ? i.dir : path.join(i.dir, 'log')) && procState(s.pid) !== 'Z';
    } catch {
      pidIsTheChild = false;
    }
  }
  return { ...snap, timeChanged: times.get(i.flavour + sub) !== time, pidIsTheChild };
}

function remember(i: Instance, sub: Sub, times: Times): void {
  const s = readStatus(i.dir, sub);
  times.set(i.flavour + sub, s ? (s.sec << 32n) | BigInt(s.nsec) : -1n);
}

/**
 * Carries out `action` under both runsvs, waits until `pred` holds for both,
 * then compares the supervise/ views (retrying briefly while files are mid-update).
 */
async function step(
  t: T,
  pair: Pair,
  times: Times,
  what: string,
  action: (i: Instance) => unknown,
  pred: (i: Instance) => boolean,
  opts: { subs?: Sub[]; todo?: string; pidTodo?: Partial<Record<Sub, string>> } = {},
): Promise<void> {
  const subs = opts.subs ?? ['supervise'];
  await both(pair, action);
  const settled = await both(pair, (i) => settle(() => pred(i)));
  const raw = (i: Instance) => ({ exitInfo: i.exitInfo ?? null, stderr: i.stderr, status: subs.map((s) => statusHex(i.dir, s)), stat: subs.map((s) => snapshot(i.dir, s).stat) });
  t.ok(settled.ref, `${what}: runit's runsv reaches the expected state`, settled.ref ? {} : { ref: raw(pair.ref) });
  t.ok(settled.ours, `${what}: our runsv reaches the expected state`, { ...todoOpt(opts.todo), ...(settled.ours ? {} : { ours: raw(pair.ours) }) });
  const views = (): { ref: View[]; ours: View[] } => ({ ref: subs.map((s) => view(pair.ref, s, times)), ours: subs.map((s) => view(pair.ours, s, times)) });
  const fields = (vs: View[]) => vs.map(({ pidFile: _f, pidFileMatchesStatus: _m, pidIsTheChild: _c, ...rest }) => rest);
  const pids = (x: View) => ({ pidFile: x.pidFile, pidFileMatchesStatus: x.pidFileMatchesStatus, pidIsTheChild: x.pidIsTheChild });
  // what must match; a known deviation is not waited for
  const key = (vs: View[]) => JSON.stringify([fields(vs), vs.map((x, n) => (opts.pidTodo?.[subs[n]] ? null : pids(x)))]);
  let v = views();
  for (let n = 0; n < 10 && key(v.ours) !== key(v.ref); n++) {
    await new Promise((r) => setTimeout(r, 150));
    v = views();
  }
  t.same(fields(v.ours), fields(v.ref), `${what}: ${subs.join(' and ')} status fields and stat equal runit's`, todoOpt(opts.todo));
  subs.forEach((sub, n) => t.same(pids(v.ours[n]), pids(v.ref[n]), `${what}: ${sub}/pid and the status pid as runit's`, todoOpt(opts.todo ?? opts.pidTodo?.[sub])));
  for (const i of [pair.ref, pair.ours]) for (const s of subs) remember(i, s, times);
}

/** TAI64N as runit writes it: 2^62 + 10 + unix seconds, nanoseconds ending in 500. */
function timeFormat(s: Status): { label: boolean; nsecValid: boolean; nsecEnds500: boolean; offsetIs10: boolean } {
  const unix = Number(s.sec - TAI_BASE) - 10;
  return { label: s.sec >> 62n === 1n, nsecValid: s.nsec < 1e9, nsecEnds500: s.nsec % 1000 === 500, offsetIs10: Math.abs(unix - Date.now() / 1000) < 30 };
}

const running = (i: Instance, sub: Sub = 'supervise'): boolean => st(i, sub).state === 1 && st(i, sub).pid !== 0 && (sub !== 'supervise' || ready(i.dir, st(i).pid));
const down = (i: Instance, sub: Sub = 'supervise'): boolean => st(i, sub).state === 0 && st(i, sub).pid === 0;
const stopped = (i: Instance): boolean => procState(st(i).pid) === 'T';
const sigs = (i: Instance): string => readText(path.join(i.dir, 'sigs'));
const count = (s: string, word: string): number => s.split('\n').filter((l) => l === word).length;
const exited = (i: Instance): boolean => i.exitInfo !== undefined;

t.test('flags, want, got TERM and state for a TERM-ignoring service with a log service', skip, async (t) => {
  const pair = await startPair(t, {
    run: trappingRun({ trapTerm: true, exitOnUsr1: true }),
    'log/run': '#!/bin/sh\nexec cat >/dev/null\n',
  });
  const times: Times = new Map();
  const subs: Sub[] = ['supervise', 'log/supervise'];
  const opts = { subs };
  const none = (): undefined => undefined;
  const main = (bytes: string) => (i: Instance) => control(i.dir, bytes);
  const log = (bytes: string) => (i: Instance) => control(i.dir, bytes, 'log/supervise');

  await step(t, pair, times, 'started', none, (i) => running(i) && running(i, 'log/supervise'), opts);
  const fmt = await both(pair, (i) => [timeFormat(st(i)), timeFormat(st(i, 'log/supervise'))]);
  t.same(fmt.ours, fmt.ref, 'TAI64N start times encoded as runit encodes them');

  await step(t, pair, times, 'p', main('p'), (i) => st(i).paused === 1 && stopped(i), opts);
  await step(t, pair, times, 'c', main('c'), (i) => st(i).paused === 0 && !stopped(i), opts);
  await step(t, pair, times, '"pcp" in one write', main('pcp'), (i) => st(i).paused === 1 && stopped(i), opts);
  await step(t, pair, times, 'c again', main('c'), (i) => st(i).paused === 0 && !stopped(i), opts);
  await step(t, pair, times, 'p before t', main('p'), (i) => st(i).paused === 1 && stopped(i), opts);
  await step(t, pair, times, 't while paused: no CONT, TERM pending', main('t'), (i) => st(i).term === 1 && stopped(i), opts);
  await step(t, pair, times, 'c: TERM delivered and ignored', main('c'), (i) => st(i).paused === 0 && !stopped(i) && count(sigs(i), 'term') === 1, opts);
  await step(t, pair, times, 'p before d', main('p'), (i) => st(i).paused === 1 && stopped(i), opts);
  await step(t, pair, times, 'd while paused: TERM and CONT', main('d'), (i) => st(i).want === 'd' && !stopped(i) && count(sigs(i), 'term') === 2, opts);
  await step(t, pair, times, '1: exits, down', main('1'), (i) => down(i), opts);
  await step(t, pair, times, 'c while down', main('c'), (i) => st(i).paused === 0, opts);
  await step(t, pair, times, 'p while down', main('p'), (i) => st(i).paused === 1, opts);
  await step(t, pair, times, 'u: start clears paused', main('u'), (i) => running(i) && st(i).want === 'u', opts);
  await step(t, pair, times, 'o while up', main('o'), (i) => st(i).want === 'd', opts);
  await step(t, pair, times, 'u while up', main('u'), (i) => st(i).want === 'u', opts);
  const p1 = await both(pair, (i) => st(i).pid);
  await step(t, pair, times, 'k: killed and restarted', main('k'), (i) => running(i) && st(i).pid !== p1[i.flavour], opts);
  await step(t, pair, times, 't with want up: got TERM', main('t'), (i) => st(i).term === 1 && count(sigs(i), 'term') === 3, opts);
  const p2 = await both(pair, (i) => st(i).pid);
  await step(t, pair, times, 'k: got TERM cleared by the restart', main('k'), (i) => running(i) && st(i).pid !== p2[i.flavour], opts);
  await step(t, pair, times, 'h a i q 2 in one write: no status change', main('haiq2'), (i) => count(sigs(i), 'usr2') === 1, opts);

  await step(t, pair, times, 'log d', log('d'), (i) => down(i, 'log/supervise'), opts);
  await step(t, pair, times, 'log u', log('u'), (i) => running(i, 'log/supervise'), opts);
  await step(t, pair, times, 'log "xp": x ignored, p rewrites', log('xp'), (i) => st(i, 'log/supervise').paused === 1, opts);
  await step(t, pair, times, 'log c', log('c'), (i) => st(i, 'log/supervise').paused === 0, opts);

  await step(t, pair, times, 'x: TERM ignored, want exit', main('x'), (i) => st(i).term === 1 && count(sigs(i), 'term') === 4 && !exited(i), opts);
  await step(t, pair, times, '1: down, the log sees EOF, runsv exits', main('1'), exited, opts);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});

t.test('finish state, the k-during-finish quirk, down file, unknown bytes', skip, async (t) => {
  const pair = await startPair(t, {
    down: '',
    run: '#!/bin/sh\nexec sleep 1000\n',
    finish: '#!/bin/sh\necho "$@" >>finish-args\nexec sleep 1000\n',
  });
  const times: Times = new Map();
  const none = (): undefined => undefined;
  const main = (bytes: string) => (i: Instance) => control(i.dir, bytes);
  const args = (i: Instance): string => readText(path.join(i.dir, 'finish-args'));
  // a finish killed before it wrote its arguments would make the comparison flaky
  const lines = (i: Instance): number => args(i).split('\n').length - 1;
  const finishing = (i: Instance): boolean => st(i).state === 2 && st(i).pid !== 0;
  const killCurrent = (i: Instance): void => killPid(st(i).pid, 'SIGTERM');

  await step(t, pair, times, 'started: normally down', none, (i) => down(i) && st(i).want === 'd');
  await step(t, pair, times, 'o: runs once', main('o'), running);
  await step(t, pair, times, 'k: finish runs, time still the start of run', main('k'), (i) => finishing(i) && args(i) === '-1 9\n');
  const fin = await both(pair, (i) => st(i).pid);
  // k while ./finish runs sends nothing and only marks the service down in
  // memory; the p behind it rewrites the files and shows that
  await step(t, pair, times, '"kp" during finish', main('kp'), (i) => st(i).paused === 1);
  await step(t, pair, times, 'c', main('c'), (i) => st(i).paused === 0);
  await step(t, pair, times, 'finish exits: taken for ./run, finish runs again', killCurrent, (i) => finishing(i) && st(i).pid !== fin[i.flavour] && lines(i) === 2);
  await step(t, pair, times, 'second finish exits: down', killCurrent, down);
  await step(t, pair, times, 'unknown bytes ignored, u processed', main('?z\n\0u'), running);
  await step(t, pair, times, 'd: finish, want down', main('d'), (i) => finishing(i) && lines(i) === 3);
  await step(t, pair, times, 'u during finish', main('u'), (i) => st(i).want === 'u');
  const fin2 = await both(pair, (i) => st(i).pid);
  await step(t, pair, times, 'finish exits with want up: restart', killCurrent, (i) => running(i) && st(i).pid !== fin2[i.flavour]);
  await step(t, pair, times, 'x: finish, want exit', main('x'), (i) => finishing(i) && lines(i) === 4 && !exited(i));
  await step(t, pair, times, 'finish exits: runsv exits', killCurrent, exited);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
  t.equal(args(pair.ours), args(pair.ref), 'finish got the same arguments each time');
});

t.test('SIGTERM to runsv is x: got TERM, want exit, exit once down', skip, async (t) => {
  const pair = await startPair(t, { run: trappingRun({ trapTerm: true, exitOnUsr1: true }) });
  const times: Times = new Map();
  await step(t, pair, times, 'started', () => undefined, running);
  await step(t, pair, times, 'SIGTERM to runsv', (i) => killPid(i.pid, 'SIGTERM'), (i) => st(i).term === 1 && count(sigs(i), 'term') === 1 && !exited(i));
  await step(t, pair, times, '1: service exits, runsv exits', (i) => control(i.dir, '1'), exited);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});

t.test('a crash-looping ./run: d and x written during the one-second throttle are acted on', skip, async (t) => {
  const pair = await startPair(t, { run: '#!/bin/sh\necho x >>starts\nsleep 0.1\nexit 1\n' });
  const times: Times = new Map();
  const starts = (i: Instance): number => readText(path.join(i.dir, 'starts')).length / 2;
  const main = (bytes: string) => (i: Instance) => control(i.dir, bytes);
  // once it ran twice, runsv is in (or about to be in) its one-second sleep;
  // while it loops, run and down alternate: only settled states are compared
  const looping = await both(pair, (i) => settle(() => starts(i) >= 2));
  t.ok(looping.ref && looping.ours, 'both restart the failing ./run');
  await step(t, pair, times, 'd: stays down', main('d'), (i) => down(i) && st(i).want === 'd');
  const n = await both(pair, starts);
  await both(pair, main('u'));
  const again = await both(pair, (i) => settle(() => starts(i) > n[i.flavour] && st(i).want === 'u'));
  t.ok(again.ref && again.ours, 'u: both loop again');
  await step(t, pair, times, 'x: runsv exits', main('x'), exited);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});

t.test('down and log/down at start, supervise/ and log/supervise/ as symlinks', skip, async (t) => {
  const pair = await startPair(t, { run: '#!/bin/sh\nexec sleep 1000\n', down: '', 'log/run': '#!/bin/sh\nexec cat >/dev/null\n', 'log/down': '' }, 's', (cwd, dir) => {
    mkdirSync(path.join(cwd, 'sup'));
    symlinkSync('../sup/s', path.join(dir, 'supervise'));
    symlinkSync('../../sup/s-log', path.join(dir, 'log', 'supervise'));
  });
  const times: Times = new Map();
  const subs: Sub[] = ['supervise', 'log/supervise'];
  const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
  // runsv's "pid changed" flag is shared by the service and its log: the main
  // service's first status write clears it, so a log service that never ran has
  // no log/supervise/pid at all.
  await step(t, pair, times, 'started: both down, both want down', () => undefined, (i) => down(i) && down(i, 'log/supervise') && st(i, 'log/supervise').want === 'd', {
    subs,
  });
  const made = await both(pair, (i) => [isDir(path.join(i.cwd, 'sup', 's')), isDir(path.join(i.cwd, 'sup', 's-log'))]);
  t.same(made.ours, made.ref, 'the symlink targets were created');
  t.same(made.ours, [true, true], 'both targets are folders');
  await step(t, pair, times, 'log u', (i) => control(i.dir, 'u', 'log/supervise'), (i) => running(i, 'log/supervise'), { subs });
  await step(t, pair, times, 'x: the log sees EOF, runsv exits', (i) => control(i.dir, 'x'), exited, { subs });
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});

t.test('a missing ./run: the same message once a second, d stops the retries', skip, async (t) => {
  const pair = await startPair(t, {});
  const times: Times = new Map();
  const line = 'runsv s: fatal: unable to start ./run: file does not exist\n';
  const tries = (i: Instance): number => i.stderr.split(line).length - 1;
  const retried = await both(pair, (i) => settle(() => tries(i) >= 2));
  t.ok(retried.ref, "runit's runsv retries");
  t.ok(retried.ours, 'our runsv retries');
  await step(t, pair, times, 'd: down', (i) => control(i.dir, 'd'), (i) => down(i) && st(i).want === 'd');
  const n = await both(pair, tries);
  await new Promise((r) => setTimeout(r, 1500));
  const after = await both(pair, tries);
  t.same([after.ours - n.ours, after.ref - n.ref], [0, 0], 'no more tries once down');
  const other = await both(pair, (i) => i.stderr.split('\n').filter((l) => l && l + '\n' !== line));
  t.same(other.ours, other.ref, 'no other messages');
  await step(t, pair, times, 'x: runsv exits', (i) => control(i.dir, 'x'), exited);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});

t.test('an `exec svlogd` log service (in-process in ours): the same status for the log', skip, async (t) => {
  const pair = await startPair(t, {
    run: '#!/bin/sh\necho hello\nexec sleep 1000\n',
    'log/run': '#!/bin/sh\nexec svlogd ./main\n',
    'log/main/config': '',
  });
  const times: Times = new Map();
  const subs: Sub[] = ['supervise', 'log/supervise'];
  const current = (i: Instance): string => readText(path.join(i.dir, 'log', 'main', 'current'));
  // ours runs this logger inside runsv: the status names runsv's own pid, the pid file is empty
  const inline = 'engine deviation (by design, inline svlogd): log/supervise/status holds the pid of runsv itself and log/supervise/pid is empty; runit: the svlogd process pid in both';
  const opts = { subs, pidTodo: { 'log/supervise': inline } };
  const log = (bytes: string) => (i: Instance) => control(i.dir, bytes, 'log/supervise');
  await step(t, pair, times, 'started', () => undefined, (i) => running(i) && running(i, 'log/supervise') && current(i) === 'hello\n', opts);
  await step(t, pair, times, 'log a: rotation, no status change', log('a'), (i) => readdirSync(path.join(i.dir, 'log', 'main')).some((f) => f.startsWith('@')), opts);
  await step(t, pair, times, 'log p', log('p'), (i) => st(i, 'log/supervise').paused === 1, opts);
  await step(t, pair, times, 'log c', log('c'), (i) => st(i, 'log/supervise').paused === 0, opts);
  await step(t, pair, times, 'log d', log('d'), (i) => down(i, 'log/supervise'), opts);
  await step(t, pair, times, 'log u', log('u'), (i) => running(i, 'log/supervise'), opts);
  await step(t, pair, times, 'x: the logger sees EOF, runsv exits', (i) => control(i.dir, 'x'), exited, opts);
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'runsv exit status');
});
