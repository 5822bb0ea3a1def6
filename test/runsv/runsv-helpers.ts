// Driving our runsv (bin/runsv) in tests: service folders in temp dirs, control
// bytes through the real FIFO, status read back from supervise/, cleanup by pid.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { decodeStatus, StatusRecord } from '../../lib/supervise/status';
import { killPid, waitFor } from '../helpers/proc';
import { ourBin } from '../helpers/reference';

export interface ServiceSpec {
  run?: string;
  finish?: string;
  down?: boolean;
  control?: Record<string, string>;
  log?: { run: string; down?: boolean };
}

function script(file: string, body: string): void {
  writeFileSync(file, body.startsWith('#!') ? body : `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

/** Writes a service folder; returns its path. */
export function makeService(root: string, name: string, spec: ServiceSpec): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  if (spec.run !== undefined) script(path.join(dir, 'run'), spec.run);
  if (spec.finish !== undefined) script(path.join(dir, 'finish'), spec.finish);
  if (spec.down) writeFileSync(path.join(dir, 'down'), '');
  if (spec.control) {
    mkdirSync(path.join(dir, 'control'));
    for (const [c, body] of Object.entries(spec.control)) script(path.join(dir, 'control', c), body);
  }
  if (spec.log) {
    mkdirSync(path.join(dir, 'log'));
    script(path.join(dir, 'log', 'run'), spec.log.run);
    if (spec.log.down) writeFileSync(path.join(dir, 'log', 'down'), '');
  }
  return dir;
}

export interface Runsv {
  pid: number;
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

type Teardown = { teardown(fn: () => void | Promise<void>): void };

/** Starts our runsv on `dir` (cwd = its parent, argument = `arg`); stopped in teardown. */
export function startRunsv(t: Teardown, dir: string, opts: { arg?: string; bin?: string } = {}): Runsv {
  const arg = opts.arg ?? path.basename(dir);
  const proc = spawn(opts.bin ?? ourBin('runsv'), [arg], { cwd: path.dirname(dir), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const r: Runsv = { pid: proc.pid!, proc, stderr: () => err, exited };
  t.teardown(async () => {
    const pids = [readPid(dir), readPid(path.join(dir, 'log'))];
    if (proc.exitCode === null && proc.signalCode === null) {
      killPid(r.pid, 'SIGTERM');
      // the grace timer must not outlive the daemon: it would hold the test file open for its whole length
      let grace: NodeJS.Timeout | undefined;
      const done = await Promise.race([exited, new Promise((res) => (grace = setTimeout(() => res(null), 5000)))]);
      clearTimeout(grace);
      if (done === null) killPid(r.pid, 'SIGKILL');
    }
    for (const p of pids) if (p) killPid(p, 'SIGKILL');
  });
  return r;
}

export function readPid(dir: string): number {
  try {
    return Number(readFileSync(path.join(dir, 'supervise', 'pid'), 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

export interface Observed extends StatusRecord {
  stat: string;
  pidFile: string;
}

export function observe(dir: string): Observed | null {
  try {
    const rec = decodeStatus(readFileSync(path.join(dir, 'supervise', 'status')));
    return { ...rec, stat: readFileSync(path.join(dir, 'supervise', 'stat'), 'utf8'), pidFile: readFileSync(path.join(dir, 'supervise', 'pid'), 'utf8') };
  } catch {
    return null;
  }
}

/** Polls supervise/ until `pred` holds; returns what was seen. */
export async function waitStatus(dir: string, pred: (o: Observed) => boolean, what: string, timeoutMs = 20000): Promise<Observed> {
  return waitFor(() => {
    const o = observe(dir);
    return o && pred(o) ? o : null;
  }, `${what} (last: ${JSON.stringify(observe(dir)?.stat)})`, timeoutMs);
}

/** Writes control bytes the way sv does: a non-blocking open of the FIFO. */
export function control(dir: string, bytes: string): void {
  const fd = openSync(path.join(dir, 'supervise', 'control'), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

export function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}
