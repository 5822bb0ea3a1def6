// Running the example services (var_service/) under our daemon in tests: a copy in
// a temp folder, the daemon with its output captured, sv calls, supervise/ files,
// and a record of every process the services started so teardown can kill, by pid,
// whatever outlives them (runit stops only a service's main pid, so e.g. a `sleep`
// a shell was waiting on is orphaned, as under runit).
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { killPid } from '../helpers/proc';
import { ourBin, repoRoot } from '../helpers/reference';

type Teardown = { teardown(fn: () => void | Promise<void>): void };

export const binDir = path.join(repoRoot, 'bin');
export const services = ['clock', 'dhcp', 'firewall', 'flaky', 'watchdog', 'nobody-web', 'maintenance'];

/** Copies var_service/ into `parent`/service (never supervise the repository's own). */
export function copyVarService(parent: string): string {
  const dir = path.join(parent, 'service');
  cpSync(path.join(repoRoot, 'var_service'), dir, { recursive: true });
  return dir;
}

export function envWithBin(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...extra };
}

export interface Daemon {
  pid: number;
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running: () => boolean;
}

/**
 * Spawns `argv` (our runsvdir, or the demo that execs it) with output captured.
 * Teardown: SIGTERM, then SIGKILL if it hangs, then every recorded process left.
 */
export function startDaemon(t: Teardown, argv: string[], env: NodeJS.ProcessEnv, tracker: ProcessTracker, detached = false): Daemon {
  // detached: a session of its own, as in a terminal, so a Ctrl-C can go to its process group
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env, detached });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => proc.exitCode === null && proc.signalCode === null;
  const closed = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  const d: Daemon = { pid: proc.pid!, proc, stdout: () => out, stderr: () => err, exited, running };
  tracker.root = d.pid;
  tracker.watchOutputs(d.pid);
  t.teardown(async () => {
    if (running()) {
      tracker.snapshot();
      killPid(d.pid, 'SIGTERM');
      if ((await within(exited, 15000)) === null) killPid(d.pid, 'SIGKILL');
    }
    tracker.killLeft();
    // our ends of its output close once nothing holds the other ends any more
    await within(closed, 5000);
    proc.stdout!.destroy();
    proc.stderr!.destroy();
  });
  return d;
}

/** `p`, or null after `ms`; the timer does not outlive the race (it would hold the test open). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<null>((res) => (timer = setTimeout(() => res(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SvResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command (our sv by default) without blocking the loop that reads the daemon's output. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<SvResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 30000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function sv(svdir: string, ...args: string[]): Promise<SvResult> {
  return run(ourBin('sv'), args, envWithBin({ SVDIR: svdir }));
}

/** supervise/stat ('run', 'down', 'finish', ...) or '' while it does not exist. */
export function stat(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'supervise', 'stat'), 'utf8').trim();
  } catch {
    return '';
  }
}

/** supervise/pid as a number (0 when empty or absent). */
export function pidOf(dir: string): number {
  try {
    return Number(readFileSync(path.join(dir, 'supervise', 'pid'), 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function lines(file: string): string[] {
  return readText(file).split('\n').filter((l) => l !== '');
}

export function count(text: string, re: RegExp): number {
  return (text.match(new RegExp(re.source, 'g')) ?? []).length;
}

/** Start time (clock ticks since boot) of a pid, to tell it from a later reuse of the number. */
export function startTime(pid: number): string | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return null;
  }
}

/** One-letter state of a pid ('R', 'S', 'T', 'Z' ...), '' when gone. */
export function procState(pid: number): string {
  const s = readText(`/proc/${pid}/stat`);
  return s ? s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) : '';
}

export function cmdline(pid: number): string {
  return readText(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
}

/** Live children of a pid (all threads), from /proc. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const task of tasks) {
    for (const c of readText(`/proc/${pid}/task/${task}/children`).split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/** Every process seen under the daemon, with its start time, so teardown kills only those. */
export class ProcessTracker {
  root = 0;
  readonly seen = new Map<number, { start: string; cmd: string }>();

  /** Records the daemon's current descendants; returns them. */
  snapshot(): number[] {
    const found: number[] = [];
    const todo = this.root ? [this.root] : [];
    while (todo.length) {
      for (const c of childrenOf(todo.pop()!)) {
        const start = startTime(c);
        if (start === null) continue;
        if (!this.seen.has(c) || this.seen.get(c)!.start !== start) this.seen.set(c, { start, cmd: cmdline(c) });
        found.push(c);
        todo.push(c);
      }
    }
    return found;
  }

  /** The daemon's stdout and stderr (pipe or socket inodes). */
  readonly outputs = new Set<string>();

  watchOutputs(pid: number): void {
    for (const fd of [1, 2]) {
      try {
        this.outputs.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        // gone already
      }
    }
  }

  /**
   * Processes whose stdin/stdout/stderr is the daemon's output: its services and
   * whatever they left behind, even reparented after the daemon exited.
   */
  holders(): number[] {
    const out: number[] = [];
    if (this.outputs.size === 0) return out;
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
      for (const fd of [0, 1, 2]) {
        let link = '';
        try {
          link = readlinkSync(`/proc/${e}/fd/${fd}`);
        } catch {
          continue;
        }
        if (this.outputs.has(link)) {
          out.push(Number(e));
          break;
        }
      }
    }
    return out;
  }

  /** Records one pid (e.g. a process the test itself stopped). */
  add(pid: number): void {
    const start = startTime(pid);
    if (start !== null) this.seen.set(pid, { start, cmd: cmdline(pid) });
  }

  /** Recorded processes still alive (same pid AND same start time), and holders of the daemon's output. */
  left(): { pid: number; cmd: string }[] {
    for (const pid of this.holders()) if (procState(pid) !== 'Z') this.add(pid);
    const out: { pid: number; cmd: string }[] = [];
    for (const [pid, { start, cmd }] of this.seen) {
      const now = startTime(pid);
      if (now === start && procState(pid) !== 'Z') out.push({ pid, cmd });
    }
    return out;
  }

  killLeft(): void {
    for (const { pid } of this.left()) {
      killPid(pid, 'SIGKILL');
    }
  }
}
