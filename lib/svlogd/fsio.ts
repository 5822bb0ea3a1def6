// The few fs calls a log directory needs, as promises over plain fds (no FileHandle:
// the fds are also handed to processors), in two flavours with one face:
//  - asyncIo: libuv's threadpool; the daemon's loggers, which must never hold up
//    the event loop that supervises every other service;
//  - blockingIo: the plain syscalls, the promise already settled; the svlogd
//    command, a process of its own that may block on its own disk as runit's does,
//    and so skips a threadpool round trip per call (its start-up opens a dozen).
// Neither touches fs.promises: loading it costs a new logger milliseconds before
// its first read.
import * as fs from 'node:fs';

export const O_APPEND_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
export const O_TRUNC_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_TRUNC | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
export const O_READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
export const O_NOFOLLOW = fs.constants.O_NOFOLLOW;
export const O_RDWR_NOFOLLOW = fs.constants.O_RDWR | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW;
const O_READ_NOFOLLOW = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW;

export interface Io {
  open(path: string, flags: number, mode?: number): Promise<number>;
  write(fd: number, buf: Buffer, off: number, len: number): Promise<number>;
  /** pread */
  read(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number>;
  ftruncate(fd: number, len: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  fchmod(fd: number, mode: number): Promise<void>;
  fstat(fd: number): Promise<fs.Stats>;
  fchown(fd: number, uid: number, gid: number): Promise<void>;
  /** never fails */
  close(fd: number): Promise<void>;
  /** opened non-blocking */
  readFile(path: string): Promise<Buffer>;
  /** readFile that refuses a symlink as the last component */
  readFileNoFollow(path: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<fs.Stats>;
  lstat(path: string): Promise<fs.Stats>;
  chmod(path: string, mode: number): Promise<void>;
  exists(path: string): Promise<boolean>;
}

type Cb<T> = (err: NodeJS.ErrnoException | null, v: T) => void;

function call<T>(fn: (cb: Cb<T>) => void): Promise<T> {
  return new Promise((res, rej) => fn((e, v) => (e ? rej(e) : res(v))));
}

export const asyncIo: Io = {
  open: (p, flags, mode = 0o600) => call((cb) => fs.open(p, flags, mode, cb)),
  write: (fd, buf, off, len) => call((cb) => fs.write(fd, buf, off, len, null, cb)),
  read: (fd, buf, off, len, pos) => call((cb) => fs.read(fd, buf, off, len, pos, cb)),
  ftruncate: (fd, len) => call<void>((cb) => fs.ftruncate(fd, len, (e) => cb(e, undefined))),
  fsync: (fd) => call<void>((cb) => fs.fsync(fd, (e) => cb(e, undefined))),
  fchmod: (fd, mode) => call<void>((cb) => fs.fchmod(fd, mode, (e) => cb(e, undefined))),
  fstat: (fd) => call((cb) => fs.fstat(fd, cb)),
  fchown: (fd, uid, gid) => call<void>((cb) => fs.fchown(fd, uid, gid, (e) => cb(e, undefined))),
  close: (fd) => new Promise((res) => fs.close(fd, () => res())),
  readFile: (p) => readAsync(p, O_READ),
  readFileNoFollow: (p) => readAsync(p, O_READ_NOFOLLOW),
  rename: (a, b) => call<void>((cb) => fs.rename(a, b, (e) => cb(e, undefined))),
  unlink: (p) => call<void>((cb) => fs.unlink(p, (e) => cb(e, undefined))),
  readdir: (p) => call<string[]>((cb) => fs.readdir(p, cb)),
  stat: (p) => call((cb) => fs.stat(p, cb)),
  lstat: (p) => call((cb) => fs.lstat(p, cb)),
  chmod: (p, mode) => call<void>((cb) => fs.chmod(p, mode, (e) => cb(e, undefined))),
  exists: (p) => new Promise((res) => fs.lstat(p, (e) => res(!e))),
};

/** A settled promise of what `fn` returns or throws. */
function now<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

export const blockingIo: Io = {
  open: (p, flags, mode = 0o600) => now(() => fs.openSync(p, flags, mode)),
  write: (fd, buf, off, len) => now(() => fs.writeSync(fd, buf, off, len)),
  read: (fd, buf, off, len, pos) => now(() => fs.readSync(fd, buf, off, len, pos)),
  ftruncate: (fd, len) => now(() => fs.ftruncateSync(fd, len)),
  fsync: (fd) => now(() => fs.fsyncSync(fd)),
  fchmod: (fd, mode) => now(() => fs.fchmodSync(fd, mode)),
  fstat: (fd) => now(() => fs.fstatSync(fd)),
  fchown: (fd, uid, gid) => now(() => fs.fchownSync(fd, uid, gid)),
  close: (fd) =>
    now(() => {
      try {
        fs.closeSync(fd);
      } catch {
        // as asyncIo: a close never fails the caller
      }
    }),
  readFile: (p) => now(() => readBlocking(p, O_READ)),
  readFileNoFollow: (p) => now(() => readBlocking(p, O_READ_NOFOLLOW)),
  rename: (a, b) => now(() => fs.renameSync(a, b)),
  unlink: (p) => now(() => fs.unlinkSync(p)),
  readdir: (p) => now(() => fs.readdirSync(p)),
  stat: (p) => now(() => fs.statSync(p)),
  lstat: (p) => now(() => fs.lstatSync(p)),
  chmod: (p, mode) => now(() => fs.chmodSync(p, mode)),
  exists: (p) =>
    now(() => {
      try {
        fs.lstatSync(p);
        return true;
      } catch {
        return false;
      }
    }),
};

// Opened non-blocking, as runit's open_read: a FIFO planted as `config` reads as
// empty instead of hanging the logger.
async function readAsync(p: string, flags: number): Promise<Buffer> {
  const fd = await asyncIo.open(p, flags);
  try {
    return await call<Buffer>((cb) => fs.readFile(fd, cb));
  } finally {
    await asyncIo.close(fd);
  }
}

function readBlocking(p: string, flags: number): Buffer {
  const fd = fs.openSync(p, flags);
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}
