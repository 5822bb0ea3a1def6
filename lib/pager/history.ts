// A log folder's history as one byte stream, like `cat @* current`: the rotated
// files in name order (= time order: the name is the TAI64N of the rotation) and
// then `current`. A line may continue from one file into the next (svlogd cuts
// lines at exactly `s` bytes when `s` < its line length), so positions are
// (source index, offset) pairs in that concatenation.
//
// Files are read through small chunks, forwards or backwards, never whole.
import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PagerError, isMissing } from './errors';
import { labelTimeMs } from './stamps';

const ROTATED = /^@[0-9a-f]{24}\.[su]$/;
export const CHUNK = 256 * 1024;

/** One rotation: `.s` and/or `.u` of the same label (both exist for a moment while a processor finishes). */
export interface Rotated {
  /** `@` + 24 hex digits */
  label: string;
  /** existing names, `.s` first */
  names: string[];
  /** the rotation time = upper bound of its lines' times, unix ms */
  timeMs: number;
}

export function listRotated(dir: string): Rotated[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new PagerError(`unable to read log directory: ${dir}`, err);
  }
  const byLabel = new Map<string, string[]>();
  for (const n of names) {
    if (!ROTATED.test(n)) continue;
    const label = n.slice(0, 25);
    const list = byLabel.get(label);
    if (list) list.push(n);
    else byLabel.set(label, [n]);
  }
  const out: Rotated[] = [];
  for (const [label, list] of byLabel) {
    list.sort((a, b) => (a.endsWith('.s') ? -1 : b.endsWith('.s') ? 1 : 0));
    out.push({ label, names: list, timeMs: labelTimeMs(Buffer.from(label, 'latin1')) ?? 0 });
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** One file of the history, opened lazily, with the size it had when first opened. */
export class Source {
  fd: number | null = null;
  size = 0;
  file = '';
  private tried = false;

  constructor(
    readonly dir: string,
    /** candidate names; empty for an already open `current` */
    readonly names: string[],
    /** upper bound of the times in this file, unix ms (Infinity for current) */
    readonly timeMs: number,
  ) {}

  static openCurrent(dir: string, fd: number, size: number): Source {
    const s = new Source(dir, [], Infinity);
    s.fd = fd;
    s.size = size;
    s.file = path.join(dir, 'current');
    s.tried = true;
    return s;
  }

  /** Opens the file; false if it vanished (svlogd pruned it), which counts as empty. */
  open(): boolean {
    if (this.tried) return this.fd !== null;
    this.tried = true;
    for (const name of this.names) {
      const file = path.join(this.dir, name);
      try {
        this.fd = openSync(file, 'r');
        this.file = file;
        this.size = fstatSync(this.fd).size;
        return true;
      } catch (err) {
        if (this.fd !== null) closeSync(this.fd);
        this.fd = null;
        if (!isMissing(err)) throw new PagerError(`unable to open: ${file}`, err);
      }
    }
    return false;
  }

  /** Reads exactly `len` bytes at `pos` (within the known size). */
  readAt(buf: Buffer, len: number, pos: number): void {
    let done = 0;
    while (done < len) {
      let n: number;
      try {
        n = readSync(this.fd as number, buf, done, len - done, pos + done);
      } catch (err) {
        throw new PagerError(`unable to read: ${this.file}`, err);
      }
      // the file shrank under us: what is gone reads as nothing
      if (n === 0) {
        buf.fill(0x0a, done, len);
        return;
      }
      done += n;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface Snapshot {
  dir: string;
  /** rotated files older than `current`, then current if it exists */
  sources: Source[];
  current: Source | null;
  currentIno: number;
  /** the newest rotation label already accounted for (for following) */
  watermark: string;
}

/**
 * Opens `current` first and lists the rotated files after, so nothing can fall
 * between them; if `current` was rotated in that moment, the file holding our
 * descriptor is found by its inode and what came after it is left to following.
 */
export function takeSnapshot(dir: string): Snapshot {
  let fd: number | null = null;
  let ino = -1;
  let size = 0;
  const openedAt = Date.now();
  try {
    fd = openSync(path.join(dir, 'current'), 'r');
    const st = fstatSync(fd);
    ino = st.ino;
    size = st.size;
  } catch (err) {
    if (!isMissing(err)) throw new PagerError(`unable to open: ${path.join(dir, 'current')}`, err);
  }
  const rotated = listRotated(dir);
  let end = rotated.length;
  if (fd !== null) {
    // a rotation of our current is named after a time later than we opened it
    for (let i = rotated.length - 1; i >= 0 && rotated[i].timeMs >= openedAt - 5000; i--) {
      if (rotated[i].names.some((n) => inodeOf(path.join(dir, n)) === ino)) {
        end = i;
        break;
      }
    }
  }
  const sources = rotated.slice(0, end).map((r) => new Source(dir, r.names, r.timeMs));
  let current: Source | null = null;
  if (fd !== null) {
    current = Source.openCurrent(dir, fd, size);
    sources.push(current);
  }
  return { dir, sources, current, currentIno: ino, watermark: end > 0 ? rotated[end - 1].label : '' };
}

export function inodeOf(file: string): number {
  try {
    return statSync(file).ino;
  } catch {
    return -1;
  }
}

export interface Pos {
  src: number;
  off: number;
}

const HEAD = 32;

/**
 * Walks the lines of sources[first..last] from the last to the first, calling
 * `visit` with each line's start and its first bytes (valid only during the
 * call) until it returns false. A trailing newline at the very end does not start
 * a line; a final line without newline counts, as in `tail -n`.
 */
export function scanBackward(sources: Source[], first: number, last: number, visit: (pos: Pos, head: Buffer) => boolean): void {
  const buf = Buffer.allocUnsafe(CHUNK);
  let after = Buffer.alloc(0);
  let seenAny = false;
  let lowest = -1;
  for (let s = last; s >= first; s--) {
    const src = sources[s];
    if (!src.open() || src.size === 0) continue;
    lowest = s;
    let end = src.size;
    while (end > 0) {
      const start = Math.max(0, end - CHUNK);
      const n = end - start;
      src.readAt(buf, n, start);
      const chunk = buf.subarray(0, n);
      let j = n - 1;
      while (j >= 0) {
        const nl = chunk.lastIndexOf(0x0a, j);
        if (nl < 0) break;
        if (seenAny || nl !== n - 1) {
          const k = nl + 1;
          const head = n - k >= HEAD ? chunk.subarray(k, k + HEAD) : Buffer.concat([chunk.subarray(k), after]).subarray(0, HEAD);
          if (!visit({ src: s, off: start + k }, head)) return;
        }
        j = nl - 1;
      }
      seenAny = true;
      after = n >= HEAD ? Buffer.from(chunk.subarray(0, HEAD)) : Buffer.concat([chunk, after]).subarray(0, HEAD);
      end = start;
    }
  }
  if (lowest >= 0) visit({ src: lowest, off: 0 }, after);
}

/** Feeds sources[from.src..last] from `from` to their sizes into `onChunk`, in order. */
export function readForward(sources: Source[], from: Pos, last: number, onChunk: (chunk: Buffer) => void): void {
  for (let s = from.src; s <= last; s++) {
    const src = sources[s];
    if (!src.open()) continue;
    let pos = s === from.src ? from.off : 0;
    while (pos < src.size) {
      const n = Math.min(CHUNK, src.size - pos);
      const buf = Buffer.allocUnsafe(n);
      src.readAt(buf, n, pos);
      onChunk(buf);
      pos += n;
    }
  }
}
