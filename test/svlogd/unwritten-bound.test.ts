// What a logger holds read but unwritten, and so what its death can cost, when its
// disk cannot take more: the in-process engine as the daemon configures it (64 KiB,
// asynchronous writes) and as the svlogd command does (-b bytes, blocking writes).
// A real writer process fills a pipe; the log folder is a full tmpfs; the engine
// is then abandoned as a dying process would abandon it, and the bytes neither on
// disk nor still in the pipe are counted. Needs mount(2) (root).
import t, { Test } from 'tap';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readdirSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { LogEngine, EngineOptions } from '../../lib/svlogd';
import { parseInlineLog } from '../../lib/runsv/inline-log';
import * as native from '../../lib/native';
import { tinyFs, tmpfsSkipReason } from '../helpers/mount';
import { alive, killPid, waitFor } from '../helpers/proc';
import { LINE_LEN, lineText } from './killed-logger-helpers';

const LINES = 100000; // 4 MB: far more than the pipe, the tmpfs and any read-ahead

/** The whole stream the writer produces, for byte-exact comparisons. */
function stream(): Buffer {
  const parts: string[] = [];
  for (let n = 0; n < LINES; n++) parts.push(lineText(n));
  return Buffer.from(parts.join(''), 'latin1');
}

/** Everything left in the pipe once its last writer is gone. */
function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  const deadline = Date.now() + 10000;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      // the engine made the shared file description non-blocking; EOF follows
      // as soon as the last write end is closed
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN' && Date.now() < deadline) continue;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

interface Outcome {
  maxUnwritten: number;
  onDisk: number;
  lost: number;
  pausing: number;
}

async function fullDiskThenDie(t: Test, options: EngineOptions): Promise<Outcome> {
  const all = stream();
  const dir = tinyFs(t, '64k');
  const [rd, wr] = native.pipe();
  const spare = native.dup(rd);
  t.teardown(() => closeSync(spare));
  const writer = spawn('awk', [`BEGIN { for (n = 0; n < ${LINES}; n++) printf "%08d %030d\\n", n, n }`], { stdio: ['ignore', wr, 'ignore'] });
  closeSync(wr);
  t.teardown(() => killPid(writer.pid as number));

  const engine = new LogEngine({ dirs: [dir], options: { ...options, pauseMs: 50 }, input: rd });
  let pausing = 0;
  engine.on('message', (kind: string) => {
    if (kind === 'pausing') pausing++;
  });
  let maxUnwritten = 0;
  const watch = setInterval(() => (maxUnwritten = Math.max(maxUnwritten, engine.unwritten)), 1);
  t.ok(await engine.start(), 'engine started');
  // several failed tries: the engine has read all it ever will while the disk is full
  await waitFor(() => pausing >= 5, 'the logger pausing on the full disk', 30000);
  t.ok(alive(writer.pid as number), 'the writer is blocked, not done');
  clearInterval(watch);
  maxUnwritten = Math.max(maxUnwritten, engine.unwritten);

  // the process dies: nothing more is written, the rest of the pipe survives it
  await engine.destroy();
  killPid(writer.pid as number);
  await waitFor(() => writer.exitCode !== null || writer.signalCode !== null, 'the writer gone');
  const left = drain(spare);

  const files = readdirSync(dir).filter((f) => f.startsWith('@')).sort();
  if (existsSync(path.join(dir, 'current'))) files.push('current');
  const disk = Buffer.concat(files.map((f) => readFileSync(path.join(dir, f))));
  t.ok(disk.equals(all.subarray(0, disk.length)), `the ${disk.length} bytes on disk are the stream's start, in order`);
  const at = all.indexOf(left.subarray(0, 4096));
  t.ok(left.length > 0 && at >= disk.length && all.subarray(at, at + left.length).equals(left), `the ${left.length} bytes left in the pipe are the stream from byte ${at} on`);
  return { maxUnwritten, onDisk: disk.length, lost: at - disk.length, pausing };
}

t.test('in the daemon: at most 64 KiB read and unwritten per folder on a full disk', async (t) => {
  const skip = tmpfsSkipReason();
  if (skip) return t.skip(skip);
  const plan = parseInlineLog('#!/bin/sh\nexec svlogd ./main\n');
  if (!plan) throw new Error('the canonical log/run is not run in-process');
  t.equal(plan.options.blockingIo, undefined, 'the daemon writes asynchronously');
  const o = await fullDiskThenDie(t, plan.options);
  t.ok(o.maxUnwritten <= 65536 + LINE_LEN, `read and unwritten: never more than 64 KiB and a line cut by a read (max seen ${o.maxUnwritten})`);
  t.ok(o.lost <= 65536 + LINE_LEN, `abandoned: ${o.lost} bytes lost, at most 64 KiB and a cut line`);
  t.comment(`in-process engine on a full 64k tmpfs: ${o.onDisk} bytes on disk, ${o.maxUnwritten} read and unwritten at most, ${o.lost} bytes lost when abandoned`);
});

t.test('in the svlogd command: at most -b bytes read and unwritten on a full disk', async (t) => {
  const skip = tmpfsSkipReason();
  if (skip) return t.skip(skip);
  const o = await fullDiskThenDie(t, { bufLen: 1024, blockingIo: true });
  t.ok(o.maxUnwritten <= 1024 + LINE_LEN, `read and unwritten: never more than -b 1024 and a line cut by a read (max seen ${o.maxUnwritten})`);
  t.ok(o.lost <= 1024 + LINE_LEN, `abandoned: ${o.lost} bytes lost, at most -b 1024 and a cut line`);
  t.comment(`command engine on a full 64k tmpfs: ${o.onDisk} bytes on disk, ${o.maxUnwritten} read and unwritten at most, ${o.lost} bytes lost when abandoned`);
});
