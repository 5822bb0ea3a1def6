// Where the engine's bytes come from. A source delivers chunks into a callback that
// must consume them synchronously (the buffer is reused), and can be paused so that
// nothing more is read from the fd: unread data stays in the pipe, which is how
// back-pressure reaches the writer and how a stopping engine loses nothing.
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pauseRead, unwatchRead, watchReadInto } from '../native';

export interface InputSource {
  start(onData: (buf: Buffer, n: number) => void, onEnd: (err?: Error) => void): void;
  pause(): void;
  resume(): void;
  /** Releases the source (closes the fd if the source owns it). */
  close(): void;
}

const CHUNK = 65536;
// One read buffer for every polled input of the process: each read is consumed
// synchronously before the next callback can run, and a daemon may hold 1000 of them.
const SHARED_READ_BUFFER = Buffer.allocUnsafe(CHUNK);

/** At most `max` bytes per read: whatever is read is what a killed logger can lose. */
function readSize(max: number): number {
  return Math.max(1, Math.min(CHUNK, Math.floor(max)));
}

/** A pipe or socket fd, read through libuv's poller (never a threadpool thread). */
class PollInput implements InputSource {
  private watching = false;
  private paused = false;
  private ended = false;
  private readonly buf: Buffer;
  constructor(private readonly fd: number, max: number) {
    this.buf = SHARED_READ_BUFFER.subarray(0, readSize(max));
  }

  start(onData: (buf: Buffer, n: number) => void, onEnd: (err?: Error) => void): void {
    const finish = (why: string): void => {
      if (this.ended) return;
      this.ended = true;
      onEnd(why === 'EOF' ? undefined : Object.assign(new Error(`${why}: read failed`), { code: why, syscall: 'read' }));
    };
    // one read at a time into the shared buffer, consumed before the next read:
    // a pause takes effect at once, so no byte is read that we would not process
    watchReadInto(this.fd, this.buf, (n) => onData(this.buf, n), finish);
    this.watching = true;
    if (this.paused) pauseRead(this.fd, true);
  }

  pause(): void {
    this.paused = true;
    if (this.watching) pauseRead(this.fd, true);
  }

  resume(): void {
    this.paused = false;
    if (this.watching && !this.ended) pauseRead(this.fd, false);
  }

  close(): void {
    this.ended = true;
    if (this.watching) unwatchRead(this.fd);
    else fs.close(this.fd, () => {});
    this.watching = false;
  }
}

/** A regular file or a terminal: plain reads (threadpool), one at a time. */
class FileInput implements InputSource {
  private paused = false;
  private reading = false;
  private ended = false;
  private onData: ((buf: Buffer, n: number) => void) | null = null;
  private onEnd: ((err?: Error) => void) | null = null;
  private readonly buf: Buffer;
  constructor(private readonly fd: number, private readonly owned: boolean, max: number) {
    this.buf = Buffer.allocUnsafe(readSize(max));
  }

  start(onData: (buf: Buffer, n: number) => void, onEnd: (err?: Error) => void): void {
    this.onData = onData;
    this.onEnd = onEnd;
    this.next();
  }

  private next(): void {
    if (this.paused || this.reading || this.ended) return;
    this.reading = true;
    fs.read(this.fd, this.buf, 0, this.buf.length, null, (err, n) => {
      this.reading = false;
      if (this.ended) return;
      if (err && (err.code === 'EAGAIN' || err.code === 'EINTR')) {
        setTimeout(() => this.next(), 20);
        return;
      }
      if (err || n === 0) {
        this.ended = true;
        this.onEnd?.(err ?? undefined);
        return;
      }
      this.onData?.(this.buf, n);
      this.next();
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.next();
  }

  close(): void {
    this.ended = true;
    if (this.owned) fs.close(this.fd, () => {});
  }
}

/** Any Node Readable (tests, or a caller that already has a stream). */
class StreamInput implements InputSource {
  constructor(private readonly stream: Readable) {}

  start(onData: (buf: Buffer, n: number) => void, onEnd: (err?: Error) => void): void {
    let ended = false;
    const finish = (err?: Error): void => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    this.stream.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      onData(b, b.length);
    });
    this.stream.on('end', () => finish());
    this.stream.on('error', (err) => finish(err));
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  close(): void {
    this.stream.destroy();
  }
}

/**
 * An input for an fd (pipe/socket: polled; file/tty: read), reading at most
 * `readMax` bytes at a time, or a Readable (chunks as they come).
 * A polled fd is closed by close(); pass a duplicate if the fd must survive the engine.
 */
export function openInput(input: number | Readable | InputSource, readMax = CHUNK): InputSource {
  if (typeof input === 'number') {
    const st = fs.fstatSync(input);
    if (st.isFIFO() || st.isSocket()) return new PollInput(input, readMax);
    return new FileInput(input, false, readMax);
  }
  if (isInputSource(input)) return input;
  return new StreamInput(input);
}

function isInputSource(x: unknown): x is InputSource {
  const o = x as Partial<InputSource>;
  return typeof o.start === 'function' && typeof o.pause === 'function' && typeof o.close === 'function';
}
