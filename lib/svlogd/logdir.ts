// One log directory: its lock, config, `current`, rotation, pruning and processor.
//
// Lines are accounted for synchronously (size counter, rotation points) while the
// engine splits its input, so rotations fall on exactly the bytes where runit's
// would; the bytes themselves are written in order, one coalesced write per
// stretch between rotations: by an asynchronous worker (the daemon), or, for the
// svlogd command, with blocking writes before the engine reads on, falling back to
// the worker for rotations and failures. Errors are retried after a pause, as
// runit does, while the unwritten bytes make the engine stop reading input.
import type * as Dgram from 'node:dgram';
import { writeSync } from 'node:fs';
import * as path from 'node:path';
import * as native from '../native';
import { formatLabel } from '../tai64';
import { DirConfig, defaultConfig, parseConfig } from './config';
import { errorCode, errorText } from '../errstr';
import { asyncIo, blockingIo, Io, O_APPEND_NEW, O_NOFOLLOW, O_RDWR_NOFOLLOW, O_READ, O_TRUNC_NEW, sleep } from './fsio';
import { stampNow } from './stamp';

// UDP is rare: its module is loaded by the first directory that uses it, not on
// every logger's way to its first read.
let dgramModule: typeof Dgram | null = null;
function dgram(): typeof Dgram {
  if (dgramModule === null) dgramModule = require('node:dgram') as typeof Dgram;
  return dgramModule;
}

export type MessageKind = 'warning' | 'pausing' | 'info' | 'fatal';

/** What a directory needs from its engine. */
export interface DirHost {
  readonly lineMax: number;
  readonly verbose: boolean;
  readonly pauseMs: number;
  readonly owner: { uid: number; gid: number } | null;
  /** blocking fs calls and writes (the svlogd command), or the threadpool (the daemon) */
  readonly blockingIo: boolean;
  message(kind: MessageKind, text: string): void;
  /** called when bytes were written or the worker went idle */
  progress(): void;
}

type Op = { kind: 'write'; data: Buffer } | { kind: 'rotate' };

const STAGE_SIZE = 65536;
const NO_STAGE = Buffer.alloc(0);
const NL = Buffer.from('\n');

class Stopped extends Error {}

/** Shell glue giving the processor fd 4 = state and fd 5 = newstate, as runit does. */
const PROCESSOR_WRAPPER = 'exec 4<state 5>newstate || exit 111; exec /bin/sh -c "$1" sh';

export class LogDir {
  cfg: DirConfig = defaultConfig();
  /** functional: opened, locked, current open */
  isOpen = false;
  /** runit's per-directory match state for the line being processed */
  match = 0x2b;
  /** deliberately kept across re-opens: runit's stale "matcherr" quirk */
  matchErr = 0;
  /** next time-based rotation (ms since epoch), 0 = none */
  deadline = 0;
  /** bytes in `current` once everything queued is written */
  size = 0;
  /** bytes handed over for writing since the start (running total) */
  queued = 0;
  /** bytes written since the start (running total; `queued` once all is on disk) */
  written = 0;

  private lockFd = -1;
  private curFd = -1;
  // allocated on the first byte, dropped once handed to the writer: an idle
  // logger (most of them, in a daemon with 1000 services) holds no buffer
  private stage: Buffer = NO_STAGE;
  private stageLen = 0;
  private readonly ops: Op[] = [];
  private working = false;
  private idleWaiters: (() => void)[] = [];
  private processing: { u: string; t: string; done: Promise<void> } | null = null;
  private udp: Dgram.Socket | null = null;
  private stopped = false;
  private readonly io: Io;

  constructor(
    /** as given (used in messages) */
    readonly name: string,
    /** absolute */
    readonly dir: string,
    private readonly host: DirHost,
  ) {
    this.io = host.blockingIo ? blockingIo : asyncIo;
  }

  // A svlogd killed inside a write can leave `current` ending inside a line (the
  // kernel stops a write to a file between pages when a SIGKILL is pending).
  // runit keeps that head of a line, which then reads as one line with the next
  // logger's first; we cut it, so a line in the log is whole or absent. Best
  // effort: on any failure the file stays as it is.
  private async dropCutLine(size: number): Promise<void> {
    const TAIL = 65536;
    let fd: number;
    try {
      fd = await this.io.open(this.file('current'), O_RDWR_NOFOLLOW);
    } catch {
      return;
    }
    try {
      const len = Math.min(size, TAIL);
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const n = await this.io.read(fd, buf, got, len - got, size - len + got);
        if (n === 0) break;
        got += n;
      }
      if (got !== len || buf[len - 1] === 0x0a) return;
      const nl = buf.lastIndexOf(0x0a);
      // no end of a line in the last 64 KiB of a bigger file: not a cut line of ours
      if (nl < 0 && size > TAIL) return;
      await this.io.ftruncate(fd, size - len + nl + 1);
    } catch {
      // left as it is
    } finally {
      await this.io.close(fd);
    }
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  private warn2(msg: string, err: unknown): void {
    this.host.message('warning', `${msg}: ${this.name}: ${errorText(err)}`);
  }

  private info(text: string): void {
    if (this.host.verbose) this.host.message('info', text);
  }

  /** Runs `fn` until it succeeds, printing runit's "pausing" message between tries. */
  private async retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      if (this.stopped) throw new Stopped();
      try {
        return await fn();
      } catch (err) {
        if (err instanceof Stopped) throw err;
        this.host.message('pausing', `${what}: ${this.name}: ${errorText(err)}`);
        await sleep(this.host.pauseMs);
      }
    }
  }

  // ------------------------------------------------------------ open / close

  /**
   * Opens (creating) a file of the folder. A file with other hard links is
   * refused: in a folder its user controls, a link to /etc/shadow must not be
   * appended to by root. New files are given to the log's owner.
   */
  private async create(name: string, flags: number, mode: number): Promise<number> {
    const fd = await this.io.open(this.file(name), flags, mode);
    try {
      const st = await this.io.fstat(fd);
      if (!st.isFile() || st.nlink > 1) throw Object.assign(new Error(`${name}: not a plain file of its own`), { code: 'EMLINK' });
      if (this.host.owner && (st.uid !== this.host.owner.uid || st.gid !== this.host.owner.gid)) await this.io.fchown(fd, this.host.owner.uid, this.host.owner.gid);
    } catch (err) {
      await this.io.close(fd);
      throw err;
    }
    return fd;
  }

  /** runit's logdir_open; false (after a warning) if the directory is not usable. */
  async open(): Promise<boolean> {
    this.cfg = defaultConfig();
    this.match = 0x2b;
    let st;
    try {
      st = await this.io.stat(this.dir);
    } catch (err) {
      this.warn2('unable to open log directory', err);
      return false;
    }
    if (!st.isDirectory()) {
      this.warn2('unable to change directory', { code: 'ENOTDIR' });
      return false;
    }
    try {
      this.lockFd = await this.create('lock', O_APPEND_NEW, 0o600);
      native.flock(this.lockFd, 'ex', true);
    } catch (err) {
      this.warn2('unable to lock directory', err);
      await this.releaseLock();
      return false;
    }
    let text: Buffer | null = null;
    try {
      text = this.host.owner ? await this.io.readFileNoFollow(this.file('config')) : await this.io.readFile(this.file('config'));
      this.info(`read: ${this.name}/config`);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') this.warn2('unable to read config', err);
    }
    if (text) this.cfg = parseConfig(text, (m) => this.host.message('warning', m));
    this.deadline = this.cfg.tMax > 0 ? Date.now() + this.cfg.tMax * 1000 : 0;

    let fresh = true;
    this.size = 0;
    try {
      const cur = await this.io.lstat(this.file('current'));
      if (!cur.isFile() || cur.nlink > 1) {
        // planted by whoever controls the folder: never follow it, never rotate it
        this.warn2('unable to open current', { code: cur.isSymbolicLink() ? 'ELOOP' : 'EMLINK' });
        await this.releaseLock();
        return false;
      }
      if (cur.size > 0 && (cur.mode & 0o100) === 0) {
        // left by a svlogd that did not close cleanly: keep it as unprocessed,
        // without the start of a line the kill cut (its rest died with that svlogd)
        await this.dropCutLine(cur.size);
        const name = await this.freshName('.u');
        await this.retry('unable to rename current', () => this.io.rename(this.file('current'), this.file(name)));
        await this.prune();
      } else {
        this.size = cur.size;
        fresh = false;
      }
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') {
        this.warn2('unable to stat current', err);
        await this.releaseLock();
        return false;
      }
    }
    try {
      this.curFd = await this.retry('unable to open current', () => this.create('current', O_APPEND_NEW, 0o600));
      await this.retry('unable to set mode of current', () => this.io.fchmod(this.curFd, 0o644));
    } catch {
      await this.releaseLock();
      return false;
    }
    this.info(`${fresh ? 'new' : 'append'}: ${this.name}/current`);
    this.isOpen = true;
    return true;
  }

  private async releaseLock(): Promise<void> {
    if (this.curFd >= 0) await this.io.close(this.curFd);
    this.curFd = -1;
    if (this.lockFd >= 0) await this.io.close(this.lockFd);
    this.lockFd = -1;
  }

  /** Writes everything queued, then fsync, mark complete (0744), close, unlock. */
  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.flush();
    await this.idle();
    this.isOpen = false;
    this.info(`close: ${this.name}`);
    try {
      await this.retry('unable to fsync current logfile', () => this.io.fsync(this.curFd));
      await this.retry('unable to set mode of current', () => this.io.fchmod(this.curFd, 0o744));
    } catch {
      // stopped
    }
    await this.releaseLock();
    this.udp?.close();
    this.udp = null;
  }

  /** Waits for a running processor (exit waits for them, as runit does). */
  async waitProcessor(): Promise<void> {
    while (this.processing) await this.processing.done;
  }

  /** Gives up every retry loop and closes the fds at once (engine destroyed). */
  async abort(): Promise<void> {
    this.stopped = true;
    this.isOpen = false;
    this.ops.length = 0;
    this.written = this.queued;
    await this.releaseLock();
    this.udp?.close();
    this.udp = null;
  }

  // ------------------------------------------------------------ line output

  /** Appends bytes of a line, rotating first wherever `s` says the file is full. */
  append(src: Buffer, start: number, end: number): void {
    const max = this.cfg.sizeMax;
    while (start < end) {
      if (max > 0 && this.size >= max) this.rotate();
      let w = end - start;
      if (max > 0 && w > max - this.size) w = max - this.size;
      this.put(src, start, start + w);
      this.size += w;
      start += w;
    }
  }

  /** Stamp, prefix and (part of) a line; in the common case no rotation falls inside. */
  appendParts(stamp: Buffer | null, prefix: Buffer | null, src: Buffer, start: number, end: number): void {
    const total = (stamp === null ? 0 : stamp.length) + (prefix === null ? 0 : prefix.length) + (end - start);
    const max = this.cfg.sizeMax;
    if (max === 0 || this.size + total <= max) {
      const st = this.room(total);
      let p = this.stageLen;
      if (stamp !== null) p += stamp.copy(st, p);
      if (prefix !== null) p += prefix.copy(st, p);
      const n = end - start;
      if (n < 32) for (let i = start; i < end; i++) st[p++] = src[i];
      else p += src.copy(st, p, start, end);
      this.stageLen = p;
      this.size += total;
      return;
    }
    if (stamp !== null) this.append(stamp, 0, stamp.length);
    if (prefix !== null) this.append(prefix, 0, prefix.length);
    this.append(src, start, end);
  }

  /** Ends a line: the newline, then runit's "soft" rotation check. */
  endLine(): void {
    const max = this.cfg.sizeMax;
    if ((max === 0 || this.size < max) && this.stageLen < this.stage.length) {
      this.stage[this.stageLen++] = 10;
      this.size++;
    } else this.append(NL, 0, 1);
    // runit subtracts unsigned: with s < len the soft limit never fires
    if (max > 0 && max >= this.host.lineMax && this.size >= max - this.host.lineMax) this.rotate();
  }

  private put(src: Buffer, start: number, end: number): void {
    this.stageLen += src.copy(this.room(end - start), this.stageLen, start, end);
  }

  /** The stage, with room for n more bytes. */
  private room(n: number): Buffer {
    if (this.stageLen + n > this.stage.length) {
      this.pushStage();
      const size = Math.max(n, STAGE_SIZE);
      if (this.stage.length < size) this.stage = Buffer.allocUnsafe(size);
    }
    return this.stage;
  }

  private pushStage(): void {
    if (this.stageLen === 0) return;
    const data = this.stage.subarray(0, this.stageLen);
    this.ops.push({ kind: 'write', data });
    this.queued += data.length;
    this.stage = NO_STAGE;
    this.stageLen = 0;
  }

  /** Queues a rotation at this point of the byte stream, if `current` is not empty. */
  rotate(): void {
    if (this.size === 0) return;
    this.pushStage();
    this.ops.push({ kind: 'rotate' });
    this.size = 0;
  }

  /** Hands everything staged to the writer; with blocking I/O, writes what it can now. */
  flush(): void {
    if (this.host.blockingIo && !this.working && this.curFd >= 0) this.writeNow();
    this.pushStage();
    if (!this.working && this.ops.length > 0) void this.work();
  }

  // The command's path: the writes at the head of the queue, then the stage, with
  // blocking writes while they succeed. A rotation or a failed write is left to the
  // worker, which retries and reports as runit does; the engine does not read on
  // before it is done. The stage buffer is kept: the next read fills it again.
  private writeNow(): void {
    while (this.ops.length > 0) {
      const op = this.ops[0];
      if (op.kind !== 'write') return;
      const n = this.writeBlocking(op.data, op.data.length);
      if (n < op.data.length) {
        op.data = op.data.subarray(n);
        return;
      }
      this.ops.shift();
    }
    const len = this.stageLen;
    if (len === 0) return;
    this.queued += len;
    const n = this.writeBlocking(this.stage, len);
    if (n === len) {
      this.stageLen = 0;
      return;
    }
    this.ops.push({ kind: 'write', data: this.stage.subarray(n, len) });
    this.stage = NO_STAGE;
    this.stageLen = 0;
  }

  /** How much of the first `len` bytes of `data` was written before a write failed. */
  private writeBlocking(data: Buffer, len: number): number {
    let off = 0;
    try {
      while (off < len) {
        const n = writeSync(this.curFd, data, off, len - off);
        off += n;
        this.written += n;
      }
    } catch {
      // the worker tries again and says why
    }
    return off;
  }

  idle(): Promise<void> {
    if (!this.working && this.ops.length === 0) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  sendUdp(packet: Buffer): void {
    const addr = this.cfg.udp;
    if (!addr) return;
    if (!this.udp) {
      try {
        this.udp = dgram().createSocket('udp4');
        this.udp.unref();
        this.udp.on('error', () => {});
      } catch {
        this.udpTrouble('warning: no udp socket available: ', packet);
        return;
      }
    }
    this.udp.send(packet, addr.port, addr.host, (err) => {
      if (err) this.udpTrouble('warning: failure sending through udp: ', packet);
    });
  }

  private udpTrouble(what: string, packet: Buffer): void {
    if (!this.isOpen) return;
    const b = Buffer.from(what);
    this.append(b, 0, b.length);
    this.append(packet, 0, packet.length);
    this.flush();
    this.host.progress();
  }

  // ------------------------------------------------------------ the writer

  private async work(): Promise<void> {
    this.working = true;
    try {
      while (this.ops.length > 0) {
        const op = this.ops[0];
        if (op.kind === 'write') {
          await this.writeAll(op.data);
        } else {
          await this.rotateFile();
        }
        this.ops.shift();
        this.host.progress();
      }
    } catch (err) {
      if (!(err instanceof Stopped)) this.host.message('warning', `unexpected: ${this.name}: ${String(err)}`);
    } finally {
      this.working = false;
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
      this.host.progress();
    }
  }

  private async writeAll(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      if (this.stopped) throw new Stopped();
      try {
        const n = await this.io.write(this.curFd, data, off, data.length - off);
        off += n;
        this.written += n;
      } catch (err) {
        if (errorCode(err) === 'ENOSPC' && this.cfg.nMin < this.cfg.nMax && (await this.deleteForSpace())) continue;
        this.host.message('pausing', `unable to write to current: ${this.name}: ${errorText(err)}`);
        await sleep(this.host.pauseMs);
      }
    }
  }

  /** Full disk with N < n: delete the oldest old file if more than N are left. */
  private async deleteForSpace(): Promise<boolean> {
    let names: string[];
    try {
      names = await this.io.readdir(this.dir);
    } catch (err) {
      this.warn2('unable to read directory, want remove old logfile', err);
      return false;
    }
    let count = 0;
    let oldest: string | null = null;
    for (const n of names) {
      if (n.length !== 27 || n[0] !== '@') continue;
      count++;
      if (n === this.processing?.u || n === this.processing?.t) continue;
      if (oldest === null || n < oldest) oldest = n;
    }
    if (count <= this.cfg.nMin || oldest === null) return false;
    this.host.message('warning', `out of disk space, delete: ${this.name}/${oldest}`);
    try {
      await this.io.unlink(this.file(oldest));
      return true;
    } catch (err) {
      this.warn2('unable to unlink oldest logfile', err);
      return false;
    }
  }

  private async freshName(ext: '.s' | '.u'): Promise<string> {
    for (;;) {
      const name = formatLabel(stampNow()) + ext;
      if (!(await this.io.exists(this.file(name)))) return name;
    }
  }

  /** runit's rotate(): close `current` as complete, rename it, start a new one. */
  private async rotateFile(): Promise<void> {
    await this.waitProcessor();
    const processor = this.cfg.processor;
    const name = await this.freshName(processor ? '.u' : '.s');
    const fd = this.curFd;
    const st = await this.io.fstat(fd).catch(() => null);
    await this.retry('unable to fsync current logfile', () => this.io.fsync(fd));
    this.info(`rename: ${this.name}/current ${name} ${st ? st.size : 0}`);
    // runit retries forever here; when `current` was removed behind our back that
    // never succeeds, so go on with a new file instead of stalling the log.
    await this.retry('unable to rename current', () =>
      this.io.rename(this.file('current'), this.file(name)).catch((err) => {
        if (errorCode(err) === 'ENOENT') this.warn2('unable to rename current', err);
        else throw err;
      }),
    );
    // Marked complete only once renamed (runit marks it first): a logger killed
    // between the two would leave a complete-looking `current`, and the next one
    // would append the tail of the line that kill cut to the middle of a file.
    await this.retry('unable to set mode of current', () => this.io.fchmod(fd, 0o744));
    await this.io.close(fd);
    this.curFd = -1;
    this.curFd = await this.retry('unable to create new current', () => this.create('current', O_APPEND_NEW, 0o600));
    await this.retry('unable to set mode of current', () => this.io.fchmod(this.curFd, 0o644));
    await this.prune();
    if (processor) this.startProcessor(name, processor);
  }

  /** runit's rmoldest(): drop processor leftovers, delete the oldest beyond n. */
  private async prune(): Promise<void> {
    let names: string[];
    try {
      names = await this.io.readdir(this.dir);
    } catch (err) {
      this.warn2('unable to read directory', err);
      return;
    }
    let count = 0;
    let oldest: string | null = null;
    for (const n of names) {
      if (n.length !== 27 || n[0] !== '@') continue;
      if (n.endsWith('t')) {
        if (n === this.processing?.t) continue;
        try {
          await this.io.unlink(this.file(n));
        } catch (err) {
          this.host.message('warning', `unable to unlink processor leftover: ${n}: ${errorText(err)}`);
        }
        continue;
      }
      count++;
      // runit 2.3.0: never the file a processor is working on
      if (n === this.processing?.u) continue;
      if (oldest === null || n < oldest) oldest = n;
    }
    if (this.cfg.nMax > 0 && count > this.cfg.nMax && oldest !== null) {
      this.info(`delete: ${this.name}/${oldest}`);
      try {
        await this.io.unlink(this.file(oldest));
      } catch (err) {
        this.warn2('unable to unlink oldest logfile', err);
      }
    }
  }

  // ------------------------------------------------------------ processor

  private startProcessor(u: string, command: string): void {
    const base = u.slice(0, -2);
    const t = base + '.t';
    const entry = { u, t, done: Promise.resolve() };
    this.processing = entry;
    entry.done = this.runProcessor(base, command)
      .catch(() => {
        // stopped
      })
      .finally(() => {
        if (this.processing === entry) this.processing = null;
      });
  }

  private async runProcessor(base: string, command: string): Promise<void> {
    const u = base + '.u';
    const t = base + '.t';
    const s = base + '.s';
    this.info(`processing: ${this.name}/${u}`);
    for (;;) {
      if (this.stopped) return;
      // registered right after spawn, before any await, or a fast exit is missed
      let exited: Promise<native.Exit> | null = null;
      const fds: number[] = [];
      try {
        let step = 'unable to open input for processor';
        try {
          fds.push(await this.io.open(this.file(u), O_READ | O_NOFOLLOW));
          step = 'unable to open output for processor';
          fds.push(await this.create(t, O_TRUNC_NEW, 0o644));
          step = 'unable to create empty state for processor';
          await this.io.close(await this.create('state', O_APPEND_NEW, 0o644));
        } catch (err) {
          this.warn2(step, err);
          if (errorCode(err) === 'ENOENT' && step === 'unable to open input for processor') return;
          await sleep(this.host.pauseMs);
          continue;
        }
        try {
          const pid = native.spawn({
            file: '/bin/sh',
            argv: ['sh', '-c', PROCESSOR_WRAPPER, 'sh', command],
            cwd: this.dir,
            stdio: [fds[0], fds[1], 'inherit'],
            sigmask: ['SIGCHLD'],
            ...(this.host.owner ? { uid: this.host.owner.uid, gid: this.host.owner.gid, groups: [this.host.owner.gid] } : {}),
          });
          exited = native.waitExit(pid);
        } catch (err) {
          this.host.message('pausing', `unable to fork for processor: ${this.name}: ${errorText(err)}`);
          await sleep(this.host.pauseMs);
          continue;
        }
      } finally {
        for (const fd of fds) await this.io.close(fd);
      }
      const exit = await (exited as Promise<native.Exit>);
      if (exit.status >> 8 !== 0) {
        this.host.message('warning', `processor failed, restart: ${this.name}`);
        await this.io.unlink(this.file(t)).catch(() => {});
        continue;
      }
      break;
    }
    await this.retry('unable to rename processed', () => this.io.rename(this.file(t), this.file(s)));
    await this.retry('unable to set mode of processed', () => this.io.chmod(this.file(s), 0o744));
    try {
      await this.io.unlink(this.file(u));
    } catch {
      this.host.message('warning', `unable to unlink: ${this.name}/${u}`);
    }
    await this.retry('unable to rename state', () => this.io.rename(this.file('newstate'), this.file('state')));
    this.info(`processed: ${this.name}/${s}`);
  }
}
