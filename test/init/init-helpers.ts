// Booting our init programs in PID + mount namespaces made by the test itself
// (unshare --pid --fork --mount-proc --mount): the namespace's init is PID 1
// there, /dev/console is a FIFO the test reads, and RUNIT_DIR is a tmpfs filled
// from a template folder. Killing the namespace's init (by its host pid) takes
// every process of the namespace with it, so teardown cannot leak processes.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import * as path from 'node:path';
import { killPid, procStat, tempDir, waitFor } from '../helpers/proc';
import { ourBin } from '../helpers/reference';

type Teardown = { teardown(fn: () => void | Promise<void>): void };
export type Ended = { code: number | null; signal: NodeJS.Signals | null };

let skipReason: string | false | undefined;

/** Why namespaces cannot be made here (for t.skip), or false. */
/** A file's text, or '' while it does not exist yet (stage scripts write them as they go). */
export function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function namespaceSkip(): string | false {
  if (skipReason !== undefined) return skipReason;
  if (process.getuid?.() !== 0) return (skipReason = 'PID and mount namespaces need root');
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--mount', 'sh', '-c', 'mount -t tmpfs probe /mnt && echo ok'], {
    encoding: 'utf8',
    timeout: 20000,
  });
  skipReason = r.stdout?.trim() === 'ok' ? false : `cannot make PID/mount namespaces here (unshare: ${(r.stderr || String(r.error ?? r.status)).trim()})`;
  return skipReason;
}

/** A fresh folder everyone may read (the checkout may be 0700), removed at teardown. */
export function openTemp(t: Teardown): string {
  const dir = tempDir(t, 'runitd-init-');
  chmodSync(dir, 0o755);
  return dir;
}

/** Writes an executable script. */
export function script(file: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

export interface Booted {
  /** host pid of `unshare` */
  pid: number;
  proc: ChildProcess;
  console: () => string;
  stderr: () => string;
  ended: Promise<Ended>;
  /** host pid of the namespace's PID 1 */
  initPid: () => Promise<number>;
  /** runs a command inside the namespace (pid + mount), as runit-init would be run there */
  enter: (argv: string[], env?: NodeJS.ProcessEnv) => { status: number | null; stdout: string; stderr: string };
}

export interface BootOptions {
  /** folder whose files become RUNIT_DIR (a tmpfs at `stage`) */
  template?: string;
  /** where RUNIT_DIR is mounted */
  stage?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts `argv` as PID 1 of new namespaces. */
export function boot(t: Teardown, dir: string, argv: string[], opts: BootOptions = {}): Booted {
  const fifo = path.join(dir, 'console');
  spawnSync('mkfifo', ['-m', '600', fifo]);
  // read-write: the FIFO never reports EOF, whoever opens and closes it inside
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  let consoleText = '';
  const sock = new Socket({ fd, readable: true, writable: false });
  sock.on('data', (d: Buffer) => (consoleText += d.toString()));
  sock.on('error', () => undefined);

  const bootSh = path.join(dir, 'boot.sh');
  writeFileSync(
    bootSh,
    [
      'set -e',
      'if [ -n "$STAGE" ]; then mkdir -p "$STAGE"; mount -t tmpfs -o mode=755 runit-stage "$STAGE"; cp -a "$TEMPLATE/." "$STAGE/"; fi',
      'mount --bind "$CONSOLE" /dev/console',
      'exec "$@"',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, CONSOLE: fifo, STAGE: opts.stage ?? '', TEMPLATE: opts.template ?? '' };
  if (opts.stage) env.RUNIT_DIR = opts.stage;
  const proc = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--mount', 'sh', bootSh, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<Ended>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const pid = proc.pid!;
  let init = 0;
  const initPid = async (): Promise<number> => {
    if (init) return init;
    init = await waitFor(() => childOf(pid), 'the namespace init', 20000);
    return init;
  };
  const enter = (cmd: string[], extra: NodeJS.ProcessEnv = {}) => {
    if (!init) throw new Error('initPid() first');
    const r = spawnSync('nsenter', ['-t', String(init), '-p', '-m', '--', ...cmd], { encoding: 'utf8', env: { ...env, ...extra }, timeout: 20000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const p = childOf(pid);
      // the namespace's init: its death ends every process of the namespace
      if (p) killPid(p, 'SIGKILL');
      killPid(pid, 'SIGKILL');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 10000))]);
    }
    sock.destroy();
    try {
      closeSync(fd);
    } catch {
      // the socket closed it
    }
  });
  return { pid, proc, console: () => consoleText, stderr: () => err, ended, initPid, enter };
}

function childOf(ppid: number): number {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (procStat(Number(e)).ppid === ppid) return Number(e);
    } catch {
      // gone meanwhile
    }
  }
  return 0;
}

/** Processes whose parent is `ppid`, with their state. */
export function childrenOf(ppid: number): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const st = procStat(Number(e));
      if (st.ppid === ppid) out.push({ pid: Number(e), state: st.state });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Waits for the console to contain `text`. */
export function consoleShows(b: Booted, text: string, timeoutMs = 30000): Promise<boolean> {
  return waitFor(() => b.console().includes(text), `console: ${JSON.stringify(text)} (so far: ${JSON.stringify(b.console())})`, timeoutMs);
}

/** The lines of `text` that `want` lists, in order, each after the previous one. */
export function inOrder(text: string, want: string[]): string[] {
  const found: string[] = [];
  let at = 0;
  for (const w of want) {
    const i = text.indexOf(w, at);
    if (i < 0) break;
    found.push(w);
    at = i + w.length;
  }
  return found;
}

export const bin = (name: string): string => ourBin(name);
