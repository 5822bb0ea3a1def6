// Helpers for the survival tests (issue 14): fleets of services that write numbered
// lines, finding their processes in /proc, reading back what was logged, and a
// teardown that kills by pid everything left under a test's folder (services
// outlive a SIGKILLed daemon by design).
import { execFile, spawn } from 'node:child_process';
import { closeSync, constants, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { killPid, tempDir } from '../helpers/proc';
import { ourBin, repoRoot } from '../helpers/reference';
import { makeService, observe } from '../runsv/runsv-helpers';
import type { Runsvdir } from './runsvdir-helpers';

type Teardown = { teardown(fn: () => void | Promise<void>): void };

export type LogKind = 'inline' | 'cat' | null;

export interface FleetService {
  name: string;
  dir: string;
  /** an argv word only this service's payload process carries */
  marker: string;
  log: LogKind;
}

/**
 * The payload of a logged service: numbered lines `MARKER N` on stdout, ten at a
 * time every 0.5 s (few forks on a loaded machine), and the last number written
 * appended to ./count after each line (appended: a writer killed inside `> count`
 * would leave it empty). `exec sh -c` keeps the supervised pid the
 * payload's, with the marker as its $0.
 */
export function writerRun(marker: string): string {
  const loop = 'i=0; while :; do for k in 1 2 3 4 5 6 7 8 9 10; do i=$((i+1)); echo "$0 $i"; echo $i >> count; done; sleep 0.5; done';
  return `exec sh -c '${loop}' ${marker}`;
}

/** A payload that writes nothing and wakes rarely. */
export function idleRun(marker: string): string {
  return `exec sh -c 'while :; do sleep 5; done' ${marker}`;
}

/** The canonical log/run the daemon runs in-process. */
export const INLINE_LOG_RUN = '#!/bin/sh\nexec svlogd -tt ./main\n';
/** A log/run that is not canonical, so it runs as a process of its own. */
export const CAT_LOG_RUN = '#!/bin/sh\nexec cat >> ./out\n';

/**
 * A scan folder of services: `logged` of them writers with a log service (the first
 * `catLogs` of those with a cat logger, the others in-process svlogd), the rest idle
 * without a log. Markers carry the test folder's unique name: tests of other
 * worktrees may run at the same time.
 */
export function makeFleet(sv: string, opts: { total: number; logged: number; catLogs: number }): FleetService[] {
  const tag = path.basename(path.dirname(sv));
  const out: FleetService[] = [];
  for (let i = 0; i < opts.total; i++) {
    const name = `s${String(i).padStart(3, '0')}`;
    const marker = `${tag}-${name}`;
    const log: LogKind = i < opts.logged ? (i < opts.catLogs ? 'cat' : 'inline') : null;
    const dir = makeService(sv, name, {
      run: log ? writerRun(marker) : idleRun(marker),
      log: log ? { run: log === 'cat' ? CAT_LOG_RUN : INLINE_LOG_RUN } : undefined,
    });
    if (log === 'inline') mkdirSync(path.join(dir, 'log', 'main'));
    out.push({ name, dir, marker, log });
  }
  return out;
}

/** The environment for a daemon: our bin/ first in PATH (svlogd, should a logger be spawned). */
export function daemonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${path.join(repoRoot, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...extra };
}

// ------------------------------------------------------------------ /proc

function numericEntries(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

export interface ProcEntry {
  pid: number;
  ppid: number;
  argv: string[];
  cwd: string;
  comm: string;
}

/** Every live (not zombie) process, read once: checking a hundred services against it is cheap. */
export function processTable(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const pid of numericEntries()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.push({ pid, ppid: Number(rest[1]), argv: argvOf(pid), cwd: readlinkSync(`/proc/${pid}/cwd`), comm });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Live processes carrying `word` as one of their argv words. A child the payload
 * has forked and not yet exec'd (its sleep) carries the payload's argv too: such
 * a process, whose parent carries the word, is the payload at work, not a second
 * instance of it.
 */
export function pidsWithArg(word: string, table: ProcEntry[] = processTable()): number[] {
  const carriers = table.filter((p) => p.argv.includes(word));
  const pids = new Set(carriers.map((p) => p.pid));
  return carriers.filter((p) => !pids.has(p.ppid)).map((p) => p.pid);
}

/** Live processes (as `comm`, optional) whose current folder is `dir`. */
export function pidsInDir(dir: string, comm?: string, table: ProcEntry[] = processTable()): number[] {
  return table.filter((p) => p.cwd === dir && (comm === undefined || p.comm === comm)).map((p) => p.pid);
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
export function startTicks(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[19]);
}

export function oomScoreAdj(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim());
}

// ------------------------------------------------------------------ status

export interface Snapshot {
  pid: number;
  /** TAI64N of the status record, as `sec.nsec` */
  time: string;
  state: number;
}

export function snapshot(dir: string): Snapshot | null {
  const o = observe(dir);
  return o ? { pid: o.pid, time: `${o.time.sec}.${o.time.nsec}`, state: o.state } : null;
}

/** True when a supervisor listens on dir/supervise/ok (what sv needs before it talks to it). */
export function supervised(dir: string): boolean {
  try {
    closeSync(openSync(path.join(dir, 'supervise', 'ok'), constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { env, maxBuffer: 1 << 24, timeout: 60000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

/** Our sv. */
export function sv(args: string[]): Promise<Run> {
  return run(ourBin('sv'), args);
}

/** `run: DIR: (pid N) Ss...` lines of `sv status` by folder: pid and seconds. */
export function parseStatus(stdout: string): Map<string, { pid: number; secs: number; line: string }> {
  const out = new Map<string, { pid: number; secs: number; line: string }>();
  for (const line of stdout.split('\n')) {
    const m = /^run: (.*?): \(pid (\d+)\) (\d+)s/.exec(line);
    if (m) out.set(m[1], { pid: Number(m[2]), secs: Number(m[3]), line });
  }
  return out;
}

// ------------------------------------------------------------------ logs

/** What a service's logger wrote, one entry per line, without svlogd's stamp. */
export function loggedLines(s: FleetService): string[] {
  const strip = (l: string): string => (s.log === 'inline' ? l.slice(l.indexOf(' ') + 1) : l);
  const files: string[] = [];
  if (s.log === 'cat') files.push(path.join(s.dir, 'log', 'out'));
  else {
    const main = path.join(s.dir, 'log', 'main');
    try {
      for (const f of readdirSync(main).filter((f) => f.startsWith('@')).sort()) files.push(path.join(main, f));
    } catch {
      // not there yet
    }
    files.push(path.join(main, 'current'));
  }
  const lines: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const l of readFileSync(f, 'latin1').split('\n')) if (l !== '') lines.push(strip(l));
  }
  return lines;
}

/** The last number the writer recorded in ./count (it may have written one line more). */
export function writtenCount(s: FleetService): number {
  try {
    const lines = readFileSync(path.join(s.dir, 'count'), 'latin1').split('\n').filter(Boolean);
    return Number(lines[lines.length - 1]) || 0;
  } catch {
    return 0;
  }
}

export interface LogAnalysis {
  /** numbered lines found */
  lines: number;
  /** highest number logged */
  max: number;
  /** numbers logged more than once */
  duplicates: number;
  /** places where a number is not greater than the one before */
  outOfOrder: number;
  /** numbers 1..max never logged, and their bytes as the writer wrote them */
  missing: number;
  missingBytes: number;
  /** lines that are not `MARKER N` (a line cut by a killed logger) */
  damaged: string[];
}

export function analyse(s: FleetService, lines: string[] = loggedLines(s)): LogAnalysis {
  const seen = new Set<number>();
  let prev = 0;
  const a: LogAnalysis = { lines: 0, max: 0, duplicates: 0, outOfOrder: 0, missing: 0, missingBytes: 0, damaged: [] };
  const prefix = `${s.marker} `;
  for (const l of lines) {
    const n = l.startsWith(prefix) && /^\d+$/.test(l.slice(prefix.length)) ? Number(l.slice(prefix.length)) : 0;
    if (n === 0) {
      a.damaged.push(l);
      continue;
    }
    a.lines++;
    if (seen.has(n)) a.duplicates++;
    if (n <= prev) a.outOfOrder++;
    seen.add(n);
    prev = n;
    if (n > a.max) a.max = n;
  }
  for (let n = 1; n <= a.max; n++) {
    if (!seen.has(n)) {
      a.missing++;
      a.missingBytes += Buffer.byteLength(`${prefix}${n}\n`);
    }
  }
  return a;
}

// ------------------------------------------------------------------ cleanup

/**
 * A test folder (`root/sv` is the scan folder) whose teardown kills, by pid, every
 * process still working in it or for it: anything whose current folder is inside
 * root (services, their sleeps, cat loggers) or whose argv names it (payloads by
 * marker, a daemon of a staged install), and the pids the test tracked, if they
 * are still the same processes. Then the folder goes.
 */
export function survivalRoot(t: Teardown): { root: string; sv: string; track: (pid: number) => void } {
  const root = tempDir(t, 'runitd-survive-');
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  // pid -> start time: a pid seen early in a test may belong to someone else by its end
  const tracked = new Map<number, number>();
  t.teardown(() => {
    const victims = new Set<number>();
    for (const [pid, ticks] of tracked) if (ticksOf(pid) === ticks) victims.add(pid);
    const tag = path.basename(root);
    for (const p of numericEntries()) {
      if (p === process.pid) continue;
      try {
        const cwd = readlinkSync(`/proc/${p}/cwd`);
        if (cwd === root || cwd.startsWith(root + '/') || argvOf(p).some((w) => w.includes(tag))) victims.add(p);
      } catch {
        // gone, or not ours to look at
      }
    }
    for (const p of victims) killPid(p, 'SIGKILL');
  });
  return {
    root,
    sv,
    track: (pid) => {
      const ticks = ticksOf(pid);
      if (ticks !== null) tracked.set(pid, ticks);
    },
  };
}

function ticksOf(pid: number): number | null {
  try {
    return startTicks(pid);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ status forging

/** Points supervise/status (and supervise/pid) at `pid`, state run, as a dead daemon might have left it. */
export function forgeStatusPid(dir: string, pid: number): void {
  const file = path.join(dir, 'supervise', 'status');
  const buf = readFileSync(file);
  buf.writeUInt32LE(pid, 12);
  buf[19] = 1;
  writeFileSync(file, buf);
  writeFileSync(path.join(dir, 'supervise', 'pid'), `${pid}\n`);
}

/** supervise/pidstart: `PID STARTTICKS` and what follows them (the kind of process). */
export function readPidstart(dir: string): { pid: number; ticks: number; rest: string[] } | null {
  try {
    const [p, tk, ...rest] = readFileSync(path.join(dir, 'supervise', 'pidstart'), 'latin1').trim().split(/\s+/);
    return { pid: Number(p), ticks: Number(tk), rest };
  } catch {
    return null;
  }
}

/** Rewrites supervise/pidstart with another pid and start time, the rest of the record as the daemon wrote it. */
export function forgePidstart(dir: string, pid: number, ticks: number): void {
  const rec = readPidstart(dir);
  if (!rec) throw new Error(`no pidstart in ${dir}`);
  writeFileSync(path.join(dir, 'supervise', 'pidstart'), [pid, ticks, ...rec.rest].join(' ') + '\n');
}

// ------------------------------------------------------------------ a separate install

/**
 * A copy of what runs the daemon (bin/, dist/, build/Release/, node_modules as a
 * link) under `root`, so a test can break "the installed version" under a running
 * daemon without touching the checkout.
 */
export function stageInstall(root: string): { dir: string; bin: (name: string) => string } {
  const dir = path.join(root, 'install');
  for (const p of ['bin', 'dist', path.join('build', 'Release')]) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true, verbatimSymlinks: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  cpSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  return { dir, bin: (name) => path.join(dir, 'bin', name) };
}

/**
 * startRunsvdir with a command line of the test's choice: a daemon from another
 * install, or one started through a shell that lowers a limit first (it execs,
 * so the pid is the daemon's).
 */
export function startDaemonAt(t: Teardown, argv: string[], env: NodeJS.ProcessEnv): Runsvdir {
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const r: Runsvdir = { pid: proc.pid!, proc, stderr: () => err, exited };
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      killPid(r.pid, 'SIGTERM');
      // the grace timer must not outlive the daemon: it would hold the test file open for its whole length
      let grace: NodeJS.Timeout | undefined;
      const done = await Promise.race([exited, new Promise((res) => (grace = setTimeout(() => res(null), 15000)))]);
      clearTimeout(grace);
      if (done === null) killPid(r.pid, 'SIGKILL');
    }
  });
  return r;
}
