// Pure logic: sgetopt, scan_ulong, USER syntax, envdir values and the pathexec
// environment merge, limit arithmetic, the PATH search rules, and the order of steps.
import t from 'tap';
import { Getopt } from '../../lib/chpst/getopt';
import { envValue, mergeEnv } from '../../lib/chpst/envdir';
import { HARD, newSoft } from '../../lib/chpst/limits';
import { candidates, pathexecRun } from '../../lib/chpst/pathexec';
import { Plan, planFor, personalityOf, programName, Usage } from '../../lib/chpst/plan';
import { asLong, scanUlong, scanWhole } from '../../lib/chpst/scan';
import { Lookups, numericIds, resolveAccount, resolveUserSpec } from '../../lib/chpst/uidgid';
import { errorStr } from '../../lib/chpst/errstr';

function all(argv: string[], opts: string): { seen: string[]; rest: string[] } {
  const g = new Getopt(argv, opts);
  const seen: string[] = [];
  for (;;) {
    const r = g.next();
    if (r.kind === 'done') return { seen, rest: g.rest() };
    seen.push(r.kind === 'opt' ? `${r.opt}${r.arg === null ? '' : `=${r.arg}`}` : `${r.kind}:${r.opt}`);
    if (r.kind !== 'opt') return { seen, rest: [] };
  }
}

t.test('sgetopt', async (t) => {
  t.same(all(['x', '-vP012', 'prog', '-v'], 'u:vP012'), { seen: ['v', 'P', '0', '1', '2'], rest: ['prog', '-v'] });
  t.same(all(['x', '-unobody', 'prog'], 'u:'), { seen: ['u=nobody'], rest: ['prog'] });
  t.same(all(['x', '-u', '-v', 'prog'], 'u:v'), { seen: ['u=-v'], rest: ['prog'] }, 'argument may start with -');
  t.same(all(['x', '-vu', 'a', 'p'], 'u:v'), { seen: ['v', 'u=a'], rest: ['p'] }, 'bundled option with argument');
  t.same(all(['x', '--', '-v'], 'v'), { seen: [], rest: ['-v'] }, '-- consumed');
  t.same(all(['x', '--foo', 'p'], 'v'), { seen: [], rest: ['p'] }, '--anything consumed like --');
  t.same(all(['x', '-', 'p'], 'v'), { seen: [], rest: ['-', 'p'] }, 'lone - is an operand');
  t.same(all(['x', '-vx'], 'v'), { seen: ['v', 'illegal:x'], rest: [] });
  t.same(all(['x', '-:'], 'u:'), { seen: ['illegal::'], rest: [] }, 'colon is never an option');
  t.same(all(['x', '-v', '-u'], 'u:v'), { seen: ['v', 'missing:u'], rest: [] });
  t.same(all(['x', '-u', ''], 'u:'), { seen: ['u='], rest: [] }, 'empty next word is an argument');
  t.same(all(['x'], 'v'), { seen: [], rest: [] });
});

t.test('scan_ulong', async (t) => {
  t.same(scanUlong('123abc'), { value: 123n, len: 3 });
  t.same(scanUlong('+1'), { value: 0n, len: 0 });
  t.equal(scanUlong('18446744073709552616').value, 1000n, 'wraps modulo 2^64');
  t.equal(scanWhole('12x'), null);
  t.equal(scanWhole(''), 0n, 'empty string is zero digits, nothing left over');
  t.equal(asLong(18446744073709551615n), -1n);
});

t.test('USER syntax', async (t) => {
  const look: Lookups = {
    user: (n) => ({ nobody: { uid: 65534, gid: 65534 }, daemon: { uid: 1, gid: 1 } } as Record<string, { uid: number; gid: number }>)[n] ?? null,
    group: (n) => ({ nogroup: 65534, daemon: 1, adm: 4 } as Record<string, number>)[n] ?? null,
  };
  t.same(resolveUserSpec('nobody', look), { ok: true, ids: { uid: 65534, gids: [65534] } });
  t.same(resolveUserSpec('nobody:adm', look), { ok: true, ids: { uid: 65534, gids: [4] } });
  t.same(resolveUserSpec('nobody:nogroup:daemon:adm', look), { ok: true, ids: { uid: 65534, gids: [65534, 1, 4] } });
  t.same(resolveUserSpec('nobody:nogrp', look), { ok: false, reason: 'unknown' });
  t.same(resolveUserSpec('nobody:', look), { ok: false, reason: 'unknown' }, 'empty group name');
  t.same(resolveUserSpec('nosuch', look), { ok: false, reason: 'unknown' });
  t.same(resolveUserSpec(':1234:5678:91', look), { ok: true, ids: { uid: 1234, gids: [5678, 91] } });
  t.same(resolveUserSpec(':1234:', look), { ok: true, ids: { uid: 1234, gids: [0] } }, 'empty gid is 0');
  t.same(resolveUserSpec(':1234', look), { ok: false, reason: 'invalid' });
  t.same(resolveUserSpec(':12x:1', look), { ok: false, reason: 'invalid' });
  t.same(resolveUserSpec(':1:2x', look), { ok: false, reason: 'invalid' });
  t.same(numericIds('4294967297:4294967298'), { ok: true, ids: { uid: 1, gids: [2] } }, 'ids keep 32 bits');
  const sixty = Array.from({ length: 60 }, (_, i) => String(i + 1)).join(':');
  t.same(numericIds(`1:${sixty}:`), { ok: true, ids: { uid: 1, gids: Array.from({ length: 60 }, (_, i) => i + 1) } });
  t.same(numericIds(`1:${sixty}:61`), { ok: false, reason: 'invalid' }, 'at most 60 groups');
  t.same(resolveAccount('nobody', look), { ok: true, ids: { uid: 65534, gids: [65534] } });
  t.same(resolveAccount('nobody:nogroup', look), { ok: false, reason: 'unknown' }, 'personalities take a plain name');
});

t.test('envdir values', async (t) => {
  const v = (s: string): string | null => envValue(Buffer.from(s, 'latin1'))?.toString('latin1') ?? null;
  t.equal(v(''), null, 'empty file unsets');
  t.equal(v('\n'), '', 'a lone newline sets the empty string');
  t.equal(v('hello \t \nsecond line\n'), 'hello', 'first line, trailing blanks cut');
  t.equal(v(' lead'), ' lead', 'leading blanks kept');
  t.equal(v('a\0b\0'), 'a\nb\n', 'NULs become newlines');
  t.equal(v('x \0 '), 'x \n', 'only trailing spaces and tabs are cut, not NULs');
});

t.test('pathexec environment merge', async (t) => {
  const env = ['A=1', 'B=2', 'C=3', 'BB=9'];
  t.same(mergeEnv(env, ['B=x']), ['A=1', 'BB=9', 'C=3', 'B=x'], 'removed by moving the last entry into its slot');
  t.same(mergeEnv(env, ['A']), ['BB=9', 'B=2', 'C=3'], 'a name alone unsets');
  t.same(mergeEnv(env, ['B=C=x']), ['A=1', 'BB=9', 'C=3', 'B=C=x'], 'the name ends at the first =');
  t.same(mergeEnv(env, ['B=C']), ['A=1', 'BB=9', 'C=3', 'B=C'], 'an empty file named B=C still sets B');
  t.same(mergeEnv(env, ['Z']), env, 'unsetting an absent name changes nothing');
  t.same(mergeEnv(['X=1'], ['GID=8', 'UID=7']), ['X=1', 'GID=8', 'UID=7']);
});

t.test('limits', async (t) => {
  t.equal(newSoft(100n, 200), 100);
  t.equal(newSoft(300n, 200), 200, 'above the hard limit: the hard limit');
  t.equal(newSoft(300n, Infinity), 300);
  t.equal(newSoft(HARD, 200), 200, '= means the hard limit');
  t.equal(newSoft(HARD, Infinity), Infinity);
});

t.test('PATH search', async (t) => {
  t.same(candidates('true', '/a::/b'), ['/a/true', './true', '/b/true']);
  t.same(candidates('true', undefined), ['/bin/true', '/usr/bin/true']);
  t.same(candidates('./x', '/a'), ['./x']);
  const run = (errs: Record<string, number>): [number, string[]] => {
    const tried: string[] = [];
    const e = pathexecRun(candidates('p', '/a:/b:/c'), (c) => {
      tried.push(c);
      return errs[c] ?? 2;
    });
    return [e, tried];
  };
  t.same(run({}), [2, ['/a/p', '/b/p', '/c/p']]);
  t.same(run({ '/a/p': 13 }), [13, ['/a/p', '/b/p', '/c/p']], 'EACCES remembered, search goes on');
  t.same(run({ '/a/p': 1, '/b/p': 21 }), [21, ['/a/p', '/b/p', '/c/p']], 'EPERM and EISDIR go on too');
  t.same(run({ '/a/p': 20 }), [20, ['/a/p']], 'ENOTDIR ends the search');
  t.same(run({ '/b/p': 8 }), [8, ['/a/p', '/b/p']], 'ENOEXEC ends the search');
});

t.test('error strings', async (t) => {
  t.equal(errorStr(2), 'file does not exist');
  t.equal(errorStr(-11), 'temporary failure');
  t.equal(errorStr(41), 'unknown error');
});

const plan = (...args: string[]): Plan => {
  const p = planFor(args);
  if (p.kind !== 'plan') throw new Error(`expected a plan, got usage: ${(p as Usage).text}`);
  return p;
};
const usage = (...args: string[]): string => {
  const p = planFor(args);
  if (p.kind !== 'usage') throw new Error('expected usage');
  return p.text;
};

t.test('chpst options become steps in runit order', async (t) => {
  const p = plan(
    'chpst', '-2', '-o', '50', '-L', 'lk', '-u', 'nobody', '-U', 'daemon', '-n', '-3', '-/', '/r', '-e', 'envd', '-P',
    '-m', '1000', '-d', '7', '-t', '9', '-v', '-b', 'name', 'prog', 'a',
  );
  t.same(p.steps.map((s) => s.op), ['setsid', 'envdir', 'chroot', 'nice', 'envuidgid', 'setuidgid', 'lock', 'close', 'limit', 'limit', 'limit', 'limit', 'limit', 'limit']);
  t.same(
    p.steps.filter((s) => s.op === 'limit').map((s) => (s.op === 'limit' ? `${s.name}=${s.value}` : '')),
    ['DATA=7', 'STACK=1000', 'MEMLOCK=1000', 'AS=1000', 'NOFILE=50', 'CPU=9'],
  );
  t.same(p.steps[1], { op: 'envdir', dir: 'envd', skipSubdirs: true });
  t.same(p.steps[3], { op: 'nice', inc: -3 });
  t.same(p.steps[6], { op: 'lock', file: 'lk', wait: false, quiet: false });
  t.same(p.steps[7], { op: 'close', fd: 2 });
  t.equal(p.file, 'prog');
  t.same(p.argv, ['name', 'a'], '-b replaces argv[0] only');
  t.equal(p.verbose, true);
  t.same(plan('chpst', 'true').steps, [], 'nothing given, nothing done');
  t.same(plan('chpst', '-n', '+0', 'true').steps, [], 'nice 0 is not applied');
  t.same(plan('chpst', '-o', '18446744073709551614', 'true').steps, [], 'a value wrapping to -2 is not applied');
  t.same(plan('chpst', '-o', '18446744073709551615', 'true').steps, [{ op: 'limit', name: 'NOFILE', value: -1n }], '2^64-1 is the hard limit');
  t.same(plan('chpst', '-l', 'a', 'true').steps, [{ op: 'lock', file: 'a', wait: true, quiet: false }]);
});

t.test('chpst usage and option errors', async (t) => {
  const u = 'usage: chpst [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n\n';
  t.equal(usage('chpst'), u);
  t.equal(usage('/usr/bin/chpst', '-x', 'true'), `chpst: illegal option -- x\n${u}`);
  t.equal(usage('chpst', '-u'), `chpst: option requires an argument -- u\n${u}`);
  t.equal(usage('chpst', '-d', '12x', '-x'), u, 'the first problem wins');
  t.equal(usage('chpst', '-n', '5x', 'true'), u);
  t.equal(usage('chpst', '-l', 'a', '-L', 'b', 'true'), u, 'one lock only');
  t.equal(usage('chpst', '-V', 'true'), `$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $\n${u}`);
  t.equal(usage('chpst', '-C', 'dir', 'true'), `chpst: illegal option -- C\n${u}`, 'no -C in 2.1.2');
  t.match(usage('/x/dchpst', '-x'), /^dchpst: illegal option -- x\nusage: chpst /, 'getopt says the basename, usage drops the d');
});

t.test('personalities', async (t) => {
  t.equal(programName('/usr/bin/dsetuidgid'), 'setuidgid');
  t.equal(personalityOf('/usr/bin/envdir'), 'envdir');
  t.equal(personalityOf('denvdir'), 'envdir');
  t.equal(personalityOf('chpst'), null);
  t.equal(personalityOf('ddenvdir'), null, 'only one d is dropped');

  t.same(plan('setuidgid', '-x', 'prog').steps, [{ op: 'setuidgid', user: '-x', ext: false }], 'no options parsed');
  t.same(plan('envuidgid', 'nobody', 'prog', 'a').argv, ['prog', 'a']);
  t.same(plan('envdir', 'd', 'prog').steps, [{ op: 'envdir', dir: 'd', skipSubdirs: false }]);
  t.same(plan('pgrphack', 'prog').steps, [{ op: 'setsid' }]);
  t.equal(usage('setuidgid', 'nobody'), 'usage: setuidgid account child\n\n');
  t.equal(usage('envdir'), 'usage: envdir dir child\n\n');
  t.equal(usage('pgrphack'), 'usage: pgrphack child\n\n');

  const sl = plan('setlock', 'f', 'prog');
  t.same(sl.steps, [{ op: 'lock', file: 'f', wait: false, quiet: false }], 'runit setlock fails at once by default');
  t.equal(sl.quietExecFailure, false);
  t.same(plan('setlock', '-n', 'f', 'prog').steps, [{ op: 'lock', file: 'f', wait: true, quiet: false }], '-n waits');
  t.same(plan('setlock', '-nN', 'f', 'prog').steps, [{ op: 'lock', file: 'f', wait: false, quiet: false }]);
  const x = plan('setlock', '-x', 'f', 'prog');
  t.same(x.steps, [{ op: 'lock', file: 'f', wait: false, quiet: true }]);
  t.equal(x.quietExecFailure, true);
  t.equal(usage('setlock', '-z', 'f', 'p'), 'setlock: illegal option -- z\nusage: setlock [ -nNxX ] file program [ arg ... ]\n\n');
  t.equal(usage('setlock', 'f'), 'usage: setlock [ -nNxX ] file program [ arg ... ]\n\n');

  const soft = plan('softlimit', '-m', '=', '-d', '5', '-o', '9', '-a', '7', 'prog');
  t.same(
    soft.steps.map((s) => (s.op === 'limit' ? `${s.name}=${s.value}` : s.op)),
    ['DATA=5', 'STACK=-1', 'MEMLOCK=-1', 'AS=7', 'NOFILE=9'],
  );
  t.match(usage('softlimit', '-o', 'abc', 'p'), /^usage: softlimit \[-vVP012\] \[-u user/, 'bad number: chpst usage under the softlimit name');
  t.match(usage('softlimit', '-z', 'p'), /^softlimit: illegal option -- z\nusage: softlimit \[-a allbytes\]/);
  t.match(usage('softlimit', '-o', '5'), /^usage: softlimit \[-a allbytes\]/);
});
