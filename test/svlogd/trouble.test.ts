// Trouble: a full disk (tiny tmpfs), a read-only file system, back-pressure.
// Needs mount(2) (root); skips with a message where that is not permitted.
import t, { Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tinyFs, tmpfsSkipReason } from '../helpers/mount';
import { killPid, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin } from '../helpers/reference';
import { LogEngine } from '../../lib/svlogd';
import * as native from '../../lib/native';

const skip = tmpfsSkipReason();

function fill(file: string): void {
  // write until the disk is full
  const fd = fs.openSync(file, 'w');
  const b = Buffer.alloc(4096, 120);
  try {
    for (;;) fs.writeSync(fd, b);
  } catch {
    // ENOSPC
  } finally {
    fs.closeSync(fd);
  }
}

function startCli(t: Test, cwd: string, args: string[]) {
  const child = spawn(ourBin('svlogd'), args, { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  t.teardown(() => killPid(child.pid as number));
  return { child, err: () => err, exit };
}

const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');

t.test('full disk: pause, retry, lose nothing', { skip }, async (t) => {
  const mnt = tinyFs(t);
  fs.mkdirSync(path.join(mnt, 'log'));
  const r = startCli(t, mnt, ['log']);
  await waitFor(() => fs.existsSync(path.join(mnt, 'log', 'current')), 'current');
  fill(path.join(mnt, 'filler'));
  const input = lines(0, 2000);
  r.child.stdin!.write(input);
  await waitFor(() => r.err().includes('svlogd: pausing: unable to write to current: log: out of disk space\n'), 'pausing message');
  fs.unlinkSync(path.join(mnt, 'filler'));
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
  t.equal(fs.readFileSync(path.join(mnt, 'log', 'current'), 'utf8'), input, 'every line, once, in order');
});

t.test('full disk with N < n deletes old files as runit does', { skip: skip || (referenceBin('svlogd') ? false : 'no reference svlogd') }, async (t) => {
  const mnt = tinyFs(t);
  const results: string[][] = [];
  for (const [name, bin] of [['ref', referenceBin('svlogd') as string], ['our', ourBin('svlogd')]]) {
    const d = path.join(mnt, name);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'config'), 's12000\nn20\nN2\n');
    const r = spawnSync(bin, [name], { cwd: mnt, input: lines(0, 9000), timeout: 60000 });
    t.equal(r.status, 0, `${name} exit code`);
    const err = r.stderr.toString();
    t.match(err, new RegExp(`svlogd: warning: out of disk space, delete: ${name}/@[0-9a-f]{24}\\.s\\n`), `${name} deletes for space`);
    const files = fs.readdirSync(d).filter((f) => f.startsWith('@'));
    const kept = [...files.sort(), 'current'].map((f) => fs.readFileSync(path.join(d, f), 'utf8')).join('');
    t.ok(lines(0, 9000).endsWith(kept), `${name} kept an unbroken tail`);
    results.push([String(files.length), kept.slice(-20)]);
    fs.rmSync(d, { recursive: true });
  }
  t.same(results[1], results[0], 'same number of old files and same tail');
});

t.test('read-only file system at start: same messages as runit', { skip }, async (t) => {
  const mnt = tinyFs(t);
  fs.mkdirSync(path.join(mnt, 'log'));
  spawnSync('mount', ['-o', 'remount,ro', mnt]);
  const ref = referenceBin('svlogd');
  const ours = spawnSync(ourBin('svlogd'), ['log'], { cwd: mnt, input: '' });
  t.equal(ours.status, 111);
  t.equal(ours.stderr.toString(), 'svlogd: warning: unable to lock directory: log: read-only file system\nsvlogd: fatal: no functional log directories.\n');
  if (ref) {
    const theirs = spawnSync(ref, ['log'], { cwd: mnt, input: '' });
    t.equal(ours.stderr.toString(), theirs.stderr.toString(), 'same as runit');
  }
  spawnSync('mount', ['-o', 'remount,rw', mnt]);
  // (a file open for writing makes remount,ro fail with EBUSY, so "read-only while
  // running" cannot be produced this way; the full-disk tests cover pause and retry)
});

t.test('in-process engine: a stuck dir stops the reading (bounded memory), then catches up', { skip }, async (t) => {
  // room for everything the engine may hold once the filler is gone
  const mnt = tinyFs(t, '8m');
  fs.mkdirSync(path.join(mnt, 'log'));
  const [rd, wr] = native.pipe({ nonblockWrite: true });
  const messages: string[] = [];
  const engine = new LogEngine({ dirs: ['log'], options: { cwd: mnt, pauseMs: 200 }, input: rd });
  engine.on('message', (k: string, m: string) => messages.push(`${k}: ${m}`));
  t.teardown(() => {
    void engine.destroy();
    try {
      fs.closeSync(wr);
    } catch {
      // closed
    }
  });
  t.ok(await engine.start());
  fill(path.join(mnt, 'filler'));
  // write (non-blocking) until the pipe is full: the engine must stop reading
  const line = Buffer.from('x'.repeat(99) + '\n');
  let written = 0;
  let full = false;
  const deadline = Date.now() + 30000;
  while (!full && Date.now() < deadline) {
    try {
      written += fs.writeSync(wr, line);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      // give the engine a chance to read more, then check again
      await new Promise((res) => setTimeout(res, 50));
      try {
        written += fs.writeSync(wr, line);
      } catch {
        full = true;
      }
    }
  }
  t.ok(full, 'the writer is blocked: back-pressure reached the pipe');
  t.ok(written < 4 * 1024 * 1024, `the engine holds a bounded amount (${written} bytes accepted)`);
  t.ok(messages.some((m) => m === 'pausing: unable to write to current: log: out of disk space'), 'pausing reported as an event');
  fs.unlinkSync(path.join(mnt, 'filler'));
  fs.closeSync(wr);
  t.equal(await engine.done, 0);
  const total = fs
    .readdirSync(path.join(mnt, 'log'))
    .filter((f) => f === 'current' || f.startsWith('@'))
    .reduce((n, f) => n + fs.statSync(path.join(mnt, 'log', f)).size, 0);
  t.equal(total, written, 'every accepted byte reached the log');
});
