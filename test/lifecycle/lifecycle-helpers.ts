// Helpers for the lifecycle tests (docs/lifecycle.md): one daemon per test file
// with services added per subtest, sv run without blocking the event loop (a
// background `sv -w` must keep running while the test polls), timestamps taken
// by the services themselves, and TCP port probes for the stop-group tests.
//
// Everything a test starts is killed by pid, and every temp folder removed, in
// teardown, whatever state the engine was left in.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { alive, killPid, waitFor } from '../helpers/proc';
import { JsonStatus } from '../../lib/sv/json';
import { ourBin } from '../helpers/reference';
import { makeService, observe, readPid, ServiceSpec } from '../runsv/runsv-helpers';

type Teardown = { teardown(fn: () => void | Promise<void>): void };

/** A shell snippet printing the unix time in milliseconds (GNU date). */
export const NOW_MS = 'date +%s%3N';

export interface Daemon {
  pid: number;
  proc: ChildProcess;
  /** everything the daemon wrote to stderr so far (runsv's log, runsvdir's title log) */
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** the scan folder (runsvdir) or the parent of the one service folder (runsv) */
  scan: string;
}

/** A temp folder for one file, removed last, after the daemons are gone. */
export function fileRoot(t: Teardown): { root: string; addCleanup(fn: () => void | Promise<void>): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'runitd-lifecycle-'));
  // One teardown runs every cleanup in reverse order of registration, so the
  // folder is removed only after the daemons that write into it are stopped,
  // whatever order tap itself would choose for separate teardowns.
  const cleanups: Array<() => void | Promise<void>> = [];
  t.teardown(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // teardown never fails a test: the next cleanup must still run
      }
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  return { root, addCleanup: (fn) => cleanups.push(fn) };
}

function spawnDaemon(bin: string, args: string[], cwd: string, scan: string, addCleanup: (fn: () => Promise<void>) => void, serviceDirs: () => string[]): Daemon {
  const proc = spawn(bin, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const d: Daemon = { pid: proc.pid!, proc, stderr: () => err, exited, scan };
  addCleanup(async () => {
    // read before the stop: a clean stop empties supervise/pid
    const pids = serviceDirs().flatMap((s) => [readPid(s), readPid(path.join(s, 'log'))]);
    if (proc.exitCode === null && proc.signalCode === null) {
      killPid(d.pid, 'SIGTERM');
      // a pending grace timer would keep the test file alive for its whole length
      let grace: NodeJS.Timeout | undefined;
      const done = await Promise.race([exited, new Promise((res) => (grace = setTimeout(() => res(null), 10000)))]);
      clearTimeout(grace);
      if (done === null) killPid(d.pid, 'SIGKILL');
    }
    for (const p of pids) if (p) killPid(p, 'SIGKILL');
    for (const s of serviceDirs()) {
      const p = readPid(s);
      if (p) killPid(p, 'SIGKILL');
    }
  });
  return d;
}

/** Our runsvdir on a fresh scan folder, for the whole file; `-P` when asked. */
export function startScanDaemon(t: Teardown, opts: { P?: boolean } = {}): Daemon & { root: string; addCleanup(fn: () => void | Promise<void>): void } {
  const f = fileRoot(t);
  const scan = path.join(f.root, 'sv');
  mkdirSync(scan);
  const dirs = (): string[] => listDirs(scan);
  const d = spawnDaemon(ourBin('runsvdir'), [...(opts.P ? ['-P'] : []), scan], f.root, scan, f.addCleanup, dirs);
  return { ...d, root: f.root, addCleanup: f.addCleanup };
}

/** Our runsv on one service folder written from `spec` + `files`, in its own temp folder. */
export function startOneService(t: Teardown, name: string, spec: ServiceSpec, files: Record<string, string> = {}): Daemon & { dir: string } {
  const f = fileRoot(t);
  const dir = writeService(f.root, name, spec, files);
  const d = spawnDaemon(ourBin('runsv'), [name], f.root, f.root, f.addCleanup, () => [dir]);
  return { ...d, dir };
}

function listDirs(scan: string): string[] {
  try {
    return readdirSync(scan).map((n) => path.join(scan, n));
  } catch {
    return [];
  }
}

/** A service folder: runit's files from `spec`, then the lifecycle files (name -> content). */
export function writeService(parent: string, name: string, spec: ServiceSpec, files: Record<string, string> = {}): string {
  // build it beside the scan folder and move it in whole, so the daemon never
  // sees a service whose lifecycle files are not written yet
  const staging = mkdtempSync(path.join(path.dirname(parent), '.staging-'));
  const tmp = makeService(staging, name, spec);
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(tmp, f), content);
  const dir = path.join(parent, name);
  renameSync(tmp, dir);
  rmSync(staging, { recursive: true, force: true });
  return dir;
}

/**
 * Adds a service to the file's scan folder for one subtest. At the subtest's end it
 * is taken out of the scan folder (dot-renamed: the daemon lets it go) and its
 * process, and any pid listed in `pidFiles` (workers it forked), is killed.
 */
export function addService(
  t: Teardown,
  d: Daemon,
  name: string,
  spec: ServiceSpec,
  files: Record<string, string> = {},
  pidFiles: string[] = [],
): string {
  const dir = writeService(d.scan, name, spec, files);
  t.teardown(async () => {
    const gone = path.join(d.scan, `.gone-${name}`);
    const pids = [readPid(dir), ...pidFiles.flatMap((f) => readNumbers(path.join(dir, f)))];
    try {
      renameSync(dir, gone);
    } catch {
      // already moved by the test
    }
    for (const p of pids) if (p) killPid(p, 'SIGKILL');
    // a service that ignores TERM (or a ./finish that hangs) would hold the daemon's
    // stop forever: kill whatever it runs until it is down, briefly
    try {
      await waitFor(
        () => {
          const p = readPid(gone);
          if (p) killPid(p, 'SIGKILL');
          const o = observe(gone);
          return !o || o.state === 0;
        },
        `${name} down at teardown`,
        10000,
        100,
      );
    } catch {
      // the file-level teardown kills what is left
    }
    for (const f of pidFiles) for (const p of readNumbers(path.join(gone, f))) killPid(p, 'SIGKILL');
  });
  return dir;
}

/** The numbers in a file, one per line (pids, ms timestamps); [] when it does not exist. */
export function readNumbers(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

export function writeScript(file: string, body: string): void {
  writeFileSync(file, body.startsWith('#!') ? body : `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** unix ms when the command was started (taken just before spawn) */
  startedMs: number;
  /** unix ms when the command itself returned, recorded by the wrapping shell */
  returnedMs: number;
}

/**
 * Runs `bin args` without blocking the event loop. A wrapping shell records the
 * time the command returned, so the figure does not depend on when this process
 * gets to handle the exit.
 */
export function run(bin: string, args: string[], cwd?: string): Promise<Ran> & { child: ChildProcess; done: () => boolean } {
  const stampDir = mkdtempSync(path.join(tmpdir(), 'runitd-stamp-'));
  const stamp = path.join(stampDir, 'returned');
  const startedMs = Date.now();
  const child = spawn('/bin/sh', ['-c', `"$@"; rc=$?; ${NOW_MS} > '${stamp}'; exit $rc`, 'sh', bin, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let finished = false;
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const p = new Promise<Ran>((resolve) => {
    child.on('close', (code, signal) => {
      finished = true;
      let returnedMs = Date.now();
      try {
        returnedMs = Number(readFileSync(stamp, 'utf8').trim()) || returnedMs;
      } catch {
        // the shell was killed: our own clock is the best we have
      }
      rmSync(stampDir, { recursive: true, force: true });
      resolve({ code, signal, stdout: out, stderr: err, startedMs, returnedMs });
    });
  }) as Promise<Ran> & { child: ChildProcess; done: () => boolean };
  p.child = child;
  p.done = () => finished;
  return p;
}

/** Our sv. */
export function sv(...args: string[]): ReturnType<typeof run> {
  return run(ourBin('sv'), args);
}

export type LifecycleJson = JsonStatus;

/** `sv status --json DIR`, parsed (its first line: the service itself). */
export async function svJson(dir: string): Promise<LifecycleJson> {
  const r = await sv('status', '--json', dir);
  const line = r.stdout.split('\n')[0];
  try {
    return JSON.parse(line) as LifecycleJson;
  } catch {
    throw new Error(`sv status --json ${dir}: not JSON: ${JSON.stringify(r.stdout)} ${JSON.stringify(r.stderr)}`);
  }
}

/** Polls `sv status --json` until `pred` holds; sv costs a Node start, so not too often. */
export async function waitJson(dir: string, pred: (j: LifecycleJson) => boolean, what: string, timeoutMs = 20000): Promise<LifecycleJson> {
  let last: LifecycleJson | null = null;
  try {
    return (await waitFor<LifecycleJson | false>(
      async () => {
        last = await svJson(dir);
        return pred(last) ? last : false;
      },
      what,
      timeoutMs,
      100,
    )) as LifecycleJson;
  } catch (e) {
    throw new Error(`${(e as Error).message} (last: ${JSON.stringify(last)})`);
  }
}

/** `sv status DIR` text, the first line. */
export async function svText(dir: string): Promise<string> {
  return (await sv('status', dir)).stdout.split('\n')[0];
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** true when something accepts connections on 127.0.0.1:port, false when refused. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    const done = (v: boolean) => {
      c.removeAllListeners();
      c.on('error', () => undefined);
      c.destroy();
      resolve(v);
    };
    c.setTimeout(5000, () => done(true)); // an unanswered connect: something holds it
    c.once('connect', () => done(true));
    c.once('error', (e: NodeJS.ErrnoException) => done(e.code !== 'ECONNREFUSED'));
  });
}

/**
 * A python3 worker for ./worker.py, started in the background by a run script:
 * it ignores TERM (the worst case: only a KILL of the group, or of its pid, ends
 * it), binds 127.0.0.1:PORT, retrying while the port is taken (a KILLed
 * predecessor closes its socket only when the kernel has finished it), then
 * appends its pid to ./worker-pids and how long the bind waited to ./bind-waits.
 * So a pid in worker-pids proves the port was free within 20 s.
 */
export function workerPy(port: number): string {
  return `import errno, os, signal, socket, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t0 = time.time()
while True:
    try:
        s.bind(("127.0.0.1", ${port}))
        break
    except OSError as e:
        if e.errno != errno.EADDRINUSE or time.time() - t0 > 20:
            raise
        time.sleep(0.02)
s.listen(16)
f = open("bind-waits", "a"); f.write("%d\\n" % int((time.time() - t0) * 1000)); f.close()
f = open("worker-pids", "a"); f.write("%d\\n" % os.getpid()); f.close()
while True:
    time.sleep(1000)
`;
}

export { alive, killPid, waitFor, observe, readPid };
