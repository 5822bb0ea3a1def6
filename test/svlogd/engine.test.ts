// The engine as the daemon will use it: in-process, several at once, on pipe fds,
// driven by methods instead of signals.
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { waitFor, tempDir } from '../helpers/proc';
import { LogEngine } from '../../lib/svlogd';
import * as native from '../../lib/native';

const read = (f: string): string => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

t.test('several engines at once, each with its own pipe, dirs and options', async (t) => {
  const base = tempDir(t);
  const engines: { engine: LogEngine; wr: number; dir: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = path.join(base, `svc${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config'), `s200\nn3\np${i}:\n`);
    const [rd, wr] = native.pipe();
    const engine = new LogEngine({ dirs: [dir], options: { timestamp: i % 2 ? 2 : 0, lineMax: 50 }, input: rd });
    t.ok(await engine.start(), `engine ${i} started`);
    engines.push({ engine, wr, dir });
  }
  for (let round = 0; round < 50; round++)
    for (const [i, e] of engines.entries()) fs.writeSync(e.wr, `service ${i} line ${round}\n`);
  for (const e of engines) fs.closeSync(e.wr);
  const codes = await Promise.all(engines.map((e) => e.engine.done));
  t.same(codes, [0, 0, 0, 0, 0]);
  for (const [i, e] of engines.entries()) {
    const files = fs.readdirSync(e.dir).filter((f) => f.startsWith('@')).sort();
    t.equal(files.length, 3, `svc${i}: pruned to n3`);
    const text = [...files, 'current'].map((f) => read(path.join(e.dir, f))).join('');
    const got = text.split('\n').filter(Boolean);
    const last = got[got.length - 1];
    t.equal(i % 2 ? last.slice(26) : last, `${i}:service ${i} line 49`, `svc${i}: last line, own prefix`);
    for (const l of got) t.match(l, i % 2 ? /^\d{4}-\d\d-\d\d_\S+ \d:service \d line \d+$/ : /^\d:service \d line \d+$/);
    if (got.some((l) => !l.includes(`service ${i} `))) t.fail(`svc${i} got another service's line`);
  }
});

t.test('reopen(), rotate(), stop() stand for HUP, ALRM, TERM', async (t) => {
  const base = tempDir(t);
  const dir = path.join(base, 'log');
  fs.mkdirSync(dir);
  const input = new PassThrough();
  const messages: string[] = [];
  const engine = new LogEngine({ dirs: ['log'], options: { cwd: base, verbose: true }, input });
  engine.on('message', (k: string, m: string) => messages.push(`${k}: ${m}`));
  t.ok(await engine.start());
  input.write('one\n');
  await waitFor(() => read(path.join(dir, 'current')) === 'one\n', 'one');
  engine.rotate();
  await waitFor(() => fs.readdirSync(dir).some((f) => f.endsWith('.s')), 'rotated');
  fs.writeFileSync(path.join(dir, 'config'), 'pNEW:\n');
  engine.reopen();
  await waitFor(() => messages.includes('info: read: log/config'), 'config re-read');
  input.write('two\n');
  await waitFor(() => read(path.join(dir, 'current')) === 'NEW:two\n', 'prefix after reopen');
  engine.stop();
  t.equal(await engine.done, 0);
  t.equal(fs.statSync(path.join(dir, 'current')).mode & 0o777, 0o744);
  t.ok(messages.includes('info: close: log'));
});

t.test('no functional directory: done resolves 111 with a fatal event', async (t) => {
  const base = tempDir(t);
  const messages: string[] = [];
  const engine = new LogEngine({ dirs: ['missing'], options: { cwd: base }, input: new PassThrough() });
  engine.on('message', (k: string, m: string) => messages.push(`${k}: ${m}`));
  t.equal(await engine.start(), false);
  t.equal(await engine.done, 111);
  t.same(messages, ['warning: unable to open log directory: missing: file does not exist', 'fatal: no functional log directories.']);
});

t.test('stale stderr selection after the patterns are removed (runit quirk)', async (t) => {
  const base = tempDir(t);
  const dir = path.join(base, 'log');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config'), 'e*\n');
  const err: string[] = [];
  const input = new PassThrough();
  const stderr = { write: (b: Buffer) => err.push(b.toString()) };
  const engine = new LogEngine({ dirs: ['log'], options: { cwd: base, verbose: true, stderr }, input });
  const msgs: string[] = [];
  engine.on('message', (_k: string, m: string) => msgs.push(m));
  t.ok(await engine.start());
  input.write('a\n');
  await waitFor(() => err.length === 1, 'first stderr line');
  fs.writeFileSync(path.join(dir, 'config'), '');
  engine.reopen();
  await waitFor(() => msgs.filter((m) => m === 'read: log/config').length === 2, 'reopened');
  input.write('b\n');
  await waitFor(() => err.length === 2, 'still copied to stderr');
  t.same(err, ['a\n', 'b\n']);
  input.end();
  t.equal(await engine.done, 0);
});
