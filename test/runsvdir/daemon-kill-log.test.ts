// The daemon SIGKILLed while one of its in-process loggers cannot write (its log
// folder is a full tmpfs) and the service keeps writing: the service lives on,
// blocked on the log FIFO (no SIGPIPE: its stdout holds the FIFO open read-write);
// once space returns, a new daemon adopts it and logs the rest. Lost is only what
// the dead engine had read and not written: at most 64 KiB and a line cut by a
// read. Before the bound, the engine alone read up to 1 MiB ahead, and the pipe's
// 64 KiB died with the daemon. Needs mount(2) (root).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mountTmpfs, tmpfsSkipReason } from '../helpers/mount';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';
import { makeService, readPid } from '../runsv/runsv-helpers';
import { LINE_LEN } from '../svlogd/killed-logger-helpers';
import { startRunsvdir } from './runsvdir-helpers';

const LINES = 100000;
const ENGINE_MAX = 65536;

// Writes numbered lines in batches; `count` says how many lines write() took.
const WRITER = `
const fs = require('fs');
const line = (n) => String(n).padStart(8, '0') + ' ' + String(n).padStart(30, '0') + '\\n';
const nap = new Int32Array(new SharedArrayBuffer(4));
let n = 0;
while (n < ${LINES}) {
  let s = '';
  for (let i = 0; i < 25 && n < ${LINES}; i++, n++) s += line(n);
  const b = Buffer.from(s);
  for (let off = 0; off < b.length; ) {
    try {
      off += fs.writeSync(1, b, off);
    } catch (err) {
      if (err.code !== 'EAGAIN') process.exit(1);
      Atomics.wait(nap, 0, 0, 5);
    }
  }
  fs.writeFileSync('count', String(n));
}
fs.writeFileSync('done', '');
Atomics.wait(nap, 0, 0, 1e9);
`;

t.test('daemon killed mid-stream on a full log disk: the service lives on, at most 64 KiB lost in the engine', async (t) => {
  const skip = tmpfsSkipReason();
  if (skip) return t.skip(skip);
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const svc = makeService(sv, 'busy', {
    // without tap's NODE_OPTIONS hooks: their signal handlers would never run in a writer blocked in Atomics.wait
    run: `[ -e count ] && exec sleep 100000\nexec env -u NODE_OPTIONS node writer.js`,
    log: { run: '#!/bin/sh\nexec svlogd ./main\n' },
  });
  writeFileSync(path.join(svc, 'writer.js'), WRITER);
  const main = path.join(svc, 'log', 'main');
  mountTmpfs(t, main, '128k');
  process.env.PATH = `${path.join(repoRoot, 'bin')}:${process.env.PATH}`;
  delete process.env.RUNITD_INLINE_LOGS;
  const d = startRunsvdir(t, sv);

  await waitFor(() => d.stderr().split('svlogd: pausing:').length > 3, 'the in-process logger pausing on the full disk', 60000);
  const count = (): number => Number(readFileSync(path.join(svc, 'count'), 'utf8') || 0);
  await waitFor(async () => {
    const a = count();
    await new Promise((r) => setTimeout(r, 500));
    return count() === a;
  }, 'the writer blocked', 30000);
  t.notOk(existsSync(path.join(svc, 'done')), 'the writer is blocked, not done');
  const writer = readPid(svc);
  t.ok(writer > 0 && alive(writer), 'the writer runs');

  killPid(d.pid, 'SIGKILL');
  await d.exited;
  const before = count();
  await new Promise((r) => setTimeout(r, 1000));
  t.ok(alive(writer), 'the writer outlives the daemon (no SIGPIPE)');

  // space returns; the next daemon adopts the writer and logs what waited in the FIFO
  t.equal(spawnSync('mount', ['-o', 'remount,size=16m', main]).status, 0, 'tmpfs grown');
  const d2 = startRunsvdir(t, sv);
  await waitFor(() => existsSync(path.join(svc, 'done')), 'the writer to finish', 60000);
  t.equal(readPid(svc), writer, 'the writer was adopted, not restarted');
  t.ok(count() >= before, 'it went on writing');

  // every line once, in order, but for one gap: what the dead engine held
  const onDisk = async (): Promise<number[]> => {
    const files = readdirSync(main).filter((f) => f.startsWith('@')).sort();
    if (existsSync(path.join(main, 'current'))) files.push('current');
    const text = Buffer.concat(files.map((f) => readFileSync(path.join(main, f)))).toString('latin1');
    return text.split('\n').filter((l) => l !== '').map((l) => Number(l.slice(0, 8)));
  };
  let nums: number[] = [];
  await waitFor(async () => {
    nums = await onDisk();
    return nums[nums.length - 1] === LINES - 1;
  }, 'the last line on disk', 60000);
  let gaps = 0;
  let lostLines = 0;
  let dupOrDisorder = 0;
  for (let i = 1; i < nums.length; i++) {
    if (nums[i] <= nums[i - 1]) dupOrDisorder++;
    else if (nums[i] !== nums[i - 1] + 1) {
      gaps++;
      lostLines += nums[i] - nums[i - 1] - 1;
    }
  }
  t.equal(nums[0], 0, 'from the first line');
  t.equal(dupOrDisorder, 0, 'no line twice, none out of order');
  t.ok(gaps <= 1, `at most one gap (${gaps})`);
  t.ok(lostLines * LINE_LEN <= ENGINE_MAX + LINE_LEN, `${lostLines} lines (${lostLines * LINE_LEN} bytes) lost: at most 64 KiB in the engine and a cut line`);
  t.comment(`daemon SIGKILLed, logger stalled on a full disk: ${LINES} lines written, ${lostLines} lost (${lostLines * LINE_LEN} bytes)`);
  killPid(d2.pid, 'SIGTERM');
  await d2.exited;
});
