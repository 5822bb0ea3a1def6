// Taking over processes a previous daemon started: after a hard kill (they are
// no longer our children: watched through a pidfd, exit status unknown) or after
// a re-exec in place (still our children: reaped as usual). A process is adopted
// only when its start time in /proc is the one recorded in supervise/pidstart
// when it was started: a pid reused by another process is never taken for it.
import { closeSync } from 'node:fs';
import { Exit, pidfdOpen, procStat, watchPidfd } from '../native';
import { readPublished } from '../supervise/publish';
import { StatusRecord } from '../supervise/status';
import { hasUnclaimedExit, ownChild } from './children';
import { UNKNOWN_WSTAT } from './machine';

export interface Adoptable {
  pid: number;
  startTicks: number;
  /** 1 run, 2 finish */
  state: 1 | 2;
  /** the published status, when it names this process */
  status: StatusRecord | null;
}

/** The live process a supervise folder describes, or null. */
export async function findAdoptable(superviseDir: string): Promise<Adoptable | null> {
  const { pidstart, status } = await readPublished(superviseDir);
  if (!pidstart || pidstart.pid === process.pid) return null;
  // our own child that ended while the daemon re-exec'd: its exit waits to be claimed
  const ended = hasUnclaimedExit(pidstart.pid);
  const now = procStat(pidstart.pid);
  if (!ended && (!now || now.startTicks !== pidstart.startTicks)) return null;
  return { ...pidstart, status: status && status.pid === pidstart.pid ? status : null };
}

/** Calls `onEnd` once when the adopted process has ended. */
export function watchAdopted(a: Adoptable, onEnd: (exit: Exit) => void): void {
  const unknown = (): void => onEnd({ pid: a.pid, code: null, signal: null, status: UNKNOWN_WSTAT });
  if (hasUnclaimedExit(a.pid) || procStat(a.pid)?.ppid === process.pid) {
    ownChild(a.pid, onEnd);
    return;
  }
  let fd: number;
  try {
    fd = pidfdOpen(a.pid);
  } catch {
    // ESRCH: gone since we looked (ENOSYS, a kernel before 5.3, is documented as unsupported)
    setImmediate(unknown);
    return;
  }
  // the pid may have ended and been reused between the look and the open
  if (procStat(a.pid)?.startTicks !== a.startTicks) {
    closeSync(fd);
    setImmediate(unknown);
    return;
  }
  watchPidfd(fd, () => {
    closeSync(fd);
    unknown();
  });
}
