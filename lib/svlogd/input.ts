// Where the engine's bytes come from. A source delivers chunks into a callback that
// must consume them synchronously (the buffer is reused), and can be paused so that
// nothing more is read from the fd: unread data stays in the pipe, which is how
// back-pressure reaches the writer and how a stopping engine loses nothing.
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Readable } from 'node:stream';

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
  private sock: net.Socket | null = null;
  private paused = false;
  private ended = false;
  private readonly buf: Buffer;
  constructor(private readonly fd: number, max: number) {
    this.buf = SHARED_READ_BUFFER.subarray(0, readSize(max));
  }

  start(onData: (buf: Buffer, n: number) => void, onEnd: (err?: Error) => void): void {
    const finish = (err?: Error): void => {
      if (this.ended) return;
      this.ended = true;
      onEnd(err);
    };
    // `onread` (reading into our own buffer) is accepted by the constructor though
    // @types/node only declares it for connect().
    const opts = {
      fd: this.fd,
      readable: true,
      writable: false,
      allowHalfOpen: true,
      onread: {
        buffer: this.buf,
        callback: (n: number, buf: Uint8Array): boolean => {
          onData(buf as Buffer, n);
          // false stops libuv reading at once, so no byte is read that we would
          // not process.
          return !this.paused;
        },
      },
    };
    const sock = new net.Socket(opts as net.SocketConstructorOpts);
    this.sock = sock;
    sock.on('end', () => finish());
    sock.on('error', (err) => finish(err));
    if (this.paused) sock.pause();
  }

  pause(): void {
    this.paused = true;
    this.sock?.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.sock && !this.ended) this.sock.resume();
  }

  close(): void {
    this.ended = true;
    this.sock?.destroy();
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
