// The typed face of the C++ addon. Nothing else loads the .node file; every argument
// is checked here so the C++ can stay free of validation and policy.
import { constants as osConstants } from 'node:os';
import { addonPath } from './native-path';

/** A failed syscall, shaped like Node's own fs errors. */
export interface SysError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

type Rlimits = Record<'AS' | 'CORE' | 'CPU' | 'DATA' | 'FSIZE' | 'MEMLOCK' | 'NOFILE' | 'NPROC' | 'RSS' | 'STACK', number>;

interface RawPlan {
  file: string;
  argv: string[];
  env: string[];
  path: string | null;
  cwd: string | null;
  stdio: [number, number, number];
  extraFd: [number, number] | null;
  setsid: boolean;
  pgid: number | null;
  nofile: number | null;
  sigmask: number[];
  uid: number | null;
  gid: number | null;
  groups: number[] | null;
  oomScoreAdj: number | null;
}

interface Addon {
  spawn(plan: RawPlan): number;
  reaperStart(cb: (flat: number[]) => void): void;
  reaperRef(on: boolean): void;
  reapNow(): number[];
  flock(fd: number, mode: 'sh' | 'ex' | 'un', nonblocking: boolean): void;
  kill(pid: number, sig: number): void;
  killpg(pgrp: number, sig: number): void;
  getrlimit(resource: number): [number, number];
  setrlimit(resource: number, soft: number, hard: number): void;
  setuid(uid: number): void;
  setgid(gid: number): void;
  setgroups(gids: number[]): void;
  initgroups(user: string, gid: number): void;
  chroot(dir: string): void;
  nice(inc: number): number;
  getpriority(which: number, who: number): number;
  setpriority(which: number, who: number, prio: number): void;
  setsid(): number;
  setpgid(pid: number, pgid: number): void;
  getpgid(pid: number): number;
  setChildSubreaper(on: boolean): void;
  pidfdOpen(pid: number): number;
  watchPidfd(fd: number, cb: () => void): void;
  notifySocketOpen(name: string, onMessage: (text: string | null) => void): number;
  watchRead(fd: number, cb: (data: string | number | null, end?: string) => void, keepAlive: boolean, into?: Buffer): void;
  pauseRead(fd: number, paused: boolean): boolean;
  unwatchRead(fd: number): boolean;
  notifySocketClose(fd: number): void;
  procStat(pid: number): [number, number, boolean] | null;
  pipe(nonblockRead: boolean, nonblockWrite: boolean): [number, number];
  dup(fd: number): number;
  setNonblock(fd: number, on: boolean): void;
  lowMemoryNotification(): boolean;
  setCloexec(fd: number, on: boolean): void;
  getpwnam(name: string): Passwd | null;
  getgrnam(name: string): Group | null;
  getgrouplist(user: string, gid: number): number[];
  execInPlace(file: string, argv: string[], env: string[], path: string | null): never;
  replaceFiles(files: [string, string, Buffer, boolean][], cb: (results: [number, number, number][]) => void): void;
  readFiles(paths: string[], max: number, cb: (got: [number, Buffer | null][]) => void): void;
  makeFifo(path: string, mode: number, cb: (madeErrno: number, statErrno: number, isFifo: boolean) => void): void;
  listFolder(dir: string, cb: (openErrno: number, readErrno: number, flat: (string | boolean | number)[]) => void): void;
  RLIMIT: Rlimits;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const addon: Addon = require(addonPath());

export interface Passwd {
  name: string;
  uid: number;
  gid: number;
  dir: string;
  shell: string;
}

export interface Group {
  name: string;
  gid: number;
}

export const RLIMIT: Readonly<Rlimits> = Object.freeze({ ...addon.RLIMIT });

// Node raises its own soft RLIMIT_NOFILE to the hard limit at start-up. The bin/
// launchers record the limit they were given; children get that one back.
const NOFILE_ENV = 'RUNITD_NOFILE_SOFT';
function readOriginalNofile(): number {
  const given = process.env[NOFILE_ENV];
  delete process.env[NOFILE_ENV];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given);
  if (given === 'unlimited') return Infinity;
  return addon.getrlimit(addon.RLIMIT.NOFILE)[0];
}
/** The soft NOFILE limit this process was started with (before Node raised it). */
export const originalNofile: number = readOriginalNofile();

const signalNumbers: Record<string, number> = osConstants.signals as Record<string, number>;
const signalNames: string[] = [];
for (const [name, num] of Object.entries(signalNumbers)) {
  if (signalNames[num] === undefined) signalNames[num] = name;
}

/** A signal given by name ('SIGTERM' or 'TERM') or number, as a number. */
export function signalNumber(sig: string | number): number {
  if (typeof sig === 'number') {
    if (!Number.isInteger(sig) || sig < 0 || sig > 64) throw new TypeError(`invalid signal number: ${sig}`);
    return sig;
  }
  const name = sig.startsWith('SIG') ? sig : `SIG${sig}`;
  const num = signalNumbers[name];
  if (num === undefined) throw new TypeError(`unknown signal: ${sig}`);
  return num;
}

export function signalName(num: number): string {
  return signalNames[num] ?? `SIG${num}`;
}

// ---------------------------------------------------------------- spawn

/** Where a child's fd 0/1/2 comes from: our own fd, /dev/null, or an fd we hold. */
export type StdioSpec = 'inherit' | 'null' | number;

export interface SpawnPlan {
  /** Program to run. Without a '/', it is searched in `searchPath`, if given. */
  file: string;
  /** argv including argv[0]; defaults to [file]. */
  argv?: readonly string[];
  /** Environment; defaults to this process's. */
  env?: NodeJS.ProcessEnv | readonly string[];
  /** PATH-style list to search `file` in (runit's pathexec rules); omitted: no search. */
  searchPath?: string;
  cwd?: string;
  stdio?: readonly [StdioSpec, StdioSpec, StdioSpec];
  /** [N, fd]: the child gets a copy of our `fd` as its fd N (N >= 3), e.g. s6's notification-fd */
  extraFd?: readonly [number, number];
  setsid?: boolean;
  /** setpgid(0, pgid) in the child: 0 makes it a group leader. */
  pgid?: number;
  /** Soft RLIMIT_NOFILE for the child; defaults to `originalNofile`, null keeps ours. */
  nofile?: number | null;
  /** Signals blocked in the child (runsv runs control/X with TERM and CHLD blocked). */
  sigmask?: readonly (string | number)[];
  uid?: number;
  gid?: number;
  groups?: readonly number[];
  /** The child's /proc/self/oom_score_adj; defaults to what setChildOomScoreAdj set. */
  oomScoreAdj?: number | null;
}

let childOomScoreAdj: number | null = null;
/** For a daemon that changed its own OOM score: the score every child gets unless its plan says otherwise. */
export function setChildOomScoreAdj(v: number | null): void {
  childOomScoreAdj = v === null ? null : checkOom(v);
}

function checkOom(v: number): number {
  if (!Number.isInteger(v) || v < -1000 || v > 1000) throw new TypeError('spawn: oomScoreAdj must be an integer in -1000..1000');
  return v;
}

function checkId(name: string, v: number | undefined): number | null {
  if (v === undefined) return null;
  if (!Number.isInteger(v) || v < 0 || v > 0xfffffffe) throw new TypeError(`spawn: ${name} must be a non-negative integer`);
  return v;
}

function envList(env: NodeJS.ProcessEnv | readonly string[]): string[] {
  if (Array.isArray(env)) {
    for (const e of env) if (typeof e !== 'string' || e.includes('\0')) throw new TypeError('spawn: env entries must be strings without NUL');
    return [...env];
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(env as NodeJS.ProcessEnv)) if (v !== undefined) out.push(`${k}=${v}`);
  return out;
}

function stdioFd(spec: StdioSpec, i: number): number {
  if (spec === 'inherit') return -1;
  if (spec === 'null') return -2;
  if (Number.isInteger(spec) && spec >= 0) return spec;
  throw new TypeError(`spawn: stdio[${i}] must be 'inherit', 'null' or an fd`);
}

function checkExtraTarget(n: number): number {
  if (!Number.isInteger(n) || n < 3 || n > 0x7fffffff) throw new RangeError('spawn: extraFd target must be an integer >= 3');
  return n;
}

function toRawPlan(plan: SpawnPlan): RawPlan {
  if (typeof plan.file !== 'string' || plan.file.includes('\0')) throw new TypeError('spawn: file must be a string');
  const argv = plan.argv ? [...plan.argv] : [plan.file];
  for (const a of argv) if (typeof a !== 'string' || a.includes('\0')) throw new TypeError('spawn: argv entries must be strings without NUL');
  const stdio = plan.stdio ?? ['inherit', 'inherit', 'inherit'];
  if (stdio.length !== 3) throw new TypeError('spawn: stdio must have 3 entries');
  const nofile = plan.nofile === undefined ? originalNofile : plan.nofile;
  return {
    file: plan.file,
    argv,
    env: envList(plan.env ?? process.env),
    path: plan.searchPath ?? null,
    cwd: plan.cwd ?? null,
    stdio: [stdioFd(stdio[0], 0), stdioFd(stdio[1], 1), stdioFd(stdio[2], 2)],
    extraFd: plan.extraFd ? [checkExtraTarget(plan.extraFd[0]), checkInt('extraFd source', plan.extraFd[1])] : null,
    setsid: plan.setsid === true,
    pgid: plan.pgid === undefined ? null : checkId('pgid', plan.pgid),
    nofile: nofile === null || nofile === Infinity ? null : checkId('nofile', nofile),
    sigmask: (plan.sigmask ?? []).map(signalNumber),
    uid: checkId('uid', plan.uid),
    gid: checkId('gid', plan.gid),
    groups: plan.groups ? plan.groups.map((g) => checkId('groups[]', g) as number) : null,
    oomScoreAdj: plan.oomScoreAdj === undefined ? childOomScoreAdj : plan.oomScoreAdj === null ? null : checkOom(plan.oomScoreAdj),
  };
}

// ---------------------------------------------------------------- reaper

/** One reaped child. `code` is set for a normal exit, `signal` for death by signal. */
export interface Exit {
  pid: number;
  code: number | null;
  signal: string | null;
  /** the raw wait status, as runit keeps it (wstat) */
  status: number;
}

export function decodeStatus(pid: number, status: number): Exit {
  const term = status & 0x7f;
  if (term === 0) return { pid, code: (status >> 8) & 0xff, signal: null, status };
  return { pid, code: null, signal: signalName(term), status };
}

type ExitListener = (exit: Exit) => void;
const listeners = new Set<ExitListener>();
const waiters = new Map<number, (exit: Exit) => void>();
// Children spawned here and not yet reaped keep the event loop alive.
const live = new Set<number>();
let reaperStarted = false;

function dispatch(flat: number[]): void {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const exit = decodeStatus(flat[i], flat[i + 1]);
    live.delete(exit.pid);
    const w = waiters.get(exit.pid);
    if (w) {
      waiters.delete(exit.pid);
      w(exit);
    }
    for (const l of listeners) {
      try {
        l(exit);
      } catch (err) {
        // One listener's bug must not cost the others this exit: report it as
        // the uncaught exception it is, after the whole batch is delivered.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
  if (live.size === 0) addon.reaperRef(false);
}

function ensureReaper(): void {
  if (reaperStarted) return;
  addon.reaperStart(dispatch);
  reaperStarted = true;
  // Children that ended before we listened for SIGCHLD are zombies now; collect them.
  const early = addon.reapNow();
  if (early.length > 0) setImmediate(() => dispatch(early));
}

/** Starts a process; throws a SysError (code ENOENT, EACCES, ENOEXEC, ...) if it could not exec. */
export function spawn(plan: SpawnPlan): number {
  const raw = toRawPlan(plan);
  ensureReaper();
  const pid = addon.spawn(raw);
  live.add(pid);
  addon.reaperRef(true);
  return pid;
}

/** Listens to every reaped child (also orphans, when we are a subreaper or PID 1). */
export function onExit(listener: ExitListener): () => void {
  ensureReaper();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Resolves when `pid` (spawned by us, not yet reaped) is reaped. */
export function waitExit(pid: number): Promise<Exit> {
  ensureReaper();
  if (waiters.has(pid)) throw new Error(`waitExit: already waiting for ${pid}`);
  return new Promise((resolve) => waiters.set(pid, resolve));
}

/** Starts the reaper without spawning (for a subreaper or PID 1 before its first child). */
export function startReaper(): void {
  ensureReaper();
}

// ---------------------------------------------------------------- syscalls

function checkFd(fd: number): number {
  if (!Number.isInteger(fd) || fd < 0) throw new TypeError(`invalid fd: ${fd}`);
  return fd;
}

function checkInt(name: string, v: number): number {
  if (!Number.isInteger(v)) throw new TypeError(`${name} must be an integer`);
  return v;
}

function checkPath(p: string): string {
  if (typeof p !== 'string' || p === '' || p.includes('\0')) throw new TypeError('path must be a non-empty string');
  return p;
}

function checkLimit(v: number): number {
  if (v !== Infinity && !(Number.isInteger(v) && v >= 0)) throw new TypeError('rlimit must be a non-negative integer or Infinity');
  return v;
}

function checkResource(resource: keyof Rlimits): number {
  const r = addon.RLIMIT[resource];
  if (r === undefined) throw new TypeError(`unknown rlimit resource: ${resource}`);
  return r;
}

export type LockMode = 'sh' | 'ex' | 'un';

/** flock(2). Non-blocking contention throws code EWOULDBLOCK. */
export function flock(fd: number, mode: LockMode, nonblocking = false): void {
  if (mode !== 'sh' && mode !== 'ex' && mode !== 'un') throw new TypeError(`flock: mode must be sh, ex or un`);
  addon.flock(checkFd(fd), mode, nonblocking);
}

/** What makeFifo() found: whether mkfifo made it, and what the name is now. */
export interface MadeFifo {
  /** null when mkfifo made it; EEXIST when something had the name already */
  made: SysError | null;
  /** what stat() says of the name after the mkfifo */
  stat: { isFifo: boolean; error: null } | { isFifo: false; error: SysError };
}

/**
 * mkfifo and a stat of the name, in one threadpool job: an inode made on the
 * loop thread held every other service up on a slow filesystem. Never rejects.
 */
export function makeFifo(p: string, mode = 0o600): Promise<MadeFifo> {
  const raw = checkPath(p);
  const m = checkInt('mode', mode);
  return new Promise((resolve) => {
    addon.makeFifo(raw, m, (madeErrno, statErrno, isFifo) =>
      resolve({
        made: madeErrno !== 0 ? sysError(madeErrno, 'mkfifo', raw) : null,
        stat: statErrno !== 0 ? { isFifo: false, error: sysError(statErrno, 'stat', raw) } : { isFifo, error: null },
      }),
    );
  });
}

export function kill(pid: number, sig: string | number): void {
  addon.kill(checkInt('pid', pid), signalNumber(sig));
}

export function killpg(pgrp: number, sig: string | number): void {
  addon.killpg(checkInt('pgrp', pgrp), signalNumber(sig));
}

export function getrlimit(resource: keyof Rlimits): { soft: number; hard: number } {
  const [soft, hard] = addon.getrlimit(checkResource(resource));
  return { soft, hard };
}

export function setrlimit(resource: keyof Rlimits, soft: number, hard: number): void {
  addon.setrlimit(checkResource(resource), checkLimit(soft), checkLimit(hard));
}

export function setuid(uid: number): void {
  addon.setuid(checkId('uid', uid) as number);
}

export function setgid(gid: number): void {
  addon.setgid(checkId('gid', gid) as number);
}

export function setgroups(gids: readonly number[]): void {
  addon.setgroups(gids.map((g) => checkId('gid', g) as number));
}

export function initgroups(user: string, gid: number): void {
  addon.initgroups(checkPath(user), checkId('gid', gid) as number);
}

export function chroot(dir: string): void {
  addon.chroot(checkPath(dir));
}

/** nice(2): adds `inc` to the nice value and returns the new one. */
export function nice(inc: number): number {
  return addon.nice(checkInt('inc', inc));
}

export const PRIO = Object.freeze({ PROCESS: 0, PGRP: 1, USER: 2 });

export function getpriority(which: number, who: number): number {
  return addon.getpriority(checkInt('which', which), checkInt('who', who));
}

export function setpriority(which: number, who: number, prio: number): void {
  addon.setpriority(checkInt('which', which), checkInt('who', who), checkInt('prio', prio));
}

export function setsid(): number {
  return addon.setsid();
}

export function setpgid(pid: number, pgid: number): void {
  addon.setpgid(checkInt('pid', pid), checkInt('pgid', pgid));
}

export function getpgid(pid: number): number {
  return addon.getpgid(checkInt('pid', pid));
}

/** prctl(PR_SET_CHILD_SUBREAPER): orphans of our descendants get reaped by us. */
export function setChildSubreaper(on = true): void {
  addon.setChildSubreaper(on);
}

/** pidfd_open(2); throws ENOSYS on kernels before 5.3. */
export function pidfdOpen(pid: number): number {
  return addon.pidfdOpen(checkInt('pid', pid));
}

/** Calls `cb` once, when the process behind `pidfd` has exited. The fd stays the caller's. */
export function watchPidfd(pidfd: number, cb: () => void): void {
  if (typeof cb !== 'function') throw new TypeError('watchPidfd: callback must be a function');
  addon.watchPidfd(checkFd(pidfd), cb);
}

/**
 * Binds the abstract unix datagram socket `name` (NOTIFY_SOCKET=@name for
 * sd_notify) and calls back with each datagram's text. Returns its fd, for
 * notifySocketClose. The socket alone does not keep the process alive.
 */
export function notifySocketOpen(name: string, onMessage: (text: string) => void): number {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) throw new TypeError('notifySocketOpen: name must be a non-empty string');
  return addon.notifySocketOpen(name, (text) => {
    if (text !== null) onMessage(text);
  });
}

export function notifySocketClose(fd: number): void {
  addon.notifySocketClose(checkFd(fd));
}

/**
 * Calls `onData` with the bytes (one char each, latin1) of every read of `fd`, a
 * FIFO or pipe (made non-blocking), as they arrive; once the fd cannot be read
 * any more (every writer gone, or an error) `onEnd` gets the errno name or 'EOF'
 * and the watch stops. The fd is the watch's from now on: unwatchRead closes it.
 * With `keepAlive` false the watch alone does not keep the process running.
 */
export function watchRead(fd: number, onData: (text: string) => void, onEnd: (why: string) => void, keepAlive = true): void {
  if (typeof onData !== 'function' || typeof onEnd !== 'function') throw new TypeError('watchRead: callbacks must be functions');
  addon.watchRead(checkFd(fd), (data, end) => (typeof data === 'string' ? onData(data) : onEnd(end ?? 'EOF')), keepAlive);
}

/**
 * watchRead into `buf`: each read fills at most all of it, and `onData(n)` must
 * take the bytes before it returns (the next read reuses the buffer).
 */
export function watchReadInto(fd: number, buf: Buffer, onData: (n: number) => void, onEnd: (why: string) => void, keepAlive = true): void {
  if (!Buffer.isBuffer(buf) || buf.length === 0) throw new TypeError('watchReadInto: buf must be a non-empty Buffer');
  if (typeof onData !== 'function' || typeof onEnd !== 'function') throw new TypeError('watchReadInto: callbacks must be functions');
  addon.watchRead(checkFd(fd), (data, end) => (typeof data === 'number' ? onData(data) : onEnd(end ?? 'EOF')), keepAlive, buf);
}

/** Stops reading `fd` (what is not read stays in the pipe) or starts again. */
export function pauseRead(fd: number, paused: boolean): void {
  addon.pauseRead(checkFd(fd), paused);
}

/** Stops the watch of `fd` and closes it; false (and nothing closed) when no watch had it. */
export function unwatchRead(fd: number): boolean {
  return addon.unwatchRead(checkFd(fd));
}

/** One entry of listFolder(): `key` is `dev:ino` of what the name leads to. */
export type Listed = { name: string; key: string; isDir: boolean; error: null } | { name: string; key: null; isDir: false; error: SysError | null };

/**
 * The entries of `dir` (readdir order), each looked at with stat (following
 * symlinks), in one threadpool job. Names starting with '.' come with no look
 * (key null, error null). `error` is set when the folder could not be opened
 * (`failed: 'open'`) or read to the end (`failed: 'read'`, entries so far kept).
 * Never rejects.
 */
export function listFolder(dir: string): Promise<{ entries: Listed[]; failed: null | 'open' | 'read'; error: SysError | null }> {
  checkPath(dir);
  return new Promise((resolve) => {
    addon.listFolder(dir, (openErrno, readErrno, flat) => {
      if (openErrno !== 0) {
        resolve({ entries: [], failed: 'open', error: sysError(openErrno, 'opendir', dir) });
        return;
      }
      const entries: Listed[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) {
        const name = flat[i] as string;
        const key = flat[i + 1] as string;
        const errno = flat[i + 3] as number;
        if (key !== '') entries.push({ name, key, isDir: flat[i + 2] as boolean, error: null });
        else entries.push({ name, key: null, isDir: false, error: errno !== 0 ? sysError(errno, 'stat', `${dir}/${name}`) : null });
      }
      resolve({ entries, failed: readErrno !== 0 ? 'read' : null, error: readErrno !== 0 ? sysError(readErrno, 'readdir', dir) : null });
    });
  });
}

/**
 * Reads each small file (at most `max` bytes of it: the rest is not read) in one
 * threadpool job, where fs.readFile takes four round trips per file. Each result
 * is the bytes or why the open or read failed. Never rejects.
 */
export function readFiles(paths: readonly string[], max: number): Promise<({ data: Buffer; error: null } | { data: null; error: SysError })[]> {
  const raw = paths.map(checkPath);
  if (!Number.isInteger(max) || max < 1) throw new TypeError('max must be a positive integer');
  return new Promise((resolve) => {
    addon.readFiles(raw, max, (got) =>
      resolve(got.map(([errno, data], i) => (errno === 0 && data ? { data, error: null } : { data: null, error: sysError(errno, 'open', raw[i]) }))),
    );
  });
}

/** One file for replaceFiles(): `data` goes to `tmp`, which is then renamed over `path`. */
export interface Replacement {
  tmp: string;
  path: string;
  data: Buffer;
  /** a failed or short write leaves `path` as it was (a failed `tmp` is removed) and ends the batch */
  checked: boolean;
}

/** What became of one Replacement; replaceFiles() stops after a failed open or a checked write. */
export type Replaced = { failed: null; written: number } | { failed: 'open' | 'write' | 'rename'; error: SysError | null; written: number };

const STAGES = [null, 'open', 'write', 'rename'] as const;
const errnoNames = new Map(Object.entries(osConstants.errno).map(([name, n]) => [n, name]));

function sysError(errno: number, syscall: string, p: string): SysError {
  const code = errnoNames.get(errno) ?? 'EUNKNOWN';
  return Object.assign(new Error(`${code}, ${syscall} '${p}'`), { code, errno: -errno, syscall, path: p });
}

/**
 * Writes and renames each file in order, in one threadpool job: a status
 * publication costs one round trip instead of four per file. Never rejects.
 */
export function replaceFiles(files: readonly Replacement[]): Promise<Replaced[]> {
  const raw = files.map((f): [string, string, Buffer, boolean] => {
    if (!Buffer.isBuffer(f.data)) throw new TypeError('data must be a Buffer');
    return [checkPath(f.tmp), checkPath(f.path), f.data, f.checked === true];
  });
  return new Promise((resolve) => {
    addon.replaceFiles(raw, (results) => {
      resolve(
        results.map(([stage, errno, written], i) => {
          const failed = STAGES[stage];
          if (failed === null) return { failed, written };
          const p = failed === 'rename' ? raw[i][1] : raw[i][0];
          return { failed, error: errno ? sysError(errno, failed, p) : null, written };
        }),
      );
    });
  });
}

/** A process's parent, start time (clock ticks since boot) and whether it has ended (a zombie), from /proc; null if there is none. */
export function procStat(pid: number): { ppid: number; startTicks: number; zombie: boolean } | null {
  const r = addon.procStat(checkInt('pid', pid));
  return r ? { ppid: r[0], startTicks: r[1], zombie: r[2] } : null;
}

/** pipe2(O_CLOEXEC): [read end, write end], each optionally non-blocking. */
export function pipe(opts: { nonblockRead?: boolean; nonblockWrite?: boolean } = {}): [number, number] {
  return addon.pipe(opts.nonblockRead === true, opts.nonblockWrite === true);
}

/** A second close-on-exec fd for the same open file (F_DUPFD_CLOEXEC). */
export function dup(fd: number): number {
  return addon.dup(checkFd(fd));
}

/**
 * V8's full memory-reducing collection now (young generation shrunk, free pages
 * returned); false where this Node's V8 does not offer it (nothing was done).
 */
export function lowMemoryNotification(): boolean {
  return addon.lowMemoryNotification();
}

export function setNonblock(fd: number, on: boolean): void {
  addon.setNonblock(checkFd(fd), on);
}

export function setCloexec(fd: number, on: boolean): void {
  addon.setCloexec(checkFd(fd), on);
}

export function getpwnam(name: string): Passwd | null {
  return addon.getpwnam(checkPath(name));
}

export function getgrnam(name: string): Group | null {
  return addon.getgrnam(checkPath(name));
}

export function getgrouplist(user: string, gid: number): number[] {
  return addon.getgrouplist(checkPath(user), checkId('gid', gid) as number);
}

/**
 * Replaces this process (same pid) with `file`, after clearing O_NONBLOCK on fds
 * 0-2, resetting every signal disposition and the signal mask, and giving back the
 * soft NOFILE limit (`opts.nofile`, default `originalNofile`). Returns only by
 * throwing a SysError, with Node's state intact.
 */
export function execInPlace(
  file: string,
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv | readonly string[]; searchPath?: string; nofile?: number | null } = {},
): never {
  const args = [...argv];
  for (const a of args) if (typeof a !== 'string' || a.includes('\0')) throw new TypeError('execInPlace: argv entries must be strings without NUL');
  const nofile = opts.nofile === undefined ? originalNofile : opts.nofile;
  if (nofile !== null) {
    const { soft, hard } = getrlimit('NOFILE');
    const want = Math.min(nofile, hard);
    if (soft !== want) setrlimit('NOFILE', want, hard);
  }
  return addon.execInPlace(checkPath(file), args, envList(opts.env ?? process.env), opts.searchPath ?? null);
}
