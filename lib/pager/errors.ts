// A failure the pager reports as `svlog: fatal: <message>[: <errno text>]`, exit 111.
import { errorText } from '../errstr';

export class PagerError extends Error {
  constructor(
    readonly what: string,
    readonly err?: unknown,
  ) {
    super(err === undefined ? what : `${what}: ${errorText(err)}`);
  }
}

export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
