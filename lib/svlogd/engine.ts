// The svlogd engine: reads an input, splits it into lines, selects, stamps and
// hands them to log directories. No process-global state: the svlogd command runs
// one on stdin, the daemon runs one per log service on a pipe it holds.
//
// Methods stand for runit's signals: reopen() = HUP, rotate() = ALRM, stop() = TERM.
// Events: 'message' (kind: 'warning'|'pausing'|'info'|'fatal', text) — printed by
// svlogd as `svlogd: <kind>: <text>`; the engine never prints or exits by itself.
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { errorText } from '../errstr';
import { InputSource, openInput } from './input';
import { DirHost, LogDir, MessageKind } from './logdir';
import { pmatch } from './match';
import { formatStamp, STAMP_LEN, stampNow } from './stamp';

export interface EngineOptions {
  /** 0 none, 1 -t (TAI64N), 2 -tt, 3 -ttt */
  timestamp?: number;
  /** -r: replacement byte (a one-character string or a byte value) */
  replaceChar?: string | number | null;
  /** -R: bytes replaced besides the non-printable ones */
  replaceBytes?: string | Buffer;
  /** -l: bytes of a line used for matching, stderr and UDP (default 1000) */
  lineMax?: number;
  /** -b: runit's read buffer; the default for unwrittenMax (default 1024) */
  bufLen?: number;
  /**
   * Most bytes read from the input and not yet written to every directory, besides
   * the start of a line cut by a read (less than lineMax bytes): all that a SIGKILL
   * can cost. The engine reads again only when what it read is written down to
   * this. Default: bufLen, runit's contract; the daemon gives one pipe's worth.
   */
  unwrittenMax?: number;
  /** bytes asked for per read (default: unwrittenMax, at most 64 KiB) */
  readMax?: number;
  /**
   * Blocking fs calls: lines are written before the next read, in the same tick.
   * For the svlogd command, a process of its own; never in the daemon, whose event
   * loop must not wait on one log's disk.
   */
  blockingIo?: boolean;
  /** -v */
  verbose?: boolean;
  /** runit pauses 3 s before retrying a failed write/rename/... */
  pauseMs?: number;
  /** directories are relative to this (default: process.cwd() at construction) */
  cwd?: string;
  /** where `e` selected lines go (default process.stderr) */
  stderr?: { write(b: Buffer): unknown };
  /**
   * The user the log belongs to (the daemon's `chpst -u USER svlogd`): files are
   * created owned by them, processors run as them, and no file in the folder is
   * followed through a symlink or used when it has other hard links.
   */
  owner?: { uid: number; gid: number } | null;
}

export interface LogEngineInit {
  dirs: readonly string[];
  options?: EngineOptions;
  /** an fd (pipe: polled, closed by the engine at the end; file/tty: read), a Readable, or a custom source */
  input: number | Readable | InputSource;
}

const READ_MAX = 65536;

/** A point of the input: every byte before `upTo` is written once each directory has written `want[i]`. */
interface Mark {
  upTo: number;
  want: number[];
}

export class LogEngine extends EventEmitter implements DirHost {
  readonly lineMax: number;
  readonly verbose: boolean;
  readonly pauseMs: number;
  readonly owner: { uid: number; gid: number } | null;
  readonly blockingIo: boolean;
  readonly unwrittenMax: number;
  readonly readMax: number;
  /** resolves with the exit code svlogd would have (0, or 111 after a fatal error) */
  readonly done: Promise<number>;

  private readonly dirs: LogDir[];
  private readonly timestamp: number;
  private readonly replaceChar: number;
  private readonly replace: Uint8Array | null;
  // process.stderr is made on first use, which costs a new logger milliseconds
  private readonly stderrOpt: { write(b: Buffer): unknown } | undefined;
  private input: InputSource | null = null;
  private readonly inputSpec: number | Readable | InputSource;

  private resolveDone!: (code: number) => void;
  private state: 'new' | 'running' | 'exiting' | 'done' = 'new';
  private readonly holds = new Set<string>();
  private inputPaused = false;
  private deferred: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopRequested = false;
  private reopenPending = false;
  private reopening = false;

  // what is read and what of it is written, in input bytes since the start
  private readTotal = 0;
  private splitTotal = 0;
  private durable = 0;
  private readonly marks: Mark[] = [];

  // the line being read
  private inLine = false;
  private overflow = false;
  private lineLen = 0;
  private readonly lineBuf: Buffer;
  private stamp: Buffer;
  private readonly chunkStamp = Buffer.alloc(STAMP_LEN);
  private readonly lineStamp = Buffer.alloc(STAMP_LEN);

  constructor(init: LogEngineInit) {
    super();
    const o = init.options ?? {};
    this.timestamp = Math.min(Math.max(o.timestamp ?? 0, 0), 3);
    this.lineMax = o.lineMax && o.lineMax > 0 ? o.lineMax : 1000;
    const bufLen = o.bufLen && o.bufLen > 0 ? o.bufLen : 1024;
    if (bufLen <= this.lineMax) throw new RangeError('svlogd: buflen must be greater than the line length');
    this.unwrittenMax = o.unwrittenMax && o.unwrittenMax > 0 ? o.unwrittenMax : bufLen;
    this.readMax = Math.min(o.readMax && o.readMax > 0 ? o.readMax : this.unwrittenMax, this.unwrittenMax, READ_MAX);
    this.blockingIo = o.blockingIo === true;
    this.verbose = o.verbose === true;
    this.pauseMs = o.pauseMs ?? 3000;
    this.owner = o.owner ?? null;
    this.stderrOpt = o.stderr;
    const rc = o.replaceChar;
    const rb = o.replaceBytes === undefined ? null : Buffer.from(o.replaceBytes);
    if (rc !== undefined && rc !== null) this.replaceChar = typeof rc === 'number' ? rc & 0xff : Buffer.from(rc)[0] ?? 0x5f;
    else this.replaceChar = 0x5f; // '_' when only -R is given
    if ((rc !== undefined && rc !== null) || rb !== null) {
      const r = new Uint8Array(256);
      for (let i = 0; i < 256; i++) r[i] = i < 32 || i > 126 ? 1 : 0;
      if (rb) for (const b of rb) r[b] = 1;
      this.replace = r;
    } else this.replace = null;
    this.lineBuf = Buffer.alloc(this.lineMax);
    this.stamp = this.chunkStamp;
    const cwd = o.cwd ?? process.cwd();
    this.dirs = init.dirs.map((d) => new LogDir(d, path.resolve(cwd, d), this));
    this.inputSpec = init.input;
    this.done = new Promise((res) => (this.resolveDone = res));
  }

  message(kind: MessageKind, text: string): void {
    this.emit('message', kind, text);
  }

  // ------------------------------------------------------------ life cycle

  /** Opens the directories and starts reading; false (and done = 111) if none is usable. */
  async start(): Promise<boolean> {
    if (this.state !== 'new') throw new Error('LogEngine: already started');
    this.state = 'running';
    // signals that arrive while the directories are being opened wait for it
    this.reopening = true;
    if (!(await this.openAll())) return false;
    this.reopening = false;
    this.input = openInput(this.inputSpec, this.readMax);
    this.input.start(
      (buf, n) => this.onData(buf, n),
      (err) => this.onEnd(err),
    );
    this.updateInput();
    this.armTimer();
    if (this.stopRequested) void this.exit(0);
    else if (this.reopenPending) void this.doReopen();
    return true;
  }

  /** HUP: close every directory (complete, 0744) and open it again, re-reading config. */
  reopen(): void {
    if (this.state !== 'running') return;
    if (this.reopening) {
      this.reopenPending = true;
      return;
    }
    void this.doReopen();
  }

  /** ALRM: rotate every directory whose current is not empty. */
  rotate(): void {
    if (this.state !== 'running' || this.reopening) return;
    for (const d of this.dirs) {
      if (!d.isOpen) continue;
      d.rotate();
      d.flush();
    }
  }

  /**
   * TERM: finish and resolve `done`. Input already read is written; a line that is
   * half read is waited for (as runit does) and, unlike runit, written too.
   */
  stop(): void {
    if (this.state === 'new') {
      this.state = 'done';
      this.resolveDone(0);
      return;
    }
    if (this.state !== 'running') return;
    this.stopRequested = true;
    if (!this.inLine && !this.reopening) void this.exit(0);
  }

  /** Abandons everything at once (no flush, no waiting for processors). */
  async destroy(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    this.clearTimer();
    this.input?.close();
    for (const d of this.dirs) await d.abort();
    this.resolveDone(111);
  }

  private async openAll(): Promise<boolean> {
    let any = false;
    for (const d of this.dirs) if (await d.open()) any = true;
    if (!any) {
      this.message('fatal', 'no functional log directories.');
      this.state = 'done';
      this.clearTimer();
      this.input?.close();
      this.resolveDone(111);
    }
    return any;
  }

  private async doReopen(): Promise<void> {
    this.reopening = true;
    this.hold('reopen', true);
    do {
      this.reopenPending = false;
      this.clearTimer();
      for (const d of this.dirs) await d.close();
      if (!(await this.openAll())) return;
    } while (this.reopenPending);
    this.reopening = false;
    this.armTimer();
    this.hold('reopen', false);
    const pending = this.deferred;
    this.deferred = [];
    for (const b of pending) if (this.state === 'running') this.consume(b, b.length);
    if (this.stopRequested && !this.inLine) void this.exit(0);
  }

  private async exit(code: number): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'exiting';
    this.clearTimer();
    this.hold('exit', true);
    this.input?.close();
    for (const d of this.dirs) d.flush();
    for (const d of this.dirs) {
      await d.idle();
      await d.waitProcessor();
      await d.close();
    }
    this.state = 'done';
    this.resolveDone(code);
  }

  // ------------------------------------------------------------ input flow

  private hold(reason: string, on: boolean): void {
    if (on) this.holds.add(reason);
    else this.holds.delete(reason);
    this.updateInput();
  }

  private updateInput(): void {
    const pause = this.holds.size > 0;
    if (!this.input || pause === this.inputPaused) return;
    this.inputPaused = pause;
    if (pause) this.input.pause();
    else if (this.state === 'running') this.input.resume();
  }

  /**
   * Input bytes read and not yet written to every directory: what a kill would
   * cost now. At most unwrittenMax and the start of one line cut by a read.
   */
  get unwritten(): number {
    return this.readTotal - this.durable;
  }

  /** The start of a line kept until its end is read (a longer line was written as it came). */
  private heldBytes(): number {
    return this.inLine && !this.overflow ? this.lineLen : 0;
  }

  /** DirHost: a directory wrote something; maybe read again. */
  progress(): void {
    while (this.marks.length > 0 && this.reached(this.marks[0])) this.durable = (this.marks.shift() as Mark).upTo;
    this.gate();
  }

  private reached(m: Mark): boolean {
    for (let i = 0; i < this.dirs.length; i++) if (this.dirs[i].written < m.want[i]) return false;
    return true;
  }

  /**
   * Reads on only while a full read still fits under unwrittenMax, the start of
   * the line being read aside: it is written only once its end is read.
   */
  private gate(): void {
    const over = this.unwritten - this.heldBytes() + this.readMax > this.unwrittenMax;
    if (over !== this.holds.has('unwritten')) this.hold('unwritten', over);
  }

  private onData(buf: Buffer, n: number): void {
    if (this.state !== 'running') return;
    this.readTotal += n;
    if (this.reopening) {
      // a read already under way when we paused: keep it for the reopened dirs
      this.deferred.push(Buffer.from(buf.subarray(0, n)));
      return;
    }
    this.consume(buf, n);
  }

  private consume(buf: Buffer, n: number): void {
    this.split(buf, n);
    this.splitTotal += n;
    let pending = false;
    for (const d of this.dirs) {
      d.flush();
      if (d.written < d.queued) pending = true;
    }
    const upTo = this.splitTotal - this.heldBytes();
    if (!pending) {
      this.durable = upTo;
      this.marks.length = 0;
    } else this.marks.push({ upTo, want: this.dirs.map((d) => d.queued) });
    this.gate();
    if (this.stopRequested && !this.inLine) void this.exit(0);
  }

  private onEnd(err?: Error): void {
    if (err) this.message('warning', `unable to read standard input: ${errorText(err)}`);
    if (this.state !== 'running') return;
    const finish = (): void => {
      // runit drops a final line without newline, except one already longer
      // than -l, whose start was handed out: that one is ended.
      if (this.inLine && this.overflow) this.endOverflowLine();
      this.inLine = false;
      void this.exit(0);
    };
    if (this.reopening) {
      const wait = setInterval(() => {
        if (this.reopening && this.state === 'running') return;
        clearInterval(wait);
        if (this.state === 'running') finish();
      }, 10);
      return;
    }
    finish();
  }

  // ------------------------------------------------------------ timers

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private armTimer(): void {
    this.clearTimer();
    let next = 0;
    for (const d of this.dirs) if (d.isOpen && d.deadline > 0 && (next === 0 || d.deadline < next)) next = d.deadline;
    if (next === 0) return;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, next - Date.now()));
  }

  private onTimer(): void {
    this.timer = null;
    if (this.state !== 'running' || this.reopening) return;
    const now = Date.now();
    for (const d of this.dirs) {
      if (!d.isOpen || d.deadline === 0 || d.deadline > now) continue;
      d.rotate();
      d.flush();
      d.deadline = now + d.cfg.tMax * 1000;
    }
    this.armTimer();
  }

  // ------------------------------------------------------------ lines

  private split(buf: Buffer, n: number): void {
    let pos = 0;
    let stamped = false;
    const lineMax = this.lineMax;
    while (pos < n) {
      if (this.overflow) {
        let nl = buf.indexOf(10, pos);
        if (nl >= n) nl = -1;
        const end = nl < 0 ? n : nl;
        if (end > pos) for (const d of this.dirs) if (d.isOpen && d.match === 0x2b && !d.cfg.udpOnly) d.append(buf, pos, end);
        if (nl < 0) {
          pos = n;
          break;
        }
        this.endOverflowLine();
        pos = nl + 1;
        continue;
      }
      if (!this.inLine) {
        // the stamp is the time the first byte of the line was read
        if (this.timestamp && !stamped) {
          formatStamp(this.timestamp, stampNow(), this.chunkStamp);
          stamped = true;
        }
        this.stamp = this.chunkStamp;
        this.inLine = true;
        this.lineLen = 0;
        let nl = buf.indexOf(10, pos);
        if (nl >= n) nl = -1;
        if (nl >= 0 && nl - pos < lineMax) {
          this.dispatch(buf, pos, nl, true);
          this.inLine = false;
          pos = nl + 1;
          continue;
        }
      }
      let nl = buf.indexOf(10, pos);
      if (nl >= n) nl = -1;
      const avail = (nl < 0 ? n : nl) - pos;
      const need = lineMax - this.lineLen;
      if (nl >= 0 && avail < need) {
        buf.copy(this.lineBuf, this.lineLen, pos, nl);
        this.lineLen += avail;
        this.dispatch(this.lineBuf, 0, this.lineLen, true);
        this.inLine = false;
        pos = nl + 1;
      } else if (avail >= need) {
        buf.copy(this.lineBuf, this.lineLen, pos, pos + need);
        this.lineLen = lineMax;
        pos += need;
        this.dispatch(this.lineBuf, 0, lineMax, false);
        this.overflow = true;
      } else {
        buf.copy(this.lineBuf, this.lineLen, pos, n);
        this.lineLen += avail;
        pos = n;
      }
    }
    if (this.inLine && this.stamp === this.chunkStamp) {
      this.chunkStamp.copy(this.lineStamp);
      this.stamp = this.lineStamp;
    }
  }

  private endOverflowLine(): void {
    for (const d of this.dirs) if (d.isOpen && d.match === 0x2b && !d.cfg.udpOnly) d.endLine();
    this.overflow = false;
    this.inLine = false;
  }

  /** The first `len` bytes of a line (all of it if `complete`) go to every directory. */
  private dispatch(line: Buffer, start: number, end: number, complete: boolean): void {
    const rep = this.replace;
    if (rep !== null) for (let i = start; i < end; i++) if (rep[line[i]]) line[i] = this.replaceChar;
    const stamp = this.timestamp ? this.stamp : null;
    const full = end - start === this.lineMax;
    for (const d of this.dirs) {
      if (!d.isOpen) continue;
      const cfg = d.cfg;
      const pats = cfg.patterns;
      if (pats.length > 0) {
        d.match = 0x2b;
        d.matchErr = 0x45;
        for (const p of pats) {
          if (!pmatch(p.text, line, start, end)) continue;
          if (p.kind === 0x2b || p.kind === 0x2d) d.match = p.kind;
          else d.matchErr = p.kind;
        }
      }
      if (d.matchErr === 0x65) (this.stderrOpt ?? process.stderr).write(this.packet(stamp, cfg.prefix, line, start, end, full));
      if (d.match !== 0x2b) continue;
      if (cfg.udp) d.sendUdp(this.packet(stamp, cfg.prefix, line, start, end, full));
      if (cfg.udpOnly) continue;
      d.appendParts(stamp, cfg.prefix, line, start, end);
      if (complete) d.endLine();
    }
  }

  /** `[stamp][prefix]<first len bytes>[...]\n`, for stderr and UDP. */
  private packet(stamp: Buffer | null, prefix: Buffer | null, line: Buffer, start: number, end: number, full: boolean): Buffer {
    const parts: Buffer[] = [];
    if (stamp) parts.push(stamp);
    if (prefix) parts.push(prefix);
    parts.push(line.subarray(start, end));
    parts.push(full ? DOTS_NL : NL);
    return Buffer.concat(parts);
  }
}

const NL = Buffer.from('\n');
const DOTS_NL = Buffer.from('...\n');
