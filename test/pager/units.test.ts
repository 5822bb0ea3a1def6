// Pure pieces of the pager: line stamps, time arguments, option parsing, finding
// the svlogd directories in a log/run script, and argument resolution on folders.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { Tai64nLocalStream, convertLine, labelDigitsText } from '../../lib/pager/label';
import { parseSvlogArgs } from '../../lib/pager/options';
import { resolveLogDirs, svlogdDirsOfRun } from '../../lib/pager/resolve';
import { isoStampMs, labelTimeMs, lineTimeMs, parseTimeArg } from '../../lib/pager/stamps';
import { formatLabel } from '../../lib/tai64';

t.test('line stamps', async (t) => {
  const label = formatLabel({ sec: 1795311541, nsec: 126698500 });
  t.equal(labelTimeMs(Buffer.from(label + ' x')), 1795311541126.6985);
  t.equal(lineTimeMs(Buffer.from(label + ' x')), 1795311541126.6985);
  t.equal(lineTimeMs(Buffer.from('2026-11-22_01:39:00.91878 hello')), Date.UTC(2026, 10, 22, 1, 39, 0) + 918.78);
  t.equal(lineTimeMs(Buffer.from('2026-11-22T01:39:01.12823 b')), Date.UTC(2026, 10, 22, 1, 39, 1) + 128.23);
  t.equal(isoStampMs(Buffer.from('2026-11-22 01:39:01.12823 b')), null, 'a space is not an svlogd separator');
  t.equal(lineTimeMs(Buffer.from('@400000006b0247bf078d440 short')), null);
  t.equal(lineTimeMs(Buffer.from('@400000006B0247bf078d4404 upper')), null, 'svlogd writes lowercase');
  t.equal(lineTimeMs(Buffer.from('plain line')), null);
  t.equal(lineTimeMs(Buffer.from('')), null);
});

t.test('time arguments', async (t) => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  t.equal(parseTimeArg('-10m', now), now - 600000);
  t.equal(parseTimeArg('-2h', now), now - 7200000);
  t.equal(parseTimeArg('-1d', now), now - 86400000);
  t.equal(parseTimeArg('-30s', now), now - 30000);
  t.equal(parseTimeArg('now', now), now);
  t.equal(parseTimeArg('2026-11-22 10:00', now), new Date(2026, 10, 22, 10, 0).getTime());
  t.equal(parseTimeArg('2026-11-22T10:00:00', now), new Date(2026, 10, 22, 10, 0, 0).getTime());
  t.equal(parseTimeArg('2026-11-22T10:00:05.25', now), new Date(2026, 10, 22, 10, 0, 5).getTime() + 250);
  t.equal(parseTimeArg('2026-11-22', now), new Date(2026, 10, 22).getTime());
  t.equal(parseTimeArg('2026-11-22T10:00:00Z', now), Date.UTC(2026, 10, 22, 10));
  t.equal(parseTimeArg('@400000006b0247bf078d4404', now), labelTimeMs(Buffer.from('@400000006b0247bf078d4404')));
  for (const bad of ['yesterday', '10m', '-10x', '2026-02-31', '2026-13-01', '2026-11-22 25:00', '']) {
    t.equal(parseTimeArg(bad, now), null, `refuses ${JSON.stringify(bad)}`);
  }
});

t.test('options', async (t) => {
  const now = 1e12;
  const ok = (argv: string[]) => {
    const r = parseSvlogArgs(argv, now);
    if (r.kind !== 'ok') throw new Error(`not ok: ${JSON.stringify(r)}`);
    return r.args;
  };
  t.same(ok(['x']), { follow: false, lines: null, range: {}, raw: false, targets: ['x'] });
  t.equal(ok(['-f', 'x']).lines, 10, '-f starts with 10 lines like tail');
  t.equal(ok(['-f', '--since', '-1h', 'x']).lines, null, 'a time range replaces the default');
  t.same(ok(['-fn20', 'x', 'y']), { follow: true, lines: 20, range: {}, raw: false, targets: ['x', 'y'] });
  t.equal(ok(['-n', '0', 'x']).lines, 0);
  t.equal(ok(['x', '--lines=7']).lines, 7, 'options after operands');
  t.same(ok(['--raw', '--since=-1m', '--until', 'now', 'x']).range, { sinceMs: now - 60000, untilMs: now });
  t.same(ok(['--', '-f']).targets, ['-f']);
  t.same(parseSvlogArgs([], now), { kind: 'usage', message: '' });
  t.same(parseSvlogArgs(['-x', 'a'], now), { kind: 'usage', message: 'svlog: illegal option -- x\n' });
  t.same(parseSvlogArgs(['--bogus', 'a'], now), { kind: 'usage', message: 'svlog: illegal option -- --bogus\n' });
  t.same(parseSvlogArgs(['-n', 'ten', 'a'], now), { kind: 'usage', message: 'svlog: fatal: invalid number of lines: ten\n' });
  t.same(parseSvlogArgs(['a', '-n'], now), { kind: 'usage', message: 'svlog: option requires an argument -- n\n' });
  t.same(parseSvlogArgs(['--since', 'soon', 'a'], now), { kind: 'usage', message: 'svlog: fatal: invalid time: soon\n' });
  t.same(parseSvlogArgs(['--help'], now), { kind: 'help' });
});

t.test('svlogd directories of log/run', async (t) => {
  t.same(svlogdDirsOfRun('#!/bin/sh\nexec svlogd -tt ./main\n'), ['./main']);
  t.same(svlogdDirsOfRun('#!/bin/sh\nexec chpst -ulog svlogd -t main /var/log/x\n'), ['main', '/var/log/x']);
  t.same(svlogdDirsOfRun('#!/bin/sh\n# comment\nexec 2>&1\nexec /usr/bin/chpst -u log:adm /usr/bin/svlogd -l 200 -b 4096 -r _ "/var/log/my svc" 2>&1\n'), [
    '/var/log/my svc',
  ]);
  t.same(svlogdDirsOfRun('#!/bin/sh\nexec svlogd -tl200 -- -odd\n'), ['-odd']);
  t.same(svlogdDirsOfRun('#!/bin/sh\nexec setuidgid log svlogd -tt main # the log\n'), ['main']);
  t.equal(svlogdDirsOfRun('#!/bin/sh\nexec svlogd -tt "$LOGDIR"\n'), null, 'shell expansion');
  t.equal(svlogdDirsOfRun('#!/bin/sh\nexec svlogd -tt /var/log/*\n'), null, 'glob');
  t.equal(svlogdDirsOfRun('#!/bin/sh\nexec multilog t ./main\n'), null, 'not svlogd');
  t.equal(svlogdDirsOfRun('#!/bin/sh\nexec svlogd -tt\n'), null, 'no directory');
  t.equal(svlogdDirsOfRun('#!/bin/sh\nsvlogd -tt main\n'), null, 'not exec');
});

t.test('resolving arguments', async (t) => {
  const root = tempDir(t);
  const svdir = path.join(root, 'service');
  const mk = (p: string, files: Record<string, string> = {}) => {
    mkdirSync(path.join(root, p), { recursive: true });
    for (const [f, body] of Object.entries(files)) writeFileSync(path.join(root, p, f), body);
  };
  mk('service/a/log/main', { current: '' });
  mk('service/a/log', { run: '#!/bin/sh\nexec svlogd -tt /elsewhere\n' });
  mk('service/b/log', { run: '#!/bin/sh\nexec chpst -u log svlogd -tt ./one ../../../logs/b\n' });
  mk('service/c', { run: '#!/bin/sh\nexec sleep 1\n' });
  mk('service/d/log', { run: '#!/bin/sh\nexec svlogd "$X"\n', current: 'x\n' });
  mk('plainlog', { current: 'x\n' });
  mk('rotatedonly', { '@400000006b0247bf078d4404.s': 'x\n' });
  mk('empty');
  writeFileSync(path.join(root, 'afile'), '');
  t.same(resolveLogDirs('a', svdir, root), [path.join(svdir, 'a/log/main')], 'log/main first');
  t.same(resolveLogDirs('b', svdir, root), [path.join(svdir, 'b/log/one'), path.join(root, 'logs/b')], 'log/run dirs, relative to log/');
  t.same(resolveLogDirs('./service/b/', svdir, root), resolveLogDirs('b', svdir, root), 'a path is not looked up in SVDIR');
  t.same(resolveLogDirs('./service/a/log', svdir, root), [path.join(svdir, 'a/log/main')], 'the log service itself');
  t.same(resolveLogDirs('./service/d/log', svdir, root), [path.join(svdir, 'd/log')], 'unparsable run but a current: the folder itself');
  t.same(resolveLogDirs('./plainlog', svdir, root), [path.join(root, 'plainlog')]);
  t.same(resolveLogDirs(path.join(root, 'rotatedonly'), svdir, root), [path.join(root, 'rotatedonly')]);
  t.throws(() => resolveLogDirs('c', svdir, root), { message: 'unable to find log directory: c' });
  t.throws(() => resolveLogDirs('./empty', svdir, root), { message: 'unable to find log directory: ./empty' });
  t.throws(() => resolveLogDirs('nosuch', svdir, root), { message: 'unable to open log directory: nosuch: file does not exist' });
  t.throws(() => resolveLogDirs('./afile', svdir, root), { message: 'unable to open log directory: ./afile: not a directory' });
});

t.test('label conversion pieces', async (t) => {
  const prev = process.env.TZ;
  process.env.TZ = 'UTC';
  t.teardown(() => {
    if (prev === undefined) delete process.env.TZ;
    else process.env.TZ = prev;
  });
  t.equal(labelDigitsText('400000006b0247bf078d4404'), '2026-11-22 01:39:01.126698500');
  t.equal(labelDigitsText('4000000000000000ffffffff'), '1969-12-31 23:59:50.4294967295', '10-digit nanoseconds');
  t.equal(labelDigitsText('4000'), null, 'out of localtime range (tai64nlocal crashes there)');
  t.equal(convertLine(Buffer.from('@400000006b0247bf078d4404 a\n')).toString(), '2026-11-22 01:39:01.126698500 a\n');
  t.equal(convertLine(Buffer.from('@4000 a\n')).toString(), '@4000 a\n', 'unrepresentable label passes');
  t.equal(convertLine(Buffer.from('@400000006b0247bf078d4404')).toString(), '@400000006b0247bf078d4404', 'no byte after the label');
  // the stream converter gives the same output however the input is cut
  const input = Buffer.from('@400000006b0247bf078d4404 a\nb @400000006b0247bf078d4404\n@400000006b0247bf078d4404\n\n@x\n@4000 y\n@400000006b0247bf078d4404');
  const whole = new Tai64nLocalStream().push(input);
  t.equal(
    whole.toString(),
    '2026-11-22 01:39:01.126698500 a\nb @400000006b0247bf078d4404\n2026-11-22 01:39:01.126698500\n\n@x\n@4000 y\n',
    'a label still open at end of input is dropped, as tai64nlocal does',
  );
  for (let cut = 1; cut < input.length; cut++) {
    const s = new Tai64nLocalStream();
    const out = Buffer.concat([s.push(input.subarray(0, cut)), s.push(input.subarray(cut))]);
    if (!out.equals(whole)) t.fail(`cut at ${cut}: ${JSON.stringify(out.toString())}`);
  }
});
