import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  STATUS_SIZE,
  SUPERVISE_FILES,
  decodeStatus,
  encodeStatus,
  statusTaiSeconds,
} from '../../lib/supervise/status';
import { killPid, tempDir, waitFor } from '../helpers/proc';
import { referenceBin, referenceSkip } from '../helpers/reference';

t.test('layout: big-endian TAI64N, little-endian pid, flags', async (t) => {
  const buf = encodeStatus({
    time: { sec: 0x6b0246ea - 10, nsec: 0x338f9b9c },
    pid: 14361,
    paused: false,
    want: 'u',
    termSent: false,
    state: 1,
  });
  // the example of spec/runsv.md §3.2, captured from runit's runsv
  t.equal(buf.toString('hex'), '400000006b0246ea338f9b9c1938000000750001');
  t.equal(buf.length, STATUS_SIZE);
});

t.test('round trip of every field', async (t) => {
  for (const rec of [
    { time: { sec: 1700000000, nsec: 123456500 }, pid: 0, paused: true, want: 'd' as const, termSent: false, state: 0 as const },
    { time: { sec: 1, nsec: 500 }, pid: 0xfffffffe, paused: false, want: 'u' as const, termSent: true, state: 2 as const },
  ]) {
    const buf = encodeStatus(rec);
    t.same(decodeStatus(buf), rec);
    t.equal(statusTaiSeconds(buf), 0x4000000000000000n + 10n + BigInt(rec.time.sec));
  }
  t.same(SUPERVISE_FILES.status, 'status');
  t.throws(() => decodeStatus(Buffer.alloc(19)), RangeError);
});

t.test('lenient decoding of bytes runit never writes', async (t) => {
  const buf = Buffer.alloc(20);
  buf[16] = 7;
  buf[17] = 0x78; // 'x'
  buf[18] = 2;
  buf[19] = 9;
  const rec = decodeStatus(buf);
  t.equal(rec.paused, true);
  t.equal(rec.want, 'd');
  t.equal(rec.termSent, true);
  t.equal(rec.state as number, 9);
});

t.test('matches the bytes of runit 2.1.2 runsv', referenceSkip('runsv', 'sv'), async (t) => {
  const dir = tempDir(t);
  const svc = path.join(dir, 's');
  mkdirSync(svc);
  writeFileSync(path.join(svc, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  const runsv = spawn(referenceBin('runsv')!, [svc], { stdio: 'ignore' });
  t.teardown(() => killPid(runsv.pid!, 'SIGKILL'));
  const statusFile = path.join(svc, 'supervise', 'status');
  const pidFile = path.join(svc, 'supervise', 'pid');
  const read = (): Buffer | null => {
    try {
      const b = readFileSync(statusFile);
      return b.length === 20 ? b : null;
    } catch {
      return null;
    }
  };
  // running
  const running = await waitFor(() => {
    const b = read();
    return b && b[19] === 1 ? b : null;
  }, 'runsv to start ./run');
  const child = Number(readFileSync(pidFile, 'utf8'));
  t.teardown(() => killPid(child));
  const before = Math.floor(Date.now() / 1000);
  let rec = decodeStatus(running);
  t.equal(rec.pid, child, 'pid is the run process');
  t.equal(rec.state, 1);
  t.equal(rec.want, 'u');
  t.equal(rec.paused, false);
  t.equal(rec.termSent, false);
  t.ok(Math.abs(rec.time.sec - before) <= 2, 'time is the start of ./run');
  t.equal(rec.time.nsec % 1000, 500, 'nanoseconds end in 500');
  t.same(encodeStatus(rec), running, 're-encoding gives runsv\'s bytes');

  // paused
  execFileSync(referenceBin('sv')!, ['pause', svc]);
  const paused = await waitFor(() => {
    const b = read();
    return b && b[16] === 1 ? b : null;
  }, 'paused flag');
  rec = decodeStatus(paused);
  t.equal(rec.paused, true);
  t.same(encodeStatus(rec), paused);

  // down: want d, no pid
  execFileSync(referenceBin('sv')!, ['-w', '5', 'down', svc]);
  const down = read()!;
  rec = decodeStatus(down);
  t.equal(rec.pid, 0);
  t.equal(rec.state, 0);
  t.equal(rec.want, 'd');
  t.same(encodeStatus(rec), down);

  // exit: runsv writes want 'd' again and leaves the file behind
  execFileSync(referenceBin('sv')!, ['-w', '5', 'exit', svc]);
  await waitFor(() => runsv.exitCode !== null, 'runsv to exit');
  const last = read()!;
  t.equal(decodeStatus(last).want, 'd');
  t.same(encodeStatus(decodeStatus(last)), last);
});
