// File descriptors handed from one daemon image to the next across a re-exec in
// place (same pid): the control and ok FIFOs keep their reader, so an `sv` during
// the switch queues its byte instead of finding "runsv not running"; locks stay
// held; log FIFOs and the title pipe keep their data. Each fd is keyed by what it
// is (the file's dev:ino and its role), never by path: the new image reaches the
// same files through other paths (/proc/self/fd/N of a new folder fd).
import { closeSync, Stats } from 'node:fs';
import { setCloexec } from '../native';

const ENV = 'RUNITD_HANDOVER';

export type Role = 'control-r' | 'control-w' | 'ok' | 'lock' | 'logpipe-r' | 'logpipe-w' | 'title-r' | 'title-w';

/** The key of one file's fd in one role. */
export function fileKey(st: Pick<Stats, 'dev' | 'ino'>, role: Role): string {
  return `${st.dev}:${st.ino}:${role}`;
}

const held = new Map<string, number>();
// the keys each held fd is kept under: a daemon stopping 1000 services closes
// thousands of fds, and a search of `held` for each was quadratic
const keysOf = new Map<number, Set<string>>();
const given = new Map<string, number>();

// What the previous image handed over: read once, taken out of the environment so
// that no service inherits it.
{
  const text = process.env[ENV];
  delete process.env[ENV];
  if (text) {
    try {
      for (const [k, fd] of Object.entries(JSON.parse(text) as Record<string, number>)) if (Number.isInteger(fd) && fd > 2) given.set(k, fd);
    } catch {
      // a damaged value: nothing handed over, everything is opened anew
    }
    // close-on-exec again: they are ours now, not the services'
    for (const [k, fd] of [...given]) {
      try {
        setCloexec(fd, true);
      } catch {
        given.delete(k);
      }
    }
  }
}

/** True when this image was started by a re-exec that handed fds over. */
export function cameFromReexec(): boolean {
  return given.size > 0;
}

/** The fd handed over under `key`, if any; it is the caller's from now on. */
export function take(key: string): number | undefined {
  const fd = given.get(key);
  if (fd !== undefined) given.delete(key);
  return fd;
}

/** Closes what was handed over but not taken (services gone meanwhile). */
export function closeUntaken(): void {
  for (const fd of given.values()) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
  given.clear();
}

/** Marks an fd to be handed to the next image. */
export function keep(key: string, fd: number): void {
  const before = held.get(key);
  if (before !== undefined) keysOf.get(before)?.delete(key);
  held.set(key, fd);
  let keys = keysOf.get(fd);
  if (!keys) keysOf.set(fd, (keys = new Set()));
  keys.add(key);
}

/** The fd is being closed by its owner (a socket): nothing to hand over for it. */
export function forgetKept(fd: number): void {
  const keys = keysOf.get(fd);
  if (!keys) return;
  for (const k of keys) held.delete(k);
  keysOf.delete(fd);
}

/** Closes a kept fd: nothing to hand over for it any more. */
export function closeKept(fd: number): void {
  forgetKept(fd);
  closeSync(fd);
}

/** Makes every kept fd survive execve and returns the environment entry describing them. */
export function prepareExec(): [string, string] {
  const out: Record<string, number> = {};
  for (const [k, fd] of held) {
    try {
      setCloexec(fd, false);
      out[k] = fd;
    } catch {
      // closed behind our back: the next image opens the file anew
    }
  }
  return [ENV, JSON.stringify(out)];
}

/** A failed exec: the kept fds are close-on-exec again, so no child inherits them. */
export function abortExec(): void {
  for (const fd of held.values()) {
    try {
      setCloexec(fd, true);
    } catch {
      // closed meanwhile
    }
  }
}
