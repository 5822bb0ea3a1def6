// watchRead / watchReadInto / pauseRead / unwatchRead: a pipe's bytes handed over
// as they arrive (what the control FIFOs, the title pipe and the in-process
// loggers read through), with back-pressure while paused, one end report, and
// the fd closed by unwatchRead.
import t from 'tap';
import { closeSync, fstatSync, readSync, writeSync } from 'node:fs';
import { pauseRead, pipe, unwatchRead, watchRead, watchReadInto } from '../../lib/native';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

t.test('bytes arrive as they are written, one char per byte, until unwatched', async (t) => {
  const [r, w] = pipe({ nonblockRead: true });
  let text = '';
  const ends: string[] = [];
  watchRead(r, (s) => (text += s), (why) => ends.push(why));
  let watched = true;
  t.teardown(() => {
    if (watched) unwatchRead(r);
    closeSync(w);
  });
  writeSync(w, Buffer.from([0x75, 0x00, 0xff, 0x0a]));
  await until('the first bytes', () => text.length >= 4);
  writeSync(w, 'dx');
  await until('the next bytes', () => text.length >= 6);
  t.same([...text].map((c) => c.charCodeAt(0)), [0x75, 0x00, 0xff, 0x0a, 0x64, 0x78], 'every byte, in order, latin1');
  t.same(ends, [], 'no end while a writer is open');
  t.equal(unwatchRead(r), true);
  watched = false;
  t.notOk(isOpen(r), 'unwatchRead closed the read end');
  t.equal(unwatchRead(r), false, 'a second unwatch finds nothing');
});

t.test('the last writer gone: one EOF, then no more calls', async (t) => {
  const [r, w] = pipe({ nonblockRead: true });
  let calls = 0;
  const ends: string[] = [];
  watchRead(
    r,
    () => calls++,
    (why) => ends.push(why),
  );
  t.teardown(() => unwatchRead(r));
  writeSync(w, 'x');
  closeSync(w);
  await until('the end', () => ends.length > 0);
  await sleep(200);
  t.equal(calls, 1, 'the byte before the end');
  t.same(ends, ['EOF'], 'told once');
});

t.test('paused: nothing is read, what is written waits in the pipe', async (t) => {
  const [r, w] = pipe({ nonblockRead: true });
  const buf = Buffer.alloc(3);
  const chunks: string[] = [];
  watchReadInto(
    r,
    buf,
    (n) => chunks.push(buf.toString('latin1', 0, n)),
    () => undefined,
  );
  t.teardown(() => {
    unwatchRead(r);
    closeSync(w);
  });
  writeSync(w, 'abcdefgh');
  await until('all of it', () => chunks.join('').length === 8);
  t.ok(chunks.every((c) => c.length <= 3), `no read beyond the buffer: ${JSON.stringify(chunks)}`);

  pauseRead(r, true);
  writeSync(w, 'later');
  await sleep(300);
  t.equal(chunks.join(''), 'abcdefgh', 'nothing read while paused');
  pauseRead(r, false);
  await until('the rest after resuming', () => chunks.join('').length === 13);
  t.equal(chunks.join(''), 'abcdefghlater');
});

t.test('a pause from inside the callback stops the very next read', async (t) => {
  const [r, w] = pipe({ nonblockRead: true });
  const buf = Buffer.alloc(2);
  let got = '';
  watchReadInto(
    r,
    buf,
    (n) => {
      got += buf.toString('latin1', 0, n);
      pauseRead(r, true);
    },
    () => undefined,
  );
  t.teardown(() => {
    unwatchRead(r);
    closeSync(w);
  });
  writeSync(w, 'abcdef');
  await until('the first read', () => got.length > 0);
  await sleep(200);
  t.equal(got, 'ab', 'one read, then none');
  const rest = Buffer.alloc(16);
  t.equal(readSync(r, rest, 0, 16, null), 4, 'the rest is still in the pipe');
});

t.test('bad arguments are refused before the addon sees them', async (t) => {
  t.throws(() => watchRead(-1, () => undefined, () => undefined), /invalid fd/);
  t.throws(() => watchReadInto(0, Buffer.alloc(0), () => undefined, () => undefined), /non-empty Buffer/);
});
