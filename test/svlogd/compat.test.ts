// Side by side: the same input and config through runit's svlogd and ours; the log
// folders (file set, name patterns, contents without timestamps, modes) and stderr
// must match.
import t, { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

const STAMP_RE = /^(@[0-9a-f]{24}|\d{4}-\d\d-\d\d[_T]\d\d:\d\d:\d\d\.\d{5}) /gm;
const LABEL_RE = /@[0-9a-f]{24}/g;

function normalize(text: string): string {
  return text.replace(STAMP_RE, '<T> ').replace(LABEL_RE, '@<L>');
}

/** The folder as comparable text: sorted names (labels masked), modes, stamp-free contents. */
function snapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((f) => {
      const st = statSync(path.join(dir, f));
      const body = readFileSync(path.join(dir, f)).toString('latin1');
      return `${f.replace(/^@[0-9a-f]{24}/, '@<L>')} ${(st.mode & 0o7777).toString(8)} ${JSON.stringify(normalize(body))}`;
    });
}

interface Case {
  name: string;
  config?: string;
  args: string[];
  input: Buffer | string;
  /** run in the log dir before starting */
  setup?: (dir: string) => void;
  /** also check the stamps' shape */
  stamps?: RegExp;
}

function runBoth(t: Test, c: Case): void {
  const base = tempDir(t);
  const results: { snap: string[]; err: string; code: number | null; raw: string }[] = [];
  for (const [side, bin] of [['ref', referenceBin('svlogd') as string], ['our', ourBin('svlogd')]]) {
    const cwd = path.join(base, side);
    const dir = path.join(cwd, 'log');
    mkdirSync(dir, { recursive: true });
    if (c.config !== undefined) writeFileSync(path.join(dir, 'config'), c.config);
    c.setup?.(dir);
    const r = spawnSync(bin, [...c.args, 'log'], { cwd, input: c.input, timeout: 30000 });
    results.push({
      snap: snapshot(dir),
      err: normalize(r.stderr.toString('latin1')),
      code: r.status,
      raw: readFileSync(path.join(dir, 'current'), 'latin1'),
    });
  }
  const [ref, our] = results;
  t.equal(our.code, ref.code, `${c.name}: exit code`);
  t.same(our.snap, ref.snap, `${c.name}: log folder`);
  t.equal(our.err, ref.err, `${c.name}: stderr`);
  if (c.stamps) t.match(our.raw, c.stamps, `${c.name}: stamp format`);
}

const lines = (n: number, fmt = (i: number) => `line number ${i} padding`): string =>
  Array.from({ length: n }, (_, i) => fmt(i + 1) + '\n').join('');

const cases: Case[] = [
  { name: 'plain', args: [], input: 'a\nb\n\nc\n' },
  { name: '-t', args: ['-t'], input: lines(5), stamps: /^@[0-9a-f]{24} line number 1 padding\n/ },
  { name: '-tt', args: ['-tt'], input: lines(5), stamps: /^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} line/ },
  { name: '-ttt', args: ['-ttt'], input: lines(5), stamps: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{5} line/ },
  { name: 's100 n3 (worked example)', config: 's100\nn3\n', args: ['-v'], input: lines(30) },
  { name: 's100 with -l 20: soft rotation', config: 's100\n', args: ['-l', '20', '-tt'], input: lines(40) },
  { name: 's10k n5 -ttt', config: 's10k\nn5\n', args: ['-ttt'], input: lines(3000, (i) => `${i} some padding text for the line`) },
  { name: 'n0 keeps everything', config: 's2000\nn0\n', args: [], input: lines(400) },
  {
    name: 'patterns, prefix, stderr selection',
    config: '-*\n+*error*\n+warn*\ne*fatal*\nE*fatal: ignore*\npPFX:\n',
    args: ['-tt'],
    input: 'info: hello\nsome error here\nwarning: x\nwarn\nfatal: disk\nx fatal: ignore me\nfatal: ignore me\nerror\n',
  },
  { name: '-r and -R replacement', args: ['-r', '#', '-R', ':'], input: Buffer.from('a\tb\x01c d:e\xc3\xa9\n\x00\x01\xffx\n', 'latin1') },
  { name: '-R alone', args: ['-R', ':x'], input: Buffer.from('a:b x\x7f\n', 'latin1') },
  { name: 'binary input passes unchanged', args: [], input: Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)) },
  {
    name: 'long lines with -l 10 (stderr truncated, file whole)',
    config: 'e*\n',
    args: ['-l', '10', '-tt'],
    input: 'short\n0123456789\n0123456789abcdefghijklmnopqrstuvwxyz0123\nlast without newline',
  },
  { name: 'final line without newline is dropped', args: [], input: 'y\nz' },
  { name: 'final long line without newline is ended', args: ['-l', '10'], input: 'short\nlong last line without newline' },
  { name: 'line longer than the read buffer', config: 's3000\n', args: ['-l', '100', '-b', '200'], input: 'x'.repeat(5000) + '\nnext\n' },
  { name: 'U with a bad address drops everything', config: 'Ufoo\n', args: [], input: lines(3) },
  {
    name: 'crashed current becomes .u',
    config: 'n2',
    args: ['-v'],
    input: lines(3),
    setup: (d) => {
      writeFileSync(path.join(d, 'current'), 'crashed\n');
      chmodSync(path.join(d, 'current'), 0o644);
    },
  },
  {
    name: 'cleanly closed current is appended to',
    args: ['-v'],
    input: lines(3),
    setup: (d) => {
      writeFileSync(path.join(d, 'current'), 'clean\n');
      chmodSync(path.join(d, 'current'), 0o744);
    },
  },
  {
    name: 'processor: .u -> .s through the processor, state via fds 4/5',
    config: 's100\n!cat <&4 >&5; echo run >&5; tr a-z A-Z\n',
    args: [],
    input: lines(20),
  },
  { name: 'bad u/U lines warn', config: 'u127.0.0.1:0\nu1.2.3\nu127.0.0.1:abc\n', args: [], input: 'x\n' },
];

t.test('same folder as runit svlogd', referenceSkip('svlogd'), async (t) => {
  for (const c of cases) await t.test(c.name, async (t) => runBoth(t, c));
});

t.test('-t output is readable by tai64nlocal', referenceSkip('tai64nlocal'), async (t) => {
  const base = tempDir(t);
  mkdirSync(path.join(base, 'log'));
  const before = Date.now();
  const r = spawnSync(ourBin('svlogd'), ['-t', 'log'], { cwd: base, input: 'hello\n' });
  const after = Date.now();
  t.equal(r.status, 0);
  const cur = readFileSync(path.join(base, 'log', 'current'));
  const local = spawnSync(referenceBin('tai64nlocal') as string, [], { input: cur, env: { TZ: 'UTC' } });
  const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}) hello\n$/.exec(local.stdout.toString());
  t.ok(m, `decoded: ${local.stdout.toString()}`);
  if (m) {
    const when = Date.parse(m[1].replace(' ', 'T').slice(0, 23) + 'Z');
    // within the run (a loaded machine may take seconds to start a svlogd)
    t.ok(when >= before - 1000 && when <= after + 1000, `the decoded time is now (${when - before} ms after the start, the run took ${after - before} ms)`);
    t.match(m[1], /500$/, 'nanoseconds end in 500 as runit writes them');
  }
});

t.test('usage and startup errors match runit', referenceSkip('svlogd'), async (t) => {
  const base = tempDir(t);
  writeFileSync(path.join(base, 'afile'), '');
  const variants: string[][] = [[], ['-x', 'd'], ['-l'], ['-l', '2000', 'd'], ['-r', 'ab', 'd'], ['-V', 'd'], ['nonexist'], ['afile'], ['nonexist', 'afile']];
  for (const args of variants) {
    const ref = referenceBin('svlogd') as string;
    const a = spawnSync(ref, args, { cwd: base, input: '' });
    const b = spawnSync(ourBin('svlogd'), args, { cwd: base, input: '' });
    t.equal(b.status, a.status, `exit code for ${JSON.stringify(args)}`);
    t.equal(b.stderr.toString().split(ourBin('svlogd')).join('SVLOGD'), a.stderr.toString().split(ref).join('SVLOGD'), `stderr for ${JSON.stringify(args)}`);
  }
});
