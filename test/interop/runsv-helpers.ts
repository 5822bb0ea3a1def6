// Helpers for the runsv interop tests: one service folder content, supervised twice
// at once (runit's runsv and ours, in two sibling temp folders with the same
// relative names), read back through supervise/ and through runit's clients.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { killPid, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceBinDir } from '../helpers/reference';

export type Flavour = 'ref' | 'ours';
export const FLAVOURS: Flavour[] = ['ref', 'ours'];

/** Relative path inside the service folder -> content; content starting with `#!` is made executable. */
export type ServiceFiles = Record<string, string>;

export interface Instance {
  flavour: Flavour;
  /** the folder holding the service folder; clients run here with `./NAME` */
  cwd: string;
  /** the service folder's name, as given to runsv and to the clients */
  name: string;
  /** absolute path of the service folder */
  dir: string;
  proc: ChildProcess;
  pid: number;
  exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

export interface Pair {
  root: string;
  ref: Instance;
  ours: Instance;
}

export function writeService(dir: string, files: ServiceFiles): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text, { mode: text.startsWith('#!') ? 0o755 : 0o644 });
  }
}

// Processes started under our temp root keep their cwd inside it (runsv's run,
// finish, log/run and control scripts all start in the service folder).
function pidsWithCwdUnder(root: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${e}/cwd`);
      if (cwd === root || cwd.startsWith(root + '/')) out.push(Number(e));
    } catch {
      // not ours, or gone
    }
  }
  return out;
}

function pidFromFile(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/** Stops one runsv: TERM it, kill its current children until it exits, then KILL it. */
export async function stopInstance(inst: Instance): Promise<void> {
  if (!inst.exitInfo) killPid(inst.pid, 'SIGTERM');
  const end = Date.now() + 5000;
  while (!inst.exitInfo && Date.now() < end) {
    // services here may trap TERM, and ./finish may sleep: kill what runsv supervises
    for (const f of ['supervise/pid', 'log/supervise/pid']) {
      const p = pidFromFile(path.join(inst.dir, f));
      if (p > 0) killPid(p, 'SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!inst.exitInfo) {
    killPid(inst.pid, 'SIGKILL');
    await waitFor(() => inst.exitInfo, 'runsv killed', 5000).catch(() => undefined);
  }
}

function launch(flavour: Flavour, cwd: string, name: string): Instance {
  const bin = flavour === 'ref' ? referenceBin('runsv') : ourBin('runsv');
  if (!bin) throw new Error('reference runsv missing');
  // log/run scripts say `exec svlogd`: runit's runsv finds the reference one in PATH
  const env = { ...process.env, PATH: `${referenceBinDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const proc = spawn(bin, [name], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const inst: Instance = { flavour, cwd, name, dir: path.join(cwd, name), proc, pid: proc.pid ?? -1, stderr: '' };
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (s: string) => (inst.stderr += s));
  proc.on('exit', (code, signal) => (inst.exitInfo = { code, signal }));
  return inst;
}

/**
 * The same service folder twice (ROOT/ref/NAME and ROOT/ours/NAME), each under
 * its runsv. Waits until both answer on supervise/ok and wrote a status.
 */
export async function startPair(
  t: { teardown(fn: () => unknown): void },
  files: ServiceFiles,
  name = 's',
  prepare?: (cwd: string, dir: string) => void,
): Promise<Pair> {
  const root = mkdtempSync(path.join(tmpdir(), 'runitd-interop-'));
  const made: Instance[] = [];
  t.teardown(async () => {
    await Promise.all(made.map(stopInstance));
    for (const p of pidsWithCwdUnder(root)) killPid(p, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });
  for (const f of FLAVOURS) {
    const cwd = path.join(root, f);
    writeService(path.join(cwd, name), files);
    if (prepare) prepare(cwd, path.join(cwd, name));
    made.push(launch(f, cwd, name));
  }
  const pair: Pair = { root, ref: made[0], ours: made[1] };
  for (const inst of made) {
    await waitFor(() => {
      if (inst.exitInfo) throw new Error(`${inst.flavour} runsv exited early: ${JSON.stringify(inst.exitInfo)} ${inst.stderr}`);
      return okOpen(inst.dir) && readStatus(inst.dir) !== null;
    }, `${inst.flavour} runsv up`, 10000);
  }
  return pair;
}

/** Whether a runsv holds supervise/ok open for reading (svok's test). */
export function okOpen(dir: string, sub = 'supervise'): boolean {
  try {
    closeSync(openSync(path.join(dir, sub, 'ok'), constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

export interface Status {
  pid: number;
  paused: number;
  want: string;
  term: number;
  state: number;
  sec: bigint;
  nsec: number;
}

export function readStatus(dir: string, sub = 'supervise'): Status | null {
  let b: Buffer;
  try {
    b = readFileSync(path.join(dir, sub, 'status'));
  } catch {
    return null;
  }
  if (b.length !== 20) return null;
  return {
    sec: b.readBigUInt64BE(0),
    nsec: b.readUInt32BE(8),
    pid: b.readUInt32LE(12),
    paused: b[16],
    want: String.fromCharCode(b[17]),
    term: b[18],
    state: b[19],
  };
}

/** What must be equal between runit and us after a step: everything but time and the pid's value. */
export interface Snapshot {
  status: { pid: 'zero' | 'non-zero'; paused: number; want: string; term: number; state: number } | null;
  stat: string | null;
  pidFile: 'absent' | 'empty' | 'pid';
  pidFileMatchesStatus: boolean;
}

export function snapshot(dir: string, sub = 'supervise'): Snapshot {
  const st = readStatus(dir, sub);
  const read = (f: string): string | null => {
    try {
      return readFileSync(path.join(dir, sub, f), 'utf8');
    } catch {
      return null;
    }
  };
  const pidText = read('pid');
  const pidFile = pidText === null ? 'absent' : pidText === '' ? 'empty' : 'pid';
  const filePid = pidFile === 'pid' && /^\d+\n$/.test(pidText ?? '') ? Number(pidText) : pidFile === 'empty' ? 0 : -1;
  return {
    status: st && { pid: st.pid ? 'non-zero' : 'zero', paused: st.paused, want: st.want, term: st.term, state: st.state },
    stat: read('stat'),
    pidFile,
    pidFileMatchesStatus: st !== null && filePid === st.pid,
  };
}

/** Writes control bytes the way svc does: one non-blocking write. */
export function control(dir: string, bytes: string, sub = 'supervise'): void {
  const fd = openSync(path.join(dir, sub, 'control'), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

export interface ClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a reference client (sv, svc, svstat, svok) in `cwd`. */
export function client(name: string, args: string[], cwd: string): Promise<ClientResult> {
  const bin = referenceBin(name);
  if (!bin) throw new Error(`reference ${name} missing`);
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, timeout: 20000, env: { ...process.env, SVWAIT: '7' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Pids and elapsed seconds differ between two runs; everything else must not. */
export function normalise(s: string): string {
  return s
    .replace(/\(pid \d+\)/g, '(pid N)')
    .replace(/\b\d+ seconds\b/g, 'N seconds')
    .replace(/\b\d+s\b/g, 'Ns');
}

/** Runs `fn` for both flavours at once. */
export async function both<T>(pair: Pair, fn: (inst: Instance) => Promise<T> | T): Promise<{ ref: T; ours: T }> {
  const [ref, ours] = await Promise.all([fn(pair.ref), fn(pair.ours)]);
  return { ref, ours };
}

/** Polls until `pred` holds; false (not a throw) when the deadline passes. */
export async function settle(pred: () => boolean, timeoutMs = 8000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (pred()) return true;
    } catch {
      // a file mid-rename or a process gone: try again
    }
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A process's state letter from /proc (R, S, T, Z ...), or '' when gone. */
export function procState(pid: number): string {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return '';
  }
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A ./run that stays up, records the signals it gets into ./sigs, survives TERM
 * (when `trapTerm`), and exits 0 on USR1 when `exitOnUsr1`.
 */
export function trappingRun(opts: { trapTerm: boolean; exitOnUsr1?: boolean }): string {
  // the sleep must not hold the log pipe: a KILLed shell would leave it behind
  const lines = ['#!/bin/sh', 'sleep 1000 >/dev/null & p=$!'];
  for (const [sig, word] of [
    ['HUP', 'hup'],
    ['ALRM', 'alrm'],
    ['INT', 'int'],
    ['QUIT', 'quit'],
    ['USR2', 'usr2'],
  ]) {
    lines.push(`trap 'echo ${word} >>sigs' ${sig}`);
  }
  lines.push(opts.exitOnUsr1 ? `trap 'kill $p; exit 0' USR1` : `trap 'echo usr1 >>sigs' USR1`);
  lines.push(opts.trapTerm ? `trap 'echo term >>sigs' TERM` : `trap 'echo term >>sigs; kill $p; exit 0' TERM`);
  // signals sent before the traps are set would kill the shell: tell the test
  lines.push('echo $$ >ready', 'while kill -0 $p 2>/dev/null; do wait $p; done', '');
  return lines.join('\n');
}

/** supervise/status as hex, for failure diagnostics. */
export function statusHex(dir: string, sub = 'supervise'): string | null {
  try {
    return readFileSync(path.join(dir, sub, 'status')).toString('hex');
  } catch {
    return null;
  }
}

/**
 * Whether the service's current process is ready for signals: always for a
 * plain ./run, after it wrote its pid to ./ready for a trappingRun() script.
 */
export function ready(dir: string, pid: number): boolean {
  if (!readText(path.join(dir, 'run')).includes('>ready')) return true;
  return readText(path.join(dir, 'ready')).trim() === String(pid);
}
