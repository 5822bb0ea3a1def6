// From bytes to shown lines: splitting, the --since/--until decision, the local
// time conversion, and the batched writer.
import { writeSync } from 'node:fs';
import { convertLine, convertLineInto } from './label';
import { lineTimeMs } from './stamps';

export interface TimeRange {
  sinceMs?: number;
  untilMs?: number;
}

export function hasRange(r: TimeRange): boolean {
  return r.sinceMs !== undefined || r.untilMs !== undefined;
}

export function inRange(r: TimeRange, t: number): boolean {
  return (r.sinceMs === undefined || t >= r.sinceMs) && (r.untilMs === undefined || t <= r.untilMs);
}

/**
 * The decision for lines with no stamp of their own (continuations, or a log
 * written without -t) at the very start of the history: they come before any
 * --since time, and before any --until time.
 */
export function initialDecision(r: TimeRange): boolean {
  return r.sinceMs === undefined;
}

/** Keeps lines whose stamp is in the range; a line without stamp shares the previous line's fate. */
export class TimeFilter {
  constructor(
    readonly range: TimeRange,
    public decision: boolean,
  ) {}

  accept(line: Buffer): boolean {
    const t = lineTimeMs(line);
    if (t !== null) this.decision = inRange(this.range, t);
    return this.decision;
  }
}

/** Writes to fd 1 in large pieces; waits (without spinning) when a non-blocking pipe is full. */
export class Output {
  private parts: Buffer[] = [];
  private pending = 0;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly fd = 1) {}

  write(buf: Buffer): void {
    this.parts.push(buf);
    this.pending += buf.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.pending === 0) return;
    let buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(this.fd, buf));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(this.sleeper, 0, 0, 10);
          continue;
        }
        if (code === 'EPIPE') {
          // the reader (head, a closed less) has seen enough: stop like tail does
          process.exit(0);
        }
        throw err;
      }
    }
  }
}

export interface LineSinkOptions {
  raw: boolean;
  filter: TimeFilter | null;
  out: Output;
  /** called before the first line this sink writes after another sink wrote (headers) */
  beforeWrite?: () => void;
}

/** Splits a byte stream into lines (keeping a partial last line until completed) and shows the kept ones. */
export class LineSink {
  private carry: Buffer | null = null;
  private readonly passThrough: boolean;

  constructor(private readonly o: LineSinkOptions) {
    this.passThrough = o.raw && o.filter === null;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.passThrough) {
      this.o.beforeWrite?.();
      this.o.out.write(chunk);
      return;
    }
    let start = 0;
    if (this.carry !== null) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = null;
      this.line(line);
      start = nl + 1;
    }
    if (this.o.filter === null) {
      // converting only: one output buffer per chunk (a label grows by at most 4 bytes, 8 for odd ones)
      this.o.beforeWrite?.();
      const out = Buffer.allocUnsafe(chunk.length + (chunk.length >> 2) + 64);
      let at = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0) break;
        const line = chunk.subarray(start, nl + 1);
        if (out.length - at < line.length + 64) {
          this.o.out.write(out.subarray(0, at));
          return this.push(chunk.subarray(start));
        }
        at = convertLineInto(line, out, at);
        start = nl + 1;
      }
      if (at > 0) this.o.out.write(out.subarray(0, at));
    } else {
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0) break;
        this.line(chunk.subarray(start, nl + 1));
        start = nl + 1;
      }
    }
    if (start < chunk.length) this.carry = Buffer.from(chunk.subarray(start));
  }

  /** End of the history: a last line without newline is shown as it is. */
  end(): void {
    if (this.carry !== null) {
      const line = this.carry;
      this.carry = null;
      this.line(line);
    }
  }

  private line(line: Buffer): void {
    if (this.o.filter !== null && !this.o.filter.accept(line)) return;
    this.o.beforeWrite?.();
    this.o.out.write(this.o.raw ? line : convertLine(line));
  }
}
