// readFiles: small files read in one threadpool job, each the bytes or why not,
// in order, at most `max` bytes each; a FIFO does not hang the job.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readFiles } from '../../lib/native';

t.test('bytes, missing files and the cap, in order', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'runitd-readfiles-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'a'), Buffer.from([0, 1, 2, 0xff]));
  writeFileSync(path.join(dir, 'big'), 'x'.repeat(10000));
  writeFileSync(path.join(dir, 'empty'), '');
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  const got = await readFiles(['a', 'missing', 'big', 'empty', 'fifo'].map((n) => path.join(dir, n)), 4096);
  t.same(got[0].data, Buffer.from([0, 1, 2, 0xff]), 'every byte');
  t.equal(got[0].error, null);
  t.equal(got[1].data, null);
  t.equal(got[1].error?.code, 'ENOENT', 'a missing file says so');
  t.equal(got[2].data?.length, 4096, 'no more than max');
  t.same(got[3].data, Buffer.alloc(0), 'an empty file is empty, not missing');
  t.same(got[4].data, Buffer.alloc(0), 'a FIFO with no writer reads as empty, at once');
});

t.test('bad arguments are refused', async (t) => {
  t.throws(() => readFiles([''], 10), TypeError);
  t.throws(() => readFiles(['/x'], 0), TypeError);
});
