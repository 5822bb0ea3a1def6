// The few fs calls the engine needs, as promises over plain fds (no FileHandle:
// the fds are also handed to processors).
import * as fs from 'node:fs';

export const O_APPEND_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
export const O_TRUNC_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_TRUNC | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
export const O_READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
export const O_NOFOLLOW = fs.constants.O_NOFOLLOW;

export function open(path: string, flags: number, mode = 0o600): Promise<number> {
  return new Promise((res, rej) => fs.open(path, flags, mode, (e, fd) => (e ? rej(e) : res(fd))));
}

export function write(fd: number, buf: Buffer, off: number, len: number): Promise<number> {
  return new Promise((res, rej) => fs.write(fd, buf, off, len, null, (e, n) => (e ? rej(e) : res(n))));
}

export function fsync(fd: number): Promise<void> {
  return new Promise((res, rej) => fs.fsync(fd, (e) => (e ? rej(e) : res())));
}

export function fchmod(fd: number, mode: number): Promise<void> {
  return new Promise((res, rej) => fs.fchmod(fd, mode, (e) => (e ? rej(e) : res())));
}

export function fstat(fd: number): Promise<fs.Stats> {
  return new Promise((res, rej) => fs.fstat(fd, (e, st) => (e ? rej(e) : res(st))));
}

export function fchown(fd: number, uid: number, gid: number): Promise<void> {
  return new Promise((res, rej) => fs.fchown(fd, uid, gid, (e) => (e ? rej(e) : res())));
}

/** readFile that refuses a symlink as the last component. */
export async function readFileNoFollow(path: string): Promise<Buffer> {
  const fh = await fs.promises.open(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

export function close(fd: number): Promise<void> {
  return new Promise((res) => fs.close(fd, () => res()));
}

export const { rename, unlink, readdir, readFile, stat, lstat, chmod, access } = fs.promises;

export async function exists(path: string): Promise<boolean> {
  try {
    await fs.promises.lstat(path);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}
