// Creating and opening a service's supervise/ folder the way runsv does: the
// mkdir-or-follow-the-symlink dance, the exclusive lock, and the control/ok FIFOs,
// held open so the FIFO never reports EOF and clients can tell we are alive.
// Asynchronous: a daemon starting 1000 services must not wait on each metadata
// operation of a slow disk in turn.
import { closeSync, constants, fstatSync, open, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { flock, makeFifo } from '../native';
import { cameFromReexec, closeKept, fileKey, keep, Role, take } from './handover';
import { SUPERVISE_FILES } from './status';

/** A fatal setup error; the message is runsv's text after `runsv DIR: fatal: `. */
export class SetupError extends Error {}

const { O_RDONLY, O_WRONLY, O_NONBLOCK, O_APPEND, O_CREAT } = constants;

/**
 * mkdir supervise (0700); if that fails and it is a symlink, mkdir its target
 * (one level, relative to `base`). mkdir errors are never reported: the lock open
 * that follows reports what is wrong. `label` is './supervise' or './log/supervise'.
 */
export async function ensureSuperviseDir(base: string, label: string): Promise<string> {
  const sup = path.join(base, SUPERVISE_FILES.dir);
  // the readlink runsv makes after a failed mkdir, asked at the same time: on
  // every start but the first, supervise exists and both are needed
  const made = fsp.mkdir(sup, 0o700).then(
    () => true,
    () => false,
  );
  const link = fsp.readlink(sup);
  link.catch(() => undefined);
  if (await made) return sup;
  let target: string;
  try {
    target = await link;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL') return sup;
    throw new SetupError(`unable to readlink ${label}: ${errorText(err)}`);
  }
  if (Buffer.byteLength(target) >= 256) throw new SetupError(`unable to readlink ${label}: name too long`);
  try {
    // not path.resolve: `..` must be resolved by the kernel from the real folder
    // (base may be /proc/self/fd/N)
    await fsp.mkdir(target.startsWith('/') ? target : `${base}/${target}`, 0o700);
  } catch {
    // as runsv: ignored
  }
  return sup;
}

/** Opens supervise/lock and takes the exclusive lock without waiting. */
export async function openLock(sup: string, label: string): Promise<number> {
  const lockPath = path.join(sup, SUPERVISE_FILES.lock);
  // a lock handed over by the previous image is still held: flock belongs to the open file
  const handed = await takeHanded(lockPath, 'lock');
  if (handed !== undefined) return handed;
  let fd: number;
  try {
    fd = await openFd(lockPath, O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT, 0o600);
  } catch (err) {
    throw new SetupError(`unable to open ${label}/lock: ${errorText(err)}`);
  }
  try {
    flock(fd, 'ex', true);
  } catch (err) {
    closeSync(fd);
    const e = new SetupError(`unable to lock ${label}/lock: ${errorText(err)}`);
    (e as SetupError & { code?: string }).code = (err as { code?: string }).code;
    throw e;
  }
  keepFd(fd, 'lock');
  return fd;
}

export interface ControlFifo {
  read: number;
  write: number;
}

/** mkfifo control (an existing FIFO is reused), then hold a read and a write end. */
export async function openControl(sup: string, label: string): Promise<ControlFifo> {
  const p = path.join(sup, SUPERVISE_FILES.control);
  // a failed mkfifo (EEXIST, or worse) is for the stat to report
  const { stat } = await makeFifo(p, 0o600);
  if (stat.error) throw new SetupError(`unable to stat ${label}/control: ${errorText(stat.error)}`);
  if (!stat.isFifo) throw new SetupError(`${label}/control exists but is not a fifo`);
  try {
    return await fifoEnds(p, ['control-r', 'control-w'], O_WRONLY | O_NONBLOCK, 0);
  } catch (err) {
    throw new SetupError(`unable to open ${label}/control: ${errorText(err)}`);
  }
}

/** mkfifo ok and hold its read end forever: writers' open() then succeeds. */
export async function openOk(sup: string, label: string): Promise<number> {
  const p = path.join(sup, SUPERVISE_FILES.ok);
  // a failed mkfifo (EEXIST, or worse) is for the open below to report
  await makeFifo(p, 0o600);
  const handed = await takeHanded(p, 'ok');
  if (handed !== undefined) return handed;
  let fd: number;
  try {
    fd = await openFd(p, O_RDONLY | O_NONBLOCK);
  } catch (err) {
    throw new SetupError(`unable to read ${label}/ok: ${errorText(err)}`);
  }
  keepFd(fd, 'ok');
  return fd;
}

export interface LogPipe {
  /** the daemon's read end (non-blocking), from which the log service reads */
  read: number;
  /** opened read-write: stdout of ./run, ./finish and control scripts */
  write: number;
}

/**
 * The pipe between a service and its log service, as the FIFO supervise/logpipe,
 * so that it outlives this process: the service's stdout is opened read-write, so
 * the FIFO never lacks a reader (no SIGPIPE while no daemon runs), what the
 * service writes meanwhile waits in it, and the next daemon opens it again.
 */
export async function openLogPipe(sup: string, label: string): Promise<LogPipe> {
  const p = path.join(sup, SUPERVISE_FILES.logpipe);
  try {
    const st = await fsp.lstat(p);
    if (!st.isFIFO()) await fsp.unlink(p);
  } catch {
    // none yet
  }
  // a failed mkfifo (EEXIST, or worse) is for the open below to report
  await makeFifo(p, 0o600);
  try {
    return await fifoEnds(p, ['logpipe-r', 'logpipe-w'], constants.O_RDWR, constants.O_NOFOLLOW);
  } catch (err) {
    throw new SetupError(`unable to create log pipe: ${label}/${SUPERVISE_FILES.logpipe}: ${errorText(err)}`);
  }
}

/** Both ends of a FIFO: as the previous image handed them over, or opened now. */
async function fifoEnds(p: string, roles: [Role, Role], writeFlags: number, extraFlags: number): Promise<{ read: number; write: number }> {
  const handedRead = await takeHanded(p, roles[0]);
  const handedWrite = await takeHanded(p, roles[1]);
  if (handedRead !== undefined && handedWrite !== undefined) return { read: handedRead, write: handedWrite };
  for (const fd of [handedRead, handedWrite]) if (fd !== undefined) closeKept(fd);
  let read = -1;
  try {
    read = await openFd(p, O_RDONLY | O_NONBLOCK | extraFlags);
    const write = await openFd(p, writeFlags | extraFlags);
    // a FIFO swapped in between stat and open would be caught here
    if (!fstatSync(read).isFIFO()) throw Object.assign(new Error('not a fifo'), { code: 'EINVAL' });
    keepFd(read, roles[0]);
    keepFd(write, roles[1]);
    return { read, write };
  } catch (err) {
    if (read >= 0) closeSync(read);
    throw err;
  }
}

async function takeHanded(p: string, role: Role): Promise<number | undefined> {
  // a boot, or everything taken already: no stat to pay for
  if (!cameFromReexec()) return undefined;
  let key: string;
  try {
    key = fileKey(await fsp.stat(p), role);
  } catch {
    return undefined;
  }
  const fd = take(key);
  // ours now, and handed on again at the next re-exec
  if (fd !== undefined) keep(key, fd);
  return fd;
}

function keepFd(fd: number, role: Role): void {
  keep(fileKey(fstatSync(fd), role), fd);
}

/** open(2) through the threadpool, returning a plain fd (close-on-exec, as libuv opens). */
function openFd(p: string, flags: number, mode = 0o666): Promise<number> {
  return new Promise((resolve, reject) => open(p, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))));
}
