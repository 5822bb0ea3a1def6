// The daemon SIGKILLed while one of its in-process loggers cannot write (its log
// folder is a full tmpfs) and the service keeps writing: the lines the service
// managed to write but that are not on disk are at most what the engine may hold
// (64 KiB, and a line cut by a read) plus what the log pipe held (64 KiB), which
// still dies with the daemon today. Before the bound, the engine alone read up to
// 1 MiB ahead. Needs mount(2) (root).
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mountTmpfs, tmpfsSkipReason } from '../helpers/mount';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';
import { makeService, readPid } from '../runsv/runsv-helpers';
import { LINE_LEN, lineText } from '../svlogd/killed-logger-helpers';
import { startRunsvdir } from './runsvdir-helpers';

const LINES = 100000;
const ENGINE_MAX = 65536;
const PIPE = 65536; // Linux's default pipe capacity

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

t.test('daemon killed mid-stream on a full log disk: at most 64 KiB lost in the engine', async (t) => {
  const skip = tmpfsSkipReason();
  if (skip) return t.skip(skip);
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const svc = makeService(sv, 'busy', {
    run: `[ -e count ] && exec sleep 100000\nexec node writer.js`,
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
  // the read end died with the daemon: the writer's next write fails and it exits
  await waitFor(() => !alive(writer), 'the writer gone', 30000);
  const written = count();

  const files = readdirSync(main).filter((f) => f.startsWith('@')).sort();
  if (existsSync(path.join(main, 'current'))) files.push('current');
  const disk = Buffer.concat(files.map((f) => readFileSync(path.join(main, f))));
  let expect = '';
  for (let n = 0; expect.length < disk.length; n++) expect += lineText(n);
  t.ok(disk.equals(Buffer.from(expect, 'latin1').subarray(0, disk.length)), `the ${disk.length} bytes on disk are the service's first bytes, in order`);
  const lost = written * LINE_LEN - disk.length;
  t.ok(lost >= 0, `${written} lines written, ${disk.length} bytes on disk`);
  t.ok(lost <= ENGINE_MAX + LINE_LEN + PIPE, `${lost} bytes lost: at most 64 KiB in the engine, a cut line, and the 64 KiB pipe`);
  t.comment(`daemon SIGKILLed, logger stalled on a full disk: ${written} lines written by the service, ${disk.length} bytes on disk, ${lost} bytes lost (engine + pipe)`);
});
