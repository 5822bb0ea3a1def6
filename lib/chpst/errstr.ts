// chpst works with errno numbers (its PATH search keeps the first interesting
// one); the texts come from the table every command shares.
import { errnoText } from '../errstr';

/** runit's text for an errno number. */
export function errorStr(errno: number): string {
  return errnoText(Math.abs(errno));
}

/** The positive errno carried by a Node or lib/native error (0 if it has none). */
export function errnoOf(err: unknown): number {
  const n = (err as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? Math.abs(n) : 0;
}

export const ENOENT = 2;
export const EPERM = 1;
export const EACCES = 13;
export const EISDIR = 21;
