import t from 'tap';
import { parseCommand } from '../../lib/sv/commands';
import { errorText } from '../../lib/errstr';
import { parseSvArgs, scanUlong } from '../../lib/sv/options';
import { SvOutput } from '../../lib/sv/output';
import { formatStatusLine, taiSeconds } from '../../lib/sv/statusline';
import { encodeStatus } from '../../lib/supervise/status';

t.test('scan_ulong', async (t) => {
  t.equal(scanUlong('7'), 7);
  t.equal(scanUlong('3x'), 3);
  t.equal(scanUlong('x3'), 0);
  t.equal(scanUlong(''), 0);
  t.equal(scanUlong('-5'), 0);
  t.equal(scanUlong(' 5'), 0);
  t.equal(scanUlong('18446744073709551617'), 1, 'wraps modulo 2^64');
});

t.test('sgetopt rules', async (t) => {
  const ok = (argv: string[]) => {
    const r = parseSvArgs(argv, 'sv');
    if (r.kind !== 'ok') throw new Error('usage: ' + r.before);
    return r.args;
  };
  t.same(ok(['-v', 'up', 'a']), { verbose: true, waitSec: undefined, json: false, rest: ['up', 'a'] });
  t.same(ok(['-vw5', 'up', 'a']).waitSec, 5);
  t.same(ok(['-w', '5', 'up']).waitSec, 5);
  const wv = ok(['-wv', 'up', 'a']);
  t.same([wv.waitSec, wv.verbose], [0, true], '-wv takes "v" as the wait value');
  t.same(ok(['-w', '--', 'status', 'a']).rest, ['status', 'a'], '-w consumes the next word whatever it is');
  t.same(ok(['--', '-v', 'a']).rest, ['-v', 'a']);
  t.same(ok(['--foo', 'status', 'a']).rest, ['status', 'a'], 'any --word ends the options, as in runit');
  t.same(ok(['-', 'a']).rest, ['-', 'a'], 'a lone - is an operand');
  t.same(ok(['status', '-v', 'a']).rest, ['status', '-v', 'a'], 'stops at the first non-option');
  t.same(ok(['-w', '2', '-v', 'x']).waitSec, 2);
  t.same(ok(['--json', 'status', 'a']).json, true);
  t.same(ok(['status', '--json', 'a']), { verbose: false, waitSec: undefined, json: true, rest: ['status', 'a'] });
  t.same(ok(['stop', '--json', 'a']).rest, ['stop', '--json', 'a'], '--json after another command is a service name');
  t.same(parseSvArgs(['-x'], 'sv'), { kind: 'usage', before: 'sv: illegal option -- x\n' });
  t.same(parseSvArgs(['-vx', 'a'], 'sv'), { kind: 'usage', before: 'sv: illegal option -- x\n' });
  t.same(parseSvArgs(['-v-'], 'foo'), { kind: 'usage', before: 'foo: illegal option -- -\n' });
  t.same(parseSvArgs(['-vw'], 'sv'), { kind: 'usage', before: 'sv: option requires an argument -- w\n' });
  const v = parseSvArgs(['-Vx'], 'sv');
  t.ok(v.kind === 'usage' && v.before.startsWith('$Id: '), '-V before an illegal option prints the version');
});

t.test('command dispatch by first character', async (t) => {
  const acts = (w: string, lsb = false) => {
    const c = parseCommand(w, lsb);
    return c && `${c.act}:${c.acts}:${c.waits ? 'w' : '-'}${c.kill ? 'k' : '-'}`;
  };
  t.equal(acts('status'), 'status:s:--');
  t.equal(acts('stat'), 'status:s:--');
  t.equal(acts('stopx'), 'status:s:--');
  t.equal(acts('stat', true), null, 'LSB takes only the exact word status');
  t.equal(acts('Status'), null);
  t.equal(acts('up'), 'control:u:--');
  t.equal(acts('upgrade'), 'control:u:--');
  t.equal(acts('termite'), 'control:t:--');
  t.equal(acts('custom'), 'control:c:--');
  t.equal(acts('e'), 'control:x:--');
  t.equal(acts('check'), 'none:C:w-');
  t.equal(acts('try-restart'), 'control:tc:w-');
  t.equal(acts('start'), 'control:u:w-');
  t.equal(acts('stop'), 'control:d:w-');
  t.equal(acts('shutdown'), 'control:x:w-');
  t.equal(acts('restart'), 'control:tcu:w-');
  t.equal(acts('reload'), 'control:h:w-');
  t.equal(acts('restartx'), null);
  t.equal(acts('force-stop'), 'control:d:wk');
  t.equal(acts('force-reload'), 'control:tc:wk');
  t.equal(acts('force-restart'), 'control:tcu:wk');
  t.equal(acts('force-shutdown'), 'control:x:wk');
  t.equal(acts('foo'), null);
  t.equal(acts('X'), 'control:x:wk');
  t.equal(acts('Exit'), 'control:x:wk');
  t.equal(acts('Down'), 'control:d:wk');
  t.equal(acts('Term'), 'control:tc:wk');
  t.equal(acts('constructor'), 'control:c:--', 'no prototype lookups');
  t.equal(acts(''), null);
  for (const c of 'dopahikq12') t.equal(acts(c + 'zz'), `control:${c}:--`);
});

t.test('status line', async (t) => {
  const now = taiSeconds(1700000100);
  const rec = (o: object) =>
    encodeStatus({ time: { sec: 1700000000, nsec: 500 }, pid: 0, paused: false, want: 'u', termSent: false, state: 0, ...o });
  t.equal(formatStatusLine(rec({}), 'a', now, true).text, 'down: a: 100s, normally up, want up');
  t.equal(formatStatusLine(rec({}), 'a', now, false).text, 'down: a: 100s, want up', 'normally down is shown only with a pid');
  t.equal(formatStatusLine(rec({ want: 'd' }), 'a', now, true).text, 'down: a: 100s, normally up');
  t.equal(formatStatusLine(rec({ pid: 42, state: 1 }), 'a', now, true).text, 'run: a: (pid 42) 100s');
  t.equal(
    formatStatusLine(rec({ pid: 42, state: 1, want: 'd', termSent: true, paused: true }), 'a', now, false).text,
    'run: a: (pid 42) 100s, normally down, paused, want down, got TERM',
  );
  t.equal(formatStatusLine(rec({ pid: 42, state: 2 }), 'log', now, true).text, 'finish: log: (pid 42) 100s');
  t.equal(formatStatusLine(rec({ pid: 42, state: 1 }), 'a', taiSeconds(1699999999), true).text, 'run: a: (pid 42) 0s', 'never negative');
  const odd = rec({ pid: 12345, state: 1, paused: true, want: 'd', termSent: true });
  odd[19] = 7;
  t.equal(formatStatusLine(odd, 'f', now, true).text, 'f: (pid 12345) 100s, paused, want down, got TERM', 'unknown state: no word');
  const zero = Buffer.alloc(20);
  t.equal(formatStatusLine(zero, 'z', now, true).text, `down: z: ${now}s, normally up`, 'all-zero record: an exact huge age');
  t.equal(formatStatusLine(rec({ pid: 0xffffffff, state: 1 }), 'a', now, true).text, 'run: a: (pid 18446744073709551615) 100s', 'pid as runit\'s signed int');
  t.same(formatStatusLine(rec({ pid: 1, state: 1 }), 'a', now, true).code, 1);
  t.same(formatStatusLine(rec({}), 'a', now, true).code, 2);
});

t.test('errno texts', async (t) => {
  t.equal(errorText({ code: 'ENOENT' }), 'file does not exist');
  t.equal(errorText({ code: 'ENXIO' }), 'device not configured');
  t.equal(errorText({ code: 'EACCES' }), 'access denied');
  t.equal(errorText({ code: 'ELOOP' }), 'symbolic link loop');
  t.equal(errorText({ code: 'EWOULDBLOCK' }), 'temporary failure');
  t.equal(errorText({ code: 'EWHATEVER' }), 'unknown error');
  t.equal(errorText(null), 'unknown error');
});

t.test('stdout is written up to the last flush point before stderr', async (t) => {
  const seen: string[] = [];
  const o = new SvOutput((s) => seen.push('1:' + s), (s) => seen.push('2:' + s));
  o.put('a\n');
  o.flush();
  o.put('ok: ');
  o.err('warning\n');
  o.flush('\n');
  o.end();
  t.same(seen, ['1:a\n', '2:warning\n', '1:ok: \n']);
});
