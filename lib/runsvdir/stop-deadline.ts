// How runsvdir stops on SIGTERM: every service gets TERM and CONT (as runsv
// gives on exit), whatever still runs at the deadline gets KILL, and the daemon
// is gone soon after whatever happens. As a container's PID 1 this is what
// `docker stop` and its like wait for; they KILL everything after their own
// grace period (10 s for docker), so ours must end well before that.
// Elsewhere (under inittab, or runit's stage 2) there is no deadline unless
// RUNITD_STOP_DEADLINE asks for one: the daemon waits for every service to be
// down and published, as runsv does, however long a loaded machine takes.
import type { ScanDir } from './daemon';

export const DEFAULT_STOP_DEADLINE_MS = 6000;
// after the KILLs: time for their exits to be reaped and the status files written
const AFTER_KILL_MS = 700;

/** RUNITD_STOP_DEADLINE (milliseconds); unset: the default as PID 1, else none (null). */
export function stopDeadlineMs(env: NodeJS.ProcessEnv, pid1: boolean, warn: (msg: string) => void): number | null {
  const raw = env.RUNITD_STOP_DEADLINE;
  if (raw === undefined || raw === '') return pid1 ? DEFAULT_STOP_DEADLINE_MS : null;
  if (!/^\d+$/.test(raw)) {
    warn(`RUNITD_STOP_DEADLINE must be a number of milliseconds: ${raw}`);
    return DEFAULT_STOP_DEADLINE_MS;
  }
  return Number(raw);
}

function after(ms: number): Promise<'late'> {
  return new Promise((resolve) => setTimeout(() => resolve('late'), ms));
}

/** Stops every service; resolves when all are down, or at most AFTER_KILL_MS past the deadline. */
export async function stopWithin(scandir: ScanDir, deadlineMs: number | null): Promise<void> {
  if (deadlineMs === null) return scandir.stopAll();
  const down = scandir.stopAll().then(() => 'down' as const);
  if ((await Promise.race([down, after(deadlineMs)])) === 'down') return;
  scandir.killAll();
  await Promise.race([down, after(AFTER_KILL_MS)]);
}
