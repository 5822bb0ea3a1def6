// Reading a service's supervise/ from inside its folder, as runit's sv does:
// probe the ok FIFO (ENXIO: no runsv holds it), then read the 20 status bytes.
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS_SIZE, SUPERVISE_FILES } from '../supervise/status';
import { errorCode } from '../errstr';

const OK_PATH = path.join(SUPERVISE_FILES.dir, SUPERVISE_FILES.ok);
const STATUS_PATH = path.join(SUPERVISE_FILES.dir, SUPERVISE_FILES.status);
const WRITE_NB = constants.O_WRONLY | constants.O_NONBLOCK;
const READ_NB = constants.O_RDONLY | constants.O_NONBLOCK;

/** Result of reading supervise/ in the current directory, without printing. */
export type ProbeResult =
  | { r: 1 }
  | { r: 0 }
  | { r: -1; msg: string; err?: unknown };

/**
 * Probes supervise/ok and reads supervise/status into `buf` (which, as in
 * runit, keeps what a short read left: a later bogus log line prints it).
 */
export function probeStatus(buf: Buffer): ProbeResult {
  let fd: number;
  try {
    fd = openSync(OK_PATH, WRITE_NB);
  } catch (err) {
    if (errorCode(err) === 'ENXIO') return { r: 0 };
    return { r: -1, msg: 'unable to open supervise/ok', err };
  }
  closeSync(fd);
  try {
    fd = openSync(STATUS_PATH, READ_NB);
  } catch (err) {
    return { r: -1, msg: 'unable to open supervise/status', err };
  }
  let n: number;
  try {
    n = readSync(fd, buf, 0, STATUS_SIZE, null);
  } catch (err) {
    closeSync(fd);
    return { r: -1, msg: 'unable to read supervise/status', err };
  }
  closeSync(fd);
  if (n !== STATUS_SIZE) return { r: -1, msg: 'unable to read supervise/status: bad format' };
  return { r: 1 };
}

/** `stat("down")` in the current directory: true/false, or the error when it is not ENOENT. */
export function normallyUp(): boolean | { err: unknown } {
  try {
    // throwIfNoEntry: ENOENT is the common case, and building an Error for it
    // is most of the cost of a status line when sv is given 1000 services
    return statSync('down', { throwIfNoEntry: false }) === undefined;
  } catch (err) {
    return { err };
  }
}

/** chdir("log") as runit does it, without an exception for the common ENOENT. */
export function enterLog(): 'ok' | 'none' | { err: unknown } {
  try {
    // a dangling symlink is ENOENT here as it is for chdir
    if (statSync('log', { throwIfNoEntry: false }) === undefined) return 'none';
  } catch {
    // other errors: let chdir report its own
  }
  try {
    process.chdir('log');
    return 'ok';
  } catch (err) {
    return errorCode(err) === 'ENOENT' ? 'none' : { err };
  }
}
