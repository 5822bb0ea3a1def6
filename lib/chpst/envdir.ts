// envdir (chpst -e and the envdir personality) and runit's way of merging the
// collected changes into the environment at exec time (pathexec).
import * as fs from 'node:fs';
import { EISDIR, ENOENT, errnoOf } from './errstr';

/**
 * One change, in pathexec's own encoding: `NAME=value` sets, `NAME` alone unsets.
 * The name ends at the FIRST '=', so a file named `B=C` sets B (see mergeEnv).
 */
export type EnvChange = string;

/**
 * The value a file's content gives: up to the first newline, trailing spaces and tabs
 * cut, NULs turned into newlines; null for an empty file (= unset the variable).
 */
export function envValue(content: Buffer): Buffer | null {
  if (content.length === 0) return null;
  let end = content.indexOf(0x0a);
  if (end < 0) end = content.length;
  while (end > 0 && (content[end - 1] === 0x20 || content[end - 1] === 0x09)) end--;
  const v = Buffer.from(content.subarray(0, end));
  for (let i = 0; i < v.length; i++) if (v[i] === 0) v[i] = 0x0a;
  return v;
}

/**
 * runit's pathexec: start from the environment, and for each change remove the first
 * entry with that name (by moving the last entry into its slot) and, if the change
 * carries a value, append it. The resulting order matches runit's for equal input.
 */
export function mergeEnv(environ: readonly string[], changes: readonly EnvChange[]): string[] {
  const e = [...environ];
  for (const ch of changes) {
    let split = ch.indexOf('=');
    if (split < 0) split = ch.length;
    const name = ch.slice(0, split);
    for (let t = 0; t < e.length; t++) {
      if (e[t].length > split && e[t][split] === '=' && e[t].startsWith(name)) {
        e[t] = e[e.length - 1];
        e.pop();
        break;
      }
    }
    if (split < ch.length) e.push(ch);
  }
  return e;
}

export class EnvdirError extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

export interface EnvdirOptions {
  /** chpst -e skips subdirectories; the envdir personality dies on them */
  skipSubdirs: boolean;
  /** warn(text) for a skipped subdirectory (chpst -v) */
  warn?: (errno: number, name: string) => void;
}

function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(4096);
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/**
 * Reads DIR in readdir order into a list of changes. Throws EnvdirError with runit's
 * message text (without the `chpst: fatal: ` prefix and errno suffix).
 */
export function readEnvdir(dir: string, opts: EnvdirOptions): EnvChange[] {
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) throw Object.assign(new Error('ENOTDIR'), { errno: -20 });
    fs.accessSync(dir, fs.constants.X_OK);
  } catch (err) {
    throw new EnvdirError(`unable to switch to directory: ${dir}`, errnoOf(err));
  }
  let d: fs.Dir;
  try {
    d = fs.opendirSync(dir);
  } catch (err) {
    throw new EnvdirError(`unable to open directory: ${dir}`, errnoOf(err));
  }
  const changes: EnvChange[] = [];
  // runit reads every file into one reused buffer, and a file that vanished
  // (ENOENT, e.g. a dangling symlink) leaves that buffer as it was: the previous
  // file's processed value, plus its terminating NUL.
  let last: Buffer = Buffer.alloc(0);
  try {
    for (;;) {
      let ent: fs.Dirent | null;
      try {
        ent = d.readSync();
      } catch (err) {
        throw new EnvdirError(`unable to read directory: ${dir}`, errnoOf(err));
      }
      if (ent === null) break;
      const name = ent.name;
      if (name.startsWith('.')) continue;
      let content: Buffer;
      let fd = -1;
      try {
        fd = fs.openSync(`${dir}/${name}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        content = readAll(fd);
      } catch (err) {
        const errno = errnoOf(err);
        if (fd < 0 && errno === ENOENT) {
          content = last;
        } else if (errno === EISDIR && opts.skipSubdirs) {
          opts.warn?.(errno, name);
          continue;
        } else {
          throw new EnvdirError(`unable to read ${dir}/${name}`, errno);
        }
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
      const v = envValue(content);
      if (v === null) {
        changes.push(name);
        last = Buffer.alloc(0);
      } else {
        changes.push(`${name}=${v.toString('utf8')}`);
        last = Buffer.concat([v, Buffer.from([0])]);
      }
    }
  } finally {
    d.closeSync();
  }
  return changes;
}
