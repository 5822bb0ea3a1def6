// svlog on real log folders: the whole history against `cat @* current |
// tai64nlocal`, -n against `tail -n`, time ranges against a line-by-line model,
// files that must not be read, service resolution, errors and exit codes.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';
import { formatLabel } from '../../lib/tai64';

const TZ = 'Europe/Berlin';

function svlog(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(ourBin('svlog'), args, { env: { ...process.env, TZ, ...env }, timeout: 60000, maxBuffer: 1 << 28 });
  return { out: r.stdout, err: r.stderr.toString(), code: r.status };
}

function history(dir: string): Buffer {
  const names = readdirSync(dir)
    .filter((n) => /^@[0-9a-f]{24}\.[su]$/.test(n))
    .sort();
  return Buffer.concat([...names, 'current'].map((n) => readFileSync(path.join(dir, n))));
}

function tailLines(buf: Buffer, n: number): Buffer {
  const r = spawnSync('tail', ['-n', String(n)], { input: buf, maxBuffer: 1 << 28 });
  return r.stdout;
}

t.test('whole history and -n, as cat | tai64nlocal | tail', referenceSkip('svlogd', 'tai64nlocal'), async (t) => {
  const base = tempDir(t);
  const dir = path.join(base, 'log');
  mkdirSync(dir);
  // s300 < the line length: svlogd cuts lines at exactly 300 bytes, across files
  writeFileSync(path.join(dir, 'config'), 's300\nn0\n');
  const input = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}\n`).join('') + 'with @ inside\n@notalabel\n\n';
  const r = spawnSync(referenceBin('svlogd') as string, ['-t', dir], { input, timeout: 30000 });
  t.equal(r.status, 0);
  const files = readdirSync(dir).filter((n) => n.startsWith('@'));
  t.ok(files.length > 20, `many rotated files (${files.length})`);
  const all = history(dir);
  const conv = spawnSync(referenceBin('tai64nlocal') as string, [], { input: all, env: { ...process.env, TZ } }).stdout;

  const whole = svlog([dir]);
  t.equal(whole.code, 0);
  t.ok(whole.out.equals(conv), 'svlog DIR = cat @* current | tai64nlocal');
  t.ok(svlog(['--raw', dir]).out.equals(all), '--raw = cat @* current');
  for (const n of [1, 2, 7, 50, 299, 301, 302, 303, 1000]) {
    const got = svlog(['-n', String(n), dir]);
    t.ok(got.out.equals(tailLines(conv, n)), `-n ${n} = tail -n ${n}`);
  }
  t.equal(svlog(['-n', '0', dir]).out.length, 0, '-n 0 shows nothing');

  // a current with a partial last line (svlogd writing it right now)
  writeFileSync(path.join(dir, 'current'), readFileSync(path.join(dir, 'current')).toString() + 'partial');
  const conv2 = spawnSync(referenceBin('tai64nlocal') as string, [], { input: history(dir), env: { ...process.env, TZ } }).stdout;
  t.ok(svlog([dir]).out.equals(conv2), 'a partial last line is shown as it is');
  for (const n of [1, 3]) t.ok(svlog(['-n', String(n), dir]).out.equals(tailLines(conv2, n)), `-n ${n} with a partial last line`);
});

t.test('-n reads only the end of the history', async (t) => {
  const dir = tempDir(t);
  const stamp = (sec: number) => formatLabel({ sec, nsec: 500 });
  const t0 = 1795000000;
  // the oldest "file" is a directory: reading it fails, so it must not be read
  mkdirSync(path.join(dir, `${stamp(t0)}.s`));
  // (the line before the wanted ones is looked at: only the end of this file is read)
  writeFileSync(path.join(dir, `${stamp(t0 + 40)}.s`), `${stamp(t0 + 30)} z\n`.repeat(100000));
  writeFileSync(path.join(dir, `${stamp(t0 + 100)}.s`), `${stamp(t0 + 50)} a\n${stamp(t0 + 60)} b\n`);
  writeFileSync(path.join(dir, 'current'), `${stamp(t0 + 150)} c\n${stamp(t0 + 160)} d\n`);
  t.equal(svlog(['--raw', '-n', '4', dir]).out.toString(), `${stamp(t0 + 50)} a\n${stamp(t0 + 60)} b\n${stamp(t0 + 150)} c\n${stamp(t0 + 160)} d\n`);
  const all = svlog([dir]);
  t.equal(all.code, 111, 'the whole history does read it');
  t.equal(all.err, `svlog: fatal: unable to read: ${dir}/${stamp(t0)}.s: is a directory\n`);
  t.equal(all.out.length, 0);
  const since = svlog(['--raw', '--since', `@${Buffer.from(stamp(t0 + 55).slice(1), 'hex').toString('hex')}`, dir]);
  t.equal(since.code, 0, '--since skips files that end before it');
  t.equal(since.out.toString(), `${stamp(t0 + 60)} b\n${stamp(t0 + 150)} c\n${stamp(t0 + 160)} d\n`);
});

// a model of the time filter, line by line over the whole history
function modelFilter(all: Buffer, since: number | undefined, until: number | undefined): string[] {
  const lines = all.toString('latin1').split(/(?<=\n)/);
  let keep = since === undefined;
  const out: string[] = [];
  for (const l of lines) {
    let ms: number | null = null;
    const lab = /^@([0-9a-f]{16})([0-9a-f]{8})/.exec(l);
    const iso = /^(\d{4})-(\d\d)-(\d\d)[_T](\d\d):(\d\d):(\d\d)\.(\d{5})/.exec(l);
    if (lab) ms = Number(BigInt('0x' + lab[1]) - (1n << 62n) - 10n) * 1000 + parseInt(lab[2], 16) / 1e6;
    else if (iso) ms = Date.UTC(+iso[1], +iso[2] - 1, +iso[3], +iso[4], +iso[5], +iso[6]) + Number(iso[7]) / 100;
    if (ms !== null) keep = (since === undefined || ms >= since) && (until === undefined || ms <= until);
    if (keep) out.push(l);
  }
  return out;
}

t.test('--since / --until', async (t) => {
  const dir = tempDir(t);
  const t0 = 1795000000; // unix seconds
  const lab = (s: number) => formatLabel({ sec: s, nsec: 123456500 });
  const iso = (s: number, sep: string) => new Date(s * 1000).toISOString().replace('T', sep).slice(0, 19) + '.12345';
  let clock = t0;
  const line = (i: number) => {
    clock += 10;
    const kind = i % 3;
    const s = kind === 0 ? lab(clock) : kind === 1 ? iso(clock, '_') : iso(clock, 'T');
    return `${s} line ${i}\n` + (i % 4 === 0 ? `  continuation of ${i}\n` : '');
  };
  const files: [string, string][] = [];
  let body = 'unstamped start\n';
  for (let i = 0; i < 40; i++) {
    body += line(i);
    if (i % 10 === 9) {
      clock += 1;
      files.push([`${lab(clock)}.s`, body]);
      body = '';
    }
  }
  files.push(['current', body + 'unstamped end\n']);
  for (const [name, b] of files) writeFileSync(path.join(dir, name), b);
  const all = history(dir);
  const cases: [string[], number | undefined, number | undefined][] = [];
  for (const a of [t0, t0 + 55, t0 + 101, t0 + 250, t0 + 401, t0 + 1000]) {
    const ms = (s: number) => s * 1000 + 123.4565;
    cases.push([['--since', lab(a)], ms(a), undefined]);
    cases.push([['--until', lab(a)], undefined, ms(a)]);
    for (const b of [t0 + 120, t0 + 300]) if (b > a) cases.push([['--since', lab(a), '--until', lab(b)], ms(a), ms(b)]);
  }
  const tz = { TZ: 'UTC' };
  const localText = (s: number) => new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19);
  cases.push([['--since', localText(t0 + 200), '--until', localText(t0 + 260).replace(' ', 'T')], (t0 + 200) * 1000, (t0 + 260) * 1000]);
  for (const [args, since, until] of cases) {
    const want = modelFilter(all, since, until);
    const got = svlog(['--raw', ...args, dir], tz);
    t.equal(got.code, 0);
    t.equal(got.out.toString('latin1'), want.join(''), args.join(' '));
    for (const n of [1, 3, 8]) {
      const gotN = svlog(['--raw', '-n', String(n), ...args, dir], tz);
      t.equal(gotN.out.toString('latin1'), want.slice(-n).join(''), `-n ${n} ${args.join(' ')}`);
    }
  }
  // relative times against lines stamped now
  const now = Math.floor(Date.now() / 1000);
  const rel = tempDir(t);
  writeFileSync(path.join(rel, 'current'), `${lab(now - 7200)} old\n${lab(now - 1800)} recent\n${lab(now - 30)} newest\n`);
  t.equal(svlog(['--raw', '--since', '-1h', rel]).out.toString(), `${lab(now - 1800)} recent\n${lab(now - 30)} newest\n`);
  t.equal(svlog(['--raw', '--until', '-10m', rel]).out.toString(), `${lab(now - 7200)} old\n${lab(now - 1800)} recent\n`);

  // files wholly outside the range are not read: make them unreadable directories
  for (const [name] of files.slice(0, 2)) {
    rmSync(path.join(dir, name));
    mkdirSync(path.join(dir, name));
  }
  const late = svlog(['--raw', '--since', lab(t0 + 250), dir], tz);
  t.equal(late.code, 0, 'earlier files skipped by name');
  t.equal(late.out.toString('latin1'), modelFilter(all, (t0 + 250) * 1000 + 123.4565, undefined).join(''));
  const early = svlog(['--raw', '--until', lab(t0 + 20), tempCopyWithDirsAfter(t, dir, files)], tz);
  t.equal(early.code, 0, 'later files skipped by name');
  t.equal(early.out.toString('latin1'), modelFilter(all, undefined, (t0 + 20) * 1000 + 123.4565).join(''));
});

/** A copy of the folder whose files after the first rotation are unreadable directories. */
function tempCopyWithDirsAfter(t: Parameters<typeof tempDir>[0], _dir: string, files: [string, string][]): string {
  const d = tempDir(t);
  files.forEach(([name, body], i) => {
    if (i === 0) writeFileSync(path.join(d, name), body);
    else mkdirSync(path.join(d, name));
  });
  return d;
}

t.test('services, several folders, errors', async (t) => {
  const root = tempDir(t);
  const svdir = path.join(root, 'service');
  const lab = formatLabel({ sec: 1795000000, nsec: 500 });
  mkdirSync(path.join(svdir, 'web', 'log', 'main'), { recursive: true });
  writeFileSync(path.join(svdir, 'web', 'log', 'run'), '#!/bin/sh\nexec chpst -u log svlogd -tt ./main\n');
  writeFileSync(path.join(svdir, 'web', 'log', 'main', 'current'), `${lab} web 1\nweb 2\n`);
  mkdirSync(path.join(svdir, 'db', 'log'), { recursive: true });
  mkdirSync(path.join(root, 'var', 'db'), { recursive: true });
  writeFileSync(path.join(svdir, 'db', 'log', 'run'), '#!/bin/sh\nexec svlogd -t ../../../var/db\n');
  writeFileSync(path.join(root, 'var', 'db', 'current'), 'db 1\n');
  const env = { SVDIR: svdir, TZ: 'UTC' };
  const utc = new Date(1795000000 * 1000).toISOString().replace('T', ' ').slice(0, 19);
  t.equal(svlog(['web'], env).out.toString(), `${utc}.000000500 web 1\nweb 2\n`);
  t.equal(
    svlog(['--raw', 'web', 'db'], env).out.toString(),
    `==> ${svdir}/web/log/main <==\n${lab} web 1\nweb 2\n\n==> ${root}/var/db <==\ndb 1\n`,
    'tail-style headers',
  );
  t.equal(svlog(['-n', '1', 'db'], env).out.toString(), 'db 1\n');

  const missing = svlog(['nosuch'], env);
  t.equal(missing.code, 111);
  t.equal(missing.err, 'svlog: fatal: unable to open log directory: nosuch: file does not exist\n');
  mkdirSync(path.join(svdir, 'nolog'));
  const nolog = svlog(['nolog'], env);
  t.equal(nolog.code, 111);
  t.equal(nolog.err, 'svlog: fatal: unable to find log directory: nolog\n');
  const usage = 'usage: svlog [-f] [-n N] [--since TIME] [--until TIME] [--raw] service|logdir ...\n\n';
  t.same(svlog([], env), { out: Buffer.alloc(0), err: usage, code: 100 });
  const bad = svlog(['-x', 'web'], env);
  t.equal(bad.code, 100);
  t.equal(bad.err, 'svlog: illegal option -- x\n' + usage);
  const badTime = svlog(['--since', 'tomorrow', 'web'], env);
  t.equal(badTime.code, 100);
  t.equal(badTime.err, 'svlog: fatal: invalid time: tomorrow\n' + usage);
  const help = svlog(['--help']);
  t.equal(help.code, 0);
  t.equal(help.out.toString(), usage.slice(0, -1));
  // a reader that goes away early is not an error
  const big = tempDir(t);
  writeFileSync(path.join(big, 'current'), `${lab} x\n`.repeat(200000));
  const head = spawnSync('sh', ['-c', `"$1" "$2" | head -n 1`, 'sh', ourBin('svlog'), big], { env: { ...process.env, TZ: 'UTC' }, timeout: 60000 });
  t.equal(head.stdout.toString(), `${utc}.000000500 x\n`);
  t.equal(head.stderr.toString(), '');
});

t.test('-n across chunk and file boundaries of a larger history', async (t) => {
  const dir = tempDir(t);
  const lab = (s: number) => formatLabel({ sec: s, nsec: 500 });
  let n = 0;
  const body = (lines: number) => {
    let s = '';
    for (let i = 0; i < lines; i++, n++) s += `${n % 5 === 0 ? 'unstamped ' : lab(1795000000 + n) + ' '}${n} ${'y'.repeat(n % 301)}\n`;
    return s;
  };
  writeFileSync(path.join(dir, `${lab(1795100000)}.s`), body(9000));
  writeFileSync(path.join(dir, `${lab(1795200000)}.s`), body(3));
  writeFileSync(path.join(dir, 'current'), body(9000) + 'no newline at the end');
  const all = history(dir);
  t.ok(all.length > 2 * 1024 * 1024, 'larger than a few read chunks');
  for (const k of [1, 2, 9000, 9003, 9004, 15000, 18004, 30000]) {
    t.ok(svlog(['--raw', '-n', String(k), dir]).out.equals(tailLines(all, k)), `-n ${k}`);
  }
  const since = (1795000000 + 12000) * 1000;
  const want = modelFilter(all, since, undefined);
  for (const k of [1, 7, 4000]) {
    t.equal(svlog(['--raw', '-n', String(k), '--since', lab(1795000000 + 12000), dir]).out.toString('latin1'), want.slice(-k).join(''), `-n ${k} --since`);
  }
});
