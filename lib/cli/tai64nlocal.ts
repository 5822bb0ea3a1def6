// tai64nlocal: stdin to stdout, a TAI64N label at the start of a line replaced by
// local time, byte for byte as daemontools' tai64nlocal (see lib/pager/label.ts
// for the one deviation: labels glibc cannot represent pass through where
// tai64nlocal crashes). Output is written after every read, as daemontools
// flushes before each read, so it works at the end of a pipe being followed.
//
// Exit codes: 0 at end of input, 111 when reading or writing fails; like
// daemontools' (Debian's) build, without a message.
import { readSync, writeSync } from 'node:fs';
import { Tai64nLocalStream } from '../pager/label';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function die(): never {
  process.exit(111);
}

function writeAll(buf: Buffer): void {
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(1, buf));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, 10);
        continue;
      }
      die();
    }
  }
}

function main(): void {
  const conv = new Tai64nLocalStream();
  const buf = Buffer.allocUnsafe(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // stdin may be shared with something that made it non-blocking (svlogd does)
      if (code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') return;
      die();
    }
    if (n === 0) return;
    writeAll(conv.push(buf.subarray(0, n)));
  }
}

main();
