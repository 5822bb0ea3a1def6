// Following `current` across svlogd's rotations without losing or repeating a
// byte. svlogd rotates by: flush + close `current`, rename it to `@<now>.s` (or
// `.u`), create a new `current`. So when `current` stops being the file we hold
// (another inode, or none), our file is complete: we read it to its end, then any
// rotated file newer than the ones already accounted for, then the new `current`.
// The file we hold is recognised among the rotated ones by its inode; when a
// processor already replaced it (`.u` -> `.s`, a new inode) the first newer
// rotation is taken to be ours.
//
// Wake-ups come from fs.watch on the folder; a timer polls as well, in case the
// watch is unavailable or misses something (network file systems, inotify limits).
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { PagerError, isMissing } from './errors';
import { CHUNK, inodeOf, listRotated, type Rotated } from './history';

export interface FollowStart {
  fd: number | null;
  ino: number;
  /** where reading `fd` continues */
  pos: number;
  watermark: string;
}

export class Follower {
  private fd: number | null;
  private ino: number;
  private pos: number;
  private watermark: string;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;

  constructor(
    readonly dir: string,
    start: FollowStart,
    private readonly onData: (chunk: Buffer) => void,
    private readonly onError: (err: unknown) => void,
    private readonly pollMs = 1000,
  ) {
    this.fd = start.fd;
    this.ino = start.ino;
    this.pos = start.pos;
    this.watermark = start.watermark;
  }

  start(): void {
    let poll = this.pollMs;
    try {
      this.watcher = watch(this.dir, { persistent: true }, () => this.schedule());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      poll = Math.min(poll, 250);
    }
    this.timer = setInterval(() => this.schedule(), poll);
    this.schedule();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closeFd();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.sync();
      } catch (err) {
        this.onError(err);
      }
    });
  }

  /** Brings the output up to date with the folder. */
  sync(): void {
    // each turn either returns or consumes a rotation; bounded for safety
    for (let turn = 0; turn < 10000; turn++) {
      if (this.fd === null && !this.openCurrent()) return;
      // looked at before listing: a rotation after this look shows up in the list
      const cur = this.currentIno();
      const newer = listRotated(this.dir).filter((r) => r.label > this.watermark);
      const k = newer.findIndex((r) => r.names.some((n) => inodeOf(path.join(this.dir, n)) === this.ino));
      if (k >= 0) {
        // rotations between our last look and the creation of our file come first
        for (let i = 0; i < k; i++) this.emitRotated(newer[i]);
        this.drain();
        this.closeFd();
        this.watermark = newer[k].label;
        for (let i = k + 1; i < newer.length; i++) this.emitRotated(newer[i]);
        continue;
      }
      if (cur === this.ino) {
        for (const r of newer) this.emitRotated(r);
        this.drain();
        return;
      }
      // our file is neither current nor a rotated file any more
      this.drain();
      this.closeFd();
      for (let i = 0; i < newer.length; i++) {
        if (i > 0) this.emitRotated(newer[i]);
        else this.watermark = newer[i].label;
      }
    }
  }

  private currentIno(): number {
    try {
      return statSync(path.join(this.dir, 'current')).ino;
    } catch {
      return -1;
    }
  }

  private openCurrent(): boolean {
    const file = path.join(this.dir, 'current');
    try {
      this.fd = openSync(file, 'r');
    } catch (err) {
      if (isMissing(err)) return false;
      throw new PagerError(`unable to open: ${file}`, err);
    }
    this.ino = fstatSync(this.fd).ino;
    this.pos = 0;
    return true;
  }

  private closeFd(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Everything from our position to the current end of our file. */
  private drain(): void {
    if (this.fd === null) return;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(this.fd, buf, 0, CHUNK, this.pos);
      } catch (err) {
        throw new PagerError(`unable to read: ${path.join(this.dir, 'current')}`, err);
      }
      if (n === 0) return;
      this.pos += n;
      this.onData(buf.subarray(0, n));
    }
  }

  /** A whole rotated file we have not seen. */
  private emitRotated(r: Rotated): void {
    this.watermark = r.label;
    for (const name of r.names) {
      const file = path.join(this.dir, name);
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch (err) {
        if (isMissing(err)) continue;
        throw new PagerError(`unable to open: ${file}`, err);
      }
      try {
        let pos = 0;
        for (;;) {
          const buf = Buffer.allocUnsafe(CHUNK);
          const n = readSync(fd, buf, 0, CHUNK, pos);
          if (n === 0) break;
          pos += n;
          this.onData(buf.subarray(0, n));
        }
      } catch (err) {
        throw new PagerError(`unable to read: ${file}`, err);
      } finally {
        closeSync(fd);
      }
      return;
    }
  }
}
