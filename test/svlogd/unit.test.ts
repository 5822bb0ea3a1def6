// Pure logic: the matcher, config parsing, timestamp formats, the option parser.
import t from 'tap';
import { parseConfig } from '../../lib/svlogd/config';
import { pmatch } from '../../lib/svlogd/match';
import { formatStamp } from '../../lib/svlogd/stamp';
import { parseArgs, usageText } from '../../lib/svlogd/args';

function m(p: string, line: string): boolean {
  const b = Buffer.from(line);
  return pmatch(Buffer.from(p), b, 0, b.length);
}

t.test('pmatch follows runit, not glob or regex', async (t) => {
  t.equal(m('*error*', 'some error here'), false, 'star stops at the first e');
  t.equal(m('*error*', 'error'), true);
  t.equal(m('warn*', 'warn'), true);
  t.equal(m('warn*', 'warning: x'), true);
  t.equal(m('warn*', 'xwarn'), false);
  t.equal(m('*fatal*', 'fatal: disk'), true);
  t.equal(m('abc', 'abc'), true);
  t.equal(m('abc', 'abcd'), false, 'whole line must be consumed');
  t.equal(m('abc', 'ab'), false);
  t.equal(m('*', ''), true);
  t.equal(m('', ''), true);
  t.equal(m('', 'x'), false);
  t.equal(m('a+b', 'abbb'), true);
  t.equal(m('a+b', 'ab'), true);
  t.equal(m('a+bX', 'abb'), true, 'line exhausted inside the + run matches');
  t.equal(m('a+bc', 'abbc'), true);
  t.equal(m('a+bc', 'ac'), false);
  t.equal(m('a?c', 'abc'), false, '? is literal');
  t.equal(m('a?c', 'a?c'), true);
  // matching a sub-range of a buffer
  const b = Buffer.from('xxwarnyy');
  t.equal(pmatch(Buffer.from('warn'), b, 2, 6), true);
});

t.test('config directives', async (t) => {
  const warnings: string[] = [];
  const c = parseConfig(
    Buffer.from('s2k\nn3\nN1\nt2m\n!gzip\nu127.0.0.1:9999\npPFX \n+a*\n-b*\ne*c\nE*d\n# comment\n x\n'),
    (w) => warnings.push(w),
  );
  t.equal(c.sizeMax, 2048);
  t.equal(c.nMax, 3);
  t.equal(c.nMin, 1);
  t.equal(c.tMax, 120);
  t.equal(c.processor, 'gzip');
  t.same(c.udp, { host: '127.0.0.1', port: 9999 });
  t.equal(c.udpOnly, false);
  t.equal(c.prefix?.toString(), 'PFX ');
  t.same(
    c.patterns.map((p) => String.fromCharCode(p.kind) + p.text.toString()),
    ['+a*', '-b*', 'e*c', 'E*d'],
  );
  t.same(warnings, []);

  t.equal(parseConfig(Buffer.from('s 100\n')).sizeMax, 0, '"s 100" is 0: size rotation off');
  t.equal(parseConfig(Buffer.from('s3m')).sizeMax, 3 * 1048576, 'last line without newline counts');
  t.equal(parseConfig(Buffer.from('t5h\n')).tMax, 18000);
  t.equal(parseConfig(Buffer.from('s1\ns7\n')).sizeMax, 7, 'last one wins');
  t.equal(parseConfig(Buffer.from('!\n')).processor, null, 'bare ! leaves no processor');
  t.equal(parseConfig(Buffer.from('p\n')).prefix, null);
  const d = parseConfig(Buffer.from(''));
  t.same([d.sizeMax, d.nMax, d.nMin, d.tMax], [1000000, 10, 10, 0], 'defaults');

  const w: string[] = [];
  const u = parseConfig(Buffer.from('u127.0.0.1:0\nu1.2.3\nu127.0.0.1:abc\nu1.2.3.4x\n'), (x) => w.push(x));
  t.same(w, ['unable to scan port number: 0', 'unable to scan ip address: 1.2.3', 'unable to scan port number: abc']);
  t.same(u.udp, { host: '1.2.3.4', port: 514 }, 'missing port is 514');
  const bad = parseConfig(Buffer.from('Ufoo\n'), () => {});
  t.equal(bad.udpOnly, true, 'U sets udp-only before the address is parsed');
  t.equal(bad.udp, null);
});

t.test('timestamp formats', async (t) => {
  const out = Buffer.alloc(26);
  // 2026-11-22 01:39:00 UTC, 918789 us
  const sec = Date.UTC(2026, 10, 22, 1, 39, 0) / 1000;
  const tt = { sec, nsec: 918789 * 1000 + 500 };
  formatStamp(2, tt, out);
  t.equal(out.toString(), '2026-11-22_01:39:00.91878 ', '-tt truncates to 5 digits');
  formatStamp(3, tt, out);
  t.equal(out.toString(), '2026-11-22T01:39:00.91878 ');
  formatStamp(1, { sec: 0x6b0247bf - 10, nsec: 126698500 }, out);
  t.equal(out.toString(), '@400000006b0247bf078d4404 ', '-t is the TAI64N label');
  formatStamp(2, { sec: sec + 1, nsec: 500 }, out);
  t.equal(out.toString(), '2026-11-22_01:39:01.00000 ');
});

t.test('option parsing', async (t) => {
  const ok = parseArgs(['-tttt', '-v', '-r', '#', '-R:;', '-l', '20x', '-b', '30', 'a', 'b']);
  t.ok(ok.ok);
  if (ok.ok) {
    t.same(ok.dirs, ['a', 'b']);
    t.equal(ok.options.timestamp, 3, 'more t capped at 3');
    t.equal(ok.options.replaceChar, '#');
    t.equal(ok.options.replaceBytes, ':;');
    t.equal(ok.options.lineMax, 20, 'scan_ulong ignores trailing bytes');
    t.equal(ok.options.bufLen, 30);
    t.equal(ok.options.verbose, true);
  }
  const r = parseArgs(['-R', 'x', 'd']);
  t.equal(r.ok && r.options.replaceChar, '_', '-R alone replaces with _');
  t.equal(parseArgs(['-l', '0', 'd']).ok && (parseArgs(['-l', '0', 'd']) as { options: { lineMax: number } }).options.lineMax, 1000);
  t.same(parseArgs(['-l', '2000', 'd']), { ok: false, messages: [] }, 'buflen must exceed len');
  t.same(parseArgs(['-r', '', 'd']).ok, false);
  t.same(parseArgs(['-r', 'ab', 'd']).ok, false);
  t.same(parseArgs(['-t']), { ok: false, messages: [] }, 'no dir');
  t.same(parseArgs(['-x', 'd']), { ok: false, messages: ['svlogd: illegal option -- x\n'] });
  t.same(parseArgs(['-l']), { ok: false, messages: ['svlogd: option requires an argument -- l\n'] });
  const dd = parseArgs(['--', '-t']);
  t.ok(dd.ok && dd.dirs[0] === '-t', '-- ends options');
  const v = parseArgs(['-V', 'd']);
  t.equal(v.ok, false);
  t.match((v as { messages: string[] }).messages[0], /^\$Id: [0-9a-f]+ \$\n$/);
  t.equal(usageText('/x/svlogd'), 'usage: /x/svlogd [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...\n\n');
});
