// The files of a service folder that go beyond runit (s6's names where s6 has
// the feature; docs/lifecycle.md). Read at each start of ./run, so a change
// takes effect at the next start, and with one readdir when there are none:
// a plain runit folder costs nothing more.
import { constants, promises as fsp } from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';

export interface LifecycleConfig {
  /** s6: the fd ./run writes a newline to when ready */
  notificationFd?: number;
  /** sd_notify: ./run gets NOTIFY_SOCKET and says READY=1 */
  notifySocket: boolean;
  /** the signal sent instead of TERM to stop */
  downSignal?: number;
  /** ms after the down signal before KILL */
  timeoutKill?: number;
  /** ms a ./finish may run */
  timeoutFinish?: number;
  /** ./run leads a process group; stop signals go to the group, leftovers are killed */
  stopGroup: boolean;
  /** cap of the exponential backoff (ms); none: runit's one second */
  backoffMax?: number;
  /** fast failures in a row (within the window) that put the service in maintenance */
  maintenanceAfter?: number;
  maintenanceWindow: number;
}

export const LIFECYCLE_FILES = [
  'notification-fd',
  'notify-socket',
  'down-signal',
  'timeout-kill',
  'timeout-finish',
  'stop-group',
  'backoff-max',
  'maintenance-after',
  'maintenance-window',
] as const;

// the numeric files and the setting each fills
type NumberField = 'notificationFd' | 'downSignal' | 'timeoutKill' | 'timeoutFinish' | 'backoffMax' | 'maintenanceAfter' | 'maintenanceWindow';
const FIELD: Record<Exclude<(typeof LIFECYCLE_FILES)[number], 'notify-socket' | 'stop-group'>, NumberField> = {
  'notification-fd': 'notificationFd',
  'down-signal': 'downSignal',
  'timeout-kill': 'timeoutKill',
  'timeout-finish': 'timeoutFinish',
  'backoff-max': 'backoffMax',
  'maintenance-after': 'maintenanceAfter',
  'maintenance-window': 'maintenanceWindow',
};

export const DEFAULT_MAINTENANCE_WINDOW = 60000;
const MAX_MS = 0x7fffffff; // setTimeout's limit

export type ParseResult = { ok: true; value: number } | { ok: false; why: string };

/** Whether a folder with these names has any lifecycle file. */
export function hasLifecycleFiles(names: ReadonlySet<string>): boolean {
  return LIFECYCLE_FILES.some((f) => names.has(f));
}

/** A decimal count or duration from one of the files; white space around it is ignored. */
export function parseNumber(file: string, text: string): ParseResult {
  const v = text.trim();
  if (!/^\d+$/.test(v)) return { ok: false, why: v.startsWith('-') ? 'negative value' : 'not a number' };
  const n = Number(v);
  switch (file) {
    case 'notification-fd':
      if (n <= 2) return { ok: false, why: 'collides with stdin, stdout or stderr' };
      if (n > 1023) return { ok: false, why: 'out of range' };
      return { ok: true, value: n };
    case 'maintenance-after':
      if (n < 1) return { ok: false, why: 'out of range' };
      return { ok: true, value: n };
    default:
      if (n > MAX_MS) return { ok: false, why: 'out of range' };
      return { ok: true, value: n };
  }
}

/** down-signal: a name with or without SIG, or a number. */
export function parseSignal(text: string): ParseResult {
  const v = text.trim().toUpperCase();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return n >= 1 && n <= 64 ? { ok: true, value: n } : { ok: false, why: 'out of range' };
  }
  const name = (v.startsWith('SIG') ? v : 'SIG' + v) as keyof typeof osConstants.signals;
  const n = osConstants.signals[name];
  return typeof n === 'number' ? { ok: true, value: n } : { ok: false, why: 'not a signal' };
}

// A value is a few bytes: read no more than that, and never wait on a FIFO
// planted as one of the files (it reads as empty, or fails with EAGAIN).
const MAX_VALUE_BYTES = 64;
async function readSmall(p: string): Promise<string> {
  const fh = await fsp.open(p, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(MAX_VALUE_BYTES), 0, MAX_VALUE_BYTES, null);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Reads the lifecycle files of `dir`; null when there is none (runit's behaviour
 * throughout). A bad value is passed to `bad` with the file name and ignored.
 * `listing`: the names in `dir`, when the caller has just read them.
 */
export async function readLifecycleFiles(
  dir: string,
  bad: (file: string, value: string, why: string) => void,
  listing?: ReadonlySet<string>,
): Promise<LifecycleConfig | null> {
  let names: ReadonlySet<string>;
  try {
    names = listing ?? new Set(await fsp.readdir(dir));
  } catch {
    return null;
  }
  const present = LIFECYCLE_FILES.filter((f) => names.has(f));
  if (present.length === 0) return null;
  const cfg: LifecycleConfig = { notifySocket: false, stopGroup: false, maintenanceWindow: DEFAULT_MAINTENANCE_WINDOW };
  for (const file of present) {
    if (file === 'notify-socket') {
      cfg.notifySocket = true;
      continue;
    }
    if (file === 'stop-group') {
      cfg.stopGroup = true;
      continue;
    }
    let text: string;
    try {
      text = await readSmall(path.join(dir, file));
    } catch (err) {
      bad(file, '', `unable to read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    const r = file === 'down-signal' ? parseSignal(text) : parseNumber(file, text);
    if (!r.ok) {
      bad(file, text.trim(), r.why);
      continue;
    }
    cfg[FIELD[file]] = r.value;
  }
  return cfg;
}
