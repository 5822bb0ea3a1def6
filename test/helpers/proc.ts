// Helpers for tests on real processes: polling with deadlines, /proc readers,
// temp folders and kill-by-pid teardown.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Polls `cond` until it returns a truthy value or the deadline passes (then throws). */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 20000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A file's text, or '' while it does not exist yet (a log file its logger has not made). */
export function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** The `Name:\tvalue` lines of /proc/PID/status as a map. */
export function procStatus(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** /proc/PID/stat fields after the command name: state, ppid, pgrp, session ... */
export function procStat(pid: number): { state: string; ppid: number; pgrp: number; session: number } {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]), session: Number(rest[3]) };
}

/** Open fds of a process, as numbers, sorted. */
export function openFds(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`).map(Number).sort((a, b) => a - b);
}

/** The soft and hard limit of one /proc/PID/limits line, e.g. 'Max open files'. */
export function procLimit(pid: number, name: string): { soft: string; hard: string } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith(name));
  if (!line) throw new Error(`no limit ${name}`);
  const cols = line.slice(26).trim().split(/\s+/);
  return { soft: cols[0], hard: cols[1] };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return procStat(pid).state !== 'Z';
  } catch {
    return false;
  }
}

/** Kills a pid we started, ignoring a process that is already gone. */
export function killPid(pid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Children of `ppid` that are zombies right now. */
export function zombieChildren(ppid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const st = procStat(Number(e));
      if (st.ppid === ppid && st.state === 'Z') out.push(Number(e));
    } catch {
      // raced with its exit
    }
  }
  return out;
}

/** A temp folder removed by `t.teardown`. */
export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'runitd-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Captured {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a short command, stdin closed, and collects its output (killed by pid after `timeoutMs`). */
export function capture(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Captured> {
  // loaded here: most tests that import this file start nothing through child_process
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Runs `jobs` at most `width` at a time; the results in the jobs' order. */
export async function pool<T>(jobs: (() => Promise<T>)[], width = 4): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}
