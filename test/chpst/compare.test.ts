// Our chpst and its personalities side by side with runit's: the same command line,
// the same stdout, stderr and exit code.
import t from 'tap';
import { chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stageForOtherUsers } from '../helpers/as-user';
import { tempDir } from '../helpers/proc';
import { ourBin, referenceSkip } from '../helpers/reference';
import { Result, run, sideBySide } from './chpst-helpers';

const baseEnv = process.env;

/** The hard limit of `name` (a /proc/self/limits label): children inherit ours. */
function hardLimit(name: string): string {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name)) as string;
  return line.slice(26).trim().split(/\s+/)[1];
}

t.test('side by side with runit chpst', referenceSkip('chpst'), async (t) => {
  const dir = tempDir(t, 'runitd-chpst-');
  // programs run as nobody must be reachable by nobody, wherever the checkout is
  const staged = stageForOtherUsers(t);
  const helpers = (t: Parameters<typeof sideBySide>[0]) => sideBySide(t, dir);

  t.test('users and groups', async (t) => {
    const { same, expect } = helpers(t);
    same('name', ['-u', 'nobody', 'id'], { check: expect({ stdout: 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n' }) });
    same('name:group', ['-u', 'nobody:daemon', 'id']);
    same('several groups', ['-u', 'nobody:nogroup:daemon', 'id'], { check: expect({ stdout: /groups=65534\(nogroup\),1\(daemon\)/ }) });
    same('numeric', ['-u', ':1234:5678:91', 'id']);
    same('numeric, empty gid', ['-u', ':1234:', 'id']);
    same('-U then -u', ['-U', 'daemon', '-u', 'nobody', 'sh', '-c', 'echo $UID $GID; id -u']);
    same('-U numeric', ['-U', ':7:8:9', 'sh', '-c', 'echo $UID $GID']);
    same('unknown user', ['-u', 'nosuchuser', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: nosuchuser\n' }) });
    same('unknown group', ['-u', 'nobody:nogrp', 'true']);
    same('empty group', ['-u', 'nobody:', 'true']);
    same('uid without gid', ['-u', ':1234', 'true'], { check: expect({ stderr: 'chpst: fatal: invalid uid/gids: 1234\n' }) });
    same('garbage uid', ['-U', ':12x:3', 'true']);
    same('setuidgid', ['nobody', 'id'], { as: 'setuidgid' });
    same('setuidgid keeps only the primary group', ['postgres', 'id'], { as: 'setuidgid' });
    same('setuidgid rejects user:group', ['nobody:nogroup', 'id'], { as: 'setuidgid', check: expect({ status: 111, stderr: 'chpst: fatal: unknown account: nobody:nogroup\n' }) });
    same('setuidgid rejects numeric', [':5:6', 'id'], { as: 'setuidgid' });
    same('setuidgid unknown', ['nosuchuser', 'id'], { as: 'setuidgid' });
    same('envuidgid', ['daemon', 'sh', '-c', 'echo $UID $GID'], { as: 'envuidgid' });
    // a chpst already running as nobody cannot change groups, nor raise its priority
    const asNobody: [string[], string][] = [
      [['-u', 'daemon', 'true'], 'chpst: fatal: unable to setgroups: permission denied\n'],
      [['-n', '-5', 'true'], 'chpst: fatal: unable to set nice level: permission denied\n'],
    ];
    for (const [inner, want] of asNobody) {
      // staged copies: nobody cannot reach a checkout in a 0700 folder
      const r = [staged.ourBin('chpst'), staged.referenceBin('chpst') as string].map((bin) => run(bin, ['-u', 'nobody', bin, ...inner]));
      t.same(r[0], r[1], `as nobody: chpst ${inner.join(' ')}`);
      t.same(r[0], { status: 111, stdout: '', stderr: want });
    }
  });

  t.test('envdir', async (t) => {
    const { same, expect } = helpers(t);
    const e = path.join(dir, 'env');
    mkdirSync(e);
    writeFileSync(path.join(e, 'TRAIL'), 'hello  \t\nsecond\n');
    writeFileSync(path.join(e, 'GONE'), '');
    writeFileSync(path.join(e, 'EMPTYLINE'), '\n');
    writeFileSync(path.join(e, 'NUL'), 'a\0b\0 \t\n');
    writeFileSync(path.join(e, 'LEAD'), ' \tlead\n');
    writeFileSync(path.join(e, 'NOEOL'), 'no newline');
    writeFileSync(path.join(e, 'B=C'), 'x');
    writeFileSync(path.join(e, 'D=E'), '');
    writeFileSync(path.join(e, '.hidden'), 'h');
    const env = { ...baseEnv, GONE: 'was set', B: 'old', D: 'old', NUL: 'old' };
    const vars = ['sh', '-c', 'printf "[%s]\\n" "$TRAIL" "$NUL" "$EMPTYLINE" "$LEAD" "$B" "$D" "${GONE-unset}" "$NOEOL"'];
    same('envdir rules', ['-e', e, ...vars], {
      env,
      check: expect({ stdout: '[hello]\n[a\nb\n]\n[]\n[ \tlead]\n[C=x]\n[E]\n[unset]\n[no newline]\n' }),
    });
    // dash orders the environment its own way: compare it sorted
    const show = ['sh', '-c', 'env | sort'];
    same('whole environment', ['-e', e, ...show], { env });
    same('PATH from an envdir reaches PROG but is not searched', ['-e', mkEnv('path', { PATH: '/nonexistent\n' }), 'sh', '-c', 'echo $PATH'], {
      check: expect({ status: 0, stdout: '/nonexistent\n' }),
    });
    same('envdir personality', [e, ...show], { as: 'envdir', env });
    same('dangling symlink alone unsets', ['-e', mkEnv('dangle', { X: null }), 'sh', '-c', 'echo ${X-unset}'], { env: { ...baseEnv, X: 'set' } });
    const sub = mkEnv('sub', { A: 'a\n' });
    mkdirSync(path.join(sub, 'SUB'));
    same('-e skips a subdirectory', ['-e', sub, 'sh', '-c', 'echo $A'], { check: expect({ status: 0, stderr: '' }) });
    same('-v -e warns about it', ['-v', '-e', sub, 'sh', '-c', 'echo $A'], { check: expect({ stderr: /^chpst: warning: unable to read .*\/SUB: is a directory\n$/ }) });
    same('envdir personality dies on it', [sub, 'true'], { as: 'envdir', check: expect({ status: 111 }) });
    same('missing dir', ['-e', path.join(dir, 'nope'), 'true'], { check: expect({ status: 111, stderr: /unable to switch to directory: .*nope: file does not exist/ }) });
    same('not a dir', ['-e', path.join(e, 'TRAIL'), 'true']);
    same('envdir usage', [e], { as: 'envdir' });
    // the case: printf 'x\000y\n' > env/B gives B="x<newline>y"
    const nul = mkEnv('nul', { B: 'x\0y\n', C: '\0\0\n' });
    const showB = ['sh', '-c', 'printf "[%s][%s]" "$B" "$C"'];
    same('a NUL in a value is a newline', ['-e', nul, ...showB], { check: expect({ status: 0, stdout: '[x\ny][\n\n]' }) });
    same('envdir personality: a NUL is a newline', [nul, ...showB], { as: 'envdir', check: expect({ status: 0, stdout: '[x\ny][\n\n]' }) });
    // runit reads every file into one buffer: a file gone between readdir and open
    // (a dangling symlink) gets the value read before it once more
    const again = mkEnv('again', { A: 'a\0b  \n', X: null, Y: null, Z: '', W: null, V: 'v' });
    same('a vanished file after others', ['-e', again, 'sh', '-c', 'env | grep -E "^[AXYZWV]=" | sort; echo ${Z-unset} ${W-unset}'], { env: { ...baseEnv, Z: 'z', W: 'w' } });

    function mkEnv(name: string, files: Record<string, string | null>): string {
      const d = path.join(dir, name);
      mkdirSync(d);
      for (const [k, v] of Object.entries(files)) {
        if (v === null) symlinkSync('/nonexistent/target', path.join(d, k));
        else writeFileSync(path.join(d, k), v);
      }
      return d;
    }
  });

  t.test('limits, as /proc/self/limits shows them', async (t) => {
    const { same, expect } = helpers(t);
    const lim = ['cat', '/proc/self/limits'];
    const o = { lowNofile: true };
    same('no limit option gives NOFILE back', lim, { ...o, check: expect({ stdout: /^Max open files\s+1000\s/m }) });
    same('-o', ['-o', '77', ...lim], { ...o, check: expect({ stdout: /^Max open files\s+77\s/m }) });
    same('-o above hard', ['-o', '99999999', ...lim], o);
    same('-m', ['-m', '300000000', ...lim], { ...o, check: expect({ stdout: /^Max address space\s+300000000\s/m }) });
    same('-d -p -f -c -r -t', ['-d', '400000000', '-p', '777', '-f', '123456789', '-c', '0', '-r', '99999', '-t', '1000', ...lim], o);
    same('-m then -d', ['-m', '300000000', '-d', '310000000', ...lim], o);
    same('wraps modulo 2^64', ['-f', '18446744073709552616', ...lim], { ...o, check: expect({ stdout: /^Max file size\s+1000\s/m }) });
    same('2^64-1 is the hard limit', ['-f', '18446744073709551615', ...lim], o);
    same('2^64-2 is ignored', ['-o', '18446744073709551614', ...lim], o);
    same('bad limit', ['-o', '12x', 'true'], { check: expect({ status: 100, stderr: /^usage: chpst / }) });
    // 2^53 + 1 has no double: the TypeScript chpst set 2^53 instead
    const big = '9007199254740993';
    const want = (label: string) => (hardLimit(label) === 'unlimited' ? big : hardLimit(label));
    const shows = (...labels: string[]) => (r: Result) => {
      for (const l of labels) t.match(r.stdout, new RegExp(`^${l}\\s+${want(l)}\\s`, 'm'), `${l}: ${want(l)}`);
    };
    same('2^53+1: -f -c -t -r', ['-f', big, '-c', big, '-t', big, '-r', big, ...lim], { ...o, check: shows('Max file size', 'Max core file size', 'Max cpu time', 'Max resident set') });
    same('2^53+1: -m', ['-m', big, ...lim], { ...o, check: shows('Max data size', 'Max stack size', 'Max locked memory', 'Max address space') });
    same('2^53+1: -d -o -p', ['-d', big, '-o', big, '-p', big, ...lim], { ...o, check: shows('Max data size', 'Max open files', 'Max processes') });
    same('2^53+1: softlimit', ['-a', big, '-c', big, '-d', big, '-f', big, '-l', big, '-o', big, '-p', big, '-r', big, '-s', big, '-t', big, ...lim], {
      ...o,
      as: 'softlimit',
      check: shows('Max address space', 'Max core file size', 'Max data size', 'Max file size', 'Max locked memory', 'Max open files', 'Max processes', 'Max resident set', 'Max stack size', 'Max cpu time'),
    });
    same('2^53+1: softlimit -m', ['-m', big, ...lim], { ...o, as: 'softlimit', check: shows('Max data size', 'Max stack size', 'Max address space') });
    same('2^63 wraps below -1: not applied', ['-c', '9223372036854775808', '-o', '18446744073709551613', ...lim], {
      ...o,
      check: expect({ stdout: /^Max open files\s+1000\s/m }),
    });
    same('2^64+1 wraps to 1, 2^64+2^53+1 to 2^53+1', ['-f', '18446744073709551617', '-t', '18455751272964292609', ...lim], {
      ...o,
      check: (r) => {
        t.match(r.stdout, /^Max file size\s+1\s/m);
        shows('Max cpu time')(r);
      },
    });
    same('softlimit', ['-m', '=', '-o', '88', '-a', '300000000', '-s', '9000000', '-l', '65536', '-t', '50', ...lim], { ...o, as: 'softlimit' });
    same('softlimit bad number', ['-o', 'abc', 'true'], { as: 'softlimit', check: expect({ status: 100, stderr: /^usage: softlimit \[-vVP012\]/ }) });
    same('softlimit illegal option', ['-z', '1', 'true'], { as: 'softlimit' });
    same('softlimit usage', ['-o', '5'], { as: 'softlimit' });
  });

  t.test('nice, process group, argv0, closed fds', async (t) => {
    const { same, expect } = helpers(t);
    const niceOf = ['sh', '-c', 'cut -d" " -f19 /proc/$$/stat'];
    same('-n', ['-n', '5', ...niceOf], { check: expect({ stdout: '5\n' }) });
    same('-n -3', ['-n', '-3', ...niceOf], { check: expect({ stdout: '-3\n' }) });
    same('-n +2', ['-n', '+2', ...niceOf]);
    same('-n bad', ['-n', '5x', 'true'], { check: expect({ status: 100 }) });
    const group = ['sh', '-c', 'set -- $(cut -d" " -f1,5,6 /proc/$$/stat); [ $1 = $2 ] && echo group leader; [ $1 = $3 ] && echo session leader; :'];
    same('no -P', group, { check: expect({ stdout: '' }) });
    same('-P', ['-P', ...group], { check: expect({ stdout: 'group leader\nsession leader\n' }) });
    same('pgrphack', group, { as: 'pgrphack' });
    same('pgrphack usage', [], { as: 'pgrphack' });
    same('-b', ['-b', 'myname', 'sh', '-c', 'echo $0'], { check: expect({ stdout: 'myname\n' }) });
    const fds = ['sh', '-c', 'ls /proc/$$/fd >&2'];
    same('-0', ['-0', ...fds]);
    same('-1', ['-1', ...fds]);
    same('-2', ['-2', 'sh', '-c', 'ls /proc/$$/fd'], { check: (r) => t.notMatch(r.stdout, /^2$/m) });
    same('-012', ['-012', 'sh', '-c', 'ls /proc/$$/fd > /dev/null && exit 7'], { check: expect({ status: 7 }) });
  });

  t.test('program not run', async (t) => {
    const { same, expect } = helpers(t);
    same('missing program', ['/nonexistent/prog'], { check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: /nonexistent/prog: file does not exist\n' }) });
    same('missing in PATH', ['no-such-program-here']);
    same('-b names it', ['-b', 'foo', '/nonexistent']);
    same('not executable', ['/etc/passwd'], { check: expect({ stderr: /access denied/ }) });
    writeFileSync(path.join(dir, 'prog'), '#!/bin/sh\necho cwd prog\n', { mode: 0o755 });
    same('empty PATH element is the cwd', ['prog'], { cwd: dir, env: { ...baseEnv, PATH: `:${baseEnv.PATH}` }, check: expect({ stdout: 'cwd prog\n' }) });
    same('PATH= alone is the cwd only', ['prog'], { cwd: dir, env: { ...baseEnv, PATH: '' }, check: expect({ stdout: 'cwd prog\n' }) });
    same('PATH= alone: true is not found', ['true'], { env: { ...baseEnv, PATH: '' }, check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: true: file does not exist\n' }) });
    // a script found through the empty entry is run as ./NAME: the shell's $0 says so
    writeFileSync(path.join(dir, 'zero'), '#!/bin/sh\necho "$0"\n', { mode: 0o755 });
    same('./NAME for the empty entry', ['zero'], { cwd: dir, env: { ...baseEnv, PATH: '' }, check: expect({ stdout: './zero\n' }) });
    const bin = path.join(dir, 'pbin');
    mkdirSync(path.join(bin, 'b'), { recursive: true });
    writeFileSync(path.join(bin, 'noexec'), 'x');
    writeFileSync(path.join(bin, 'b', 'noexec'), '#!/bin/sh\necho from b\n', { mode: 0o755 });
    mkdirSync(path.join(bin, 'dir', 'noexec'), { recursive: true });
    writeFileSync(path.join(bin, 'file'), '');
    same('EACCES goes on searching', ['noexec'], { env: { ...baseEnv, PATH: `${bin}:${bin}/b:${baseEnv.PATH}` }, check: expect({ stdout: 'from b\n' }) });
    same('a directory in the way', ['noexec'], { env: { ...baseEnv, PATH: `${bin}/dir:${baseEnv.PATH}` } });
    same('ENOTDIR stops', ['noexec'], { env: { ...baseEnv, PATH: `${bin}/file:${bin}/b:${baseEnv.PATH}` }, check: expect({ status: 111, stderr: /not a directory/ }) });
    same('no PATH at all', ['true'], { env: Object.fromEntries(Object.entries(baseEnv).filter(([k]) => k !== 'PATH')) });
    writeFileSync(path.join(bin, 'noshebang'), 'echo x\n', { mode: 0o755 });
    same('exec format error', [path.join(bin, 'noshebang')], { check: expect({ stderr: /exec format error/ }) });
    same('usage', []);
    same('illegal option', ['-x', 'true']);
    same('missing argument', ['-u']);
    same('two locks', ['-l', 'a', '-L', 'b', 'true']);
    same('-V', ['-V']);
    same('no -C in 2.1.2', ['-C', '/', 'true']);
    for (const p of ['setuidgid', 'envuidgid', 'setlock']) same(`${p} usage`, ['x'], { as: p });
  });

  t.test('chroot', async (t) => {
    const { same, expect } = helpers(t);
    const root = path.join(dir, 'root');
    for (const f of ['/bin/sh', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']) {
      const real = realpathSync(f);
      mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
      copyFileSync(real, path.join(root, f));
      chmodSync(path.join(root, f), 0o755);
    }
    mkdirSync(path.join(root, 'etc'));
    writeFileSync(path.join(root, 'etc', 'passwd'), 'jailed:x:4242:4343::/:/bin/sh\n');
    writeFileSync(path.join(root, 'etc', 'group'), 'jailgrp:x:4343:\n');
    mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
    chmodSync(path.join(root, 'tmp'), 0o1777);
    same('-/', ['-/', root, '/bin/sh', '-c', 'pwd; echo /*'], { check: expect({ stdout: '/\n/bin /etc /lib /lib64 /tmp\n' }) });
    same('users are looked up in the new root', ['-/', root, '-U', 'jailed', '/bin/sh', '-c', 'echo $UID $GID'], { check: expect({ stdout: '4242 4343\n' }) });
    same('unknown outside user inside', ['-/', root, '-u', 'nobody', '/bin/sh', '-c', 'echo no'], { check: expect({ status: 111 }) });
    const [oursBin, runitBin] = helpers(t).bins('chpst');
    for (const who of ['ours', 'theirs']) {
      const bin = who === 'ours' ? oursBin : runitBin;
      const r = run(bin, ['-/', root, '-u', 'jailed:jailgrp', '-l', `/tmp/lock-${who}`, '/bin/sh', '-c', `echo hi > /tmp/out-${who}`]);
      t.same(r, { status: 0, stdout: '', stderr: '' }, `${who}: -u and -l inside the root`);
      const out = statSync(path.join(root, 'tmp', `out-${who}`));
      const lock = statSync(path.join(root, 'tmp', `lock-${who}`));
      t.same([out.uid, out.gid, lock.uid, lock.gid, lock.mode & 0o777], [4242, 4343, 4242, 4343, 0o600], `${who}: files made as the new user`);
      t.equal(readFileSync(path.join(root, 'tmp', `out-${who}`), 'utf8'), 'hi\n');
    }
    same('missing root', ['-/', path.join(dir, 'noroot'), 'true'], { check: expect({ status: 111, stderr: /unable to change directory: .*noroot: file does not exist/ }) });
  });

  t.test('lock opened after dropping privileges', async (t) => {
    const { same, expect } = helpers(t);
    // mkdtemp folders are 0700 root: nobody cannot create a file there
    same('access denied', ['-u', 'nobody', '-l', path.join(dir, 'lk'), 'true'], { check: expect({ status: 111, stderr: /unable to open lock: .*lk: access denied/ }) });
    same('setlock -x hides it', ['-x', path.join(dir, 'nodir', 'lk'), 'true'], { as: 'setlock', check: expect({ status: 0, stderr: '' }) });
    same('setlock -x hides exec failure', ['-x', path.join(dir, 'lk3'), '/nonexistent'], { as: 'setlock', check: expect({ status: 0, stderr: '' }) });
    same('setlock without -x', [path.join(dir, 'nodir', 'lk'), 'true'], { as: 'setlock', check: expect({ status: 111 }) });
  });

  t.test('environment and descriptors pass through untouched', async (t) => {
    const { same, expect } = helpers(t);
    const emptyEnv = path.join(dir, 'emptyenv');
    mkdirSync(emptyEnv);
    // exactly the environment chpst was given, in its order: no PWD, nothing added
    const env = { PATH: baseEnv.PATH, A: '1', B: 'two words', EMPTY: '' };
    const want = `PATH=${baseEnv.PATH}\nA=1\nB=two words\nEMPTY=\n`;
    // the lock is opened as nobody: in a folder nobody can reach and write to
    const lockDir = path.join(staged.root, 'locks');
    mkdirSync(lockDir);
    chmodSync(lockDir, 0o1777);
    const lk = path.join(lockDir, 'envlock');
    const cases: [string, string[]][] = [
      ['chpst', ['env']],
      ['chpst', ['-u', 'nobody', '-e', emptyEnv, '-P', '-n', '1', '-o', '500', '-l', lk, 'env']],
      ['envdir', [emptyEnv, 'env']],
      ['setuidgid', ['nobody', 'env']],
      ['pgrphack', ['env']],
      ['softlimit', ['-o', '500', 'env']],
      ['setlock', [lk, 'env']],
    ];
    for (const [as, args] of cases) same('environment', args, { as, env, cwd: dir, check: expect({ status: 0, stdout: want, stderr: '' }) });
    same('envuidgid adds only GID and UID', ['daemon', 'env'], { as: 'envuidgid', env, cwd: dir, check: expect({ stdout: `${want}GID=1\nUID=1\n` }) });

    // fds 3 and 5 open before chpst are open in the program after it (not closed,
    // not close-on-exec), fd 4 stays closed, nothing else is added
    const fd3 = openSync(path.join(dir, 'fd3'), 'w');
    const fd5 = openSync(path.join(dir, 'fd5'), 'w');
    t.teardown(() => {
      closeSync(fd3);
      closeSync(fd5);
    });
    const list = ['sh', '-c', 'exec ls -l /proc/self/fd'];
    const fds = (r: Result): string[] =>
      r.stdout
        .split('\n')
        .map((l) => / (\d+) -> (.*)$/.exec(l))
        // ls's own fd on the folder it lists is left out
        .filter((m): m is RegExpExecArray => m !== null && !/^\/proc\/\d+\/fd$/.test(m[2]))
        // stdout and stderr are new socket pairs for every run: keep only their kind
        .map((m) => `${m[1]} -> ${m[2].replace(/:\[\d+\]$/, '')}`)
        .sort();
    const extraFds: (number | 'ignore')[] = [fd3, 'ignore', fd5];
    const normalize = (r: Result): Result => ({ ...r, stdout: fds(r).join('\n') });
    // what the program has without chpst (the harness may hand on fds of its own)
    const given = fds(run('/bin/sh', list.slice(1), { extraFds }));
    const real = realpathSync(dir);
    t.ok(given.includes(`3 -> ${real}/fd3`) && given.includes(`5 -> ${real}/fd5`) && !given.some((f) => f.startsWith('4 ')), 'baseline: 3 and 5 open, 4 closed');
    const fdCases: [string, string[]][] = [
      ['chpst', list],
      ['chpst', ['-P', '-n', '1', '-o', '500', '-e', emptyEnv, '-u', 'nobody', ...list]],
      ['envdir', [emptyEnv, ...list]],
      ['setuidgid', ['nobody', ...list]],
      ['envuidgid', ['nobody', ...list]],
      ['pgrphack', list],
      ['softlimit', ['-o', '500', ...list]],
    ];
    for (const [as, args] of fdCases) same('fds', args, { as, extraFds, normalize, check: expect({ status: 0, stdout: given.join('\n') }) });
    same('the lock fd is added, the lowest free', ['-l', lk, ...list], { extraFds, normalize, check: expect({ stdout: [...given, `4 -> ${lk}`].sort().join('\n') }) });
    const closed0 = fds(run('/bin/sh', list.slice(1), { noStdin: true }));
    t.notOk(closed0.some((f) => f.startsWith('0 ')), 'baseline: fd 0 closed');
    same('fd 0 closed at start stays closed', list, { noStdin: true, normalize, check: expect({ stdout: closed0.join('\n') }) });
    same('-0 with fd 0 already closed', ['-0', 'true'], { noStdin: true, check: expect({ status: 111, stderr: 'chpst: fatal: unable to close stdin: file descriptor not open\n' }) });
  });

  t.test('errors: runit words and exit codes', async (t) => {
    const { same, expect } = helpers(t);
    same('unknown user', ['-u', 'nosuchuser', 'true'], { check: expect({ status: 111, stdout: '', stderr: 'chpst: fatal: unknown user/group: nosuchuser\n' }) });
    same('unknown user, -U', ['-U', 'nosuchuser:nogroup', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: nosuchuser:nogroup\n' }) });
    same('unknown second group', ['-u', 'nobody:nogroup:nosuchgroup', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: nobody:nogroup:nosuchgroup\n' }) });
    same('envuidgid unknown', ['nosuchuser', 'true'], { as: 'envuidgid', check: expect({ status: 111, stderr: 'chpst: fatal: unknown account: nosuchuser\n' }) });
    const bad = [['-m', '-1'], ['-o', '1.5'], ['-t', '1e3'], ['-p', ' 1'], ['-c', '0x10'], ['-r', '12k'], ['-d', '+1'], ['-f', '99999999999999999999999x'], ['-n', '--1'], ['-n', '1-'], ['-n', '+-1']];
    for (const args of bad) same('bad number', [...args, 'true'], { check: expect({ status: 100, stdout: '', stderr: /^usage: chpst \[-vVP012\]/ }) });
    for (const args of [['-a', '1x'], ['-m', '=='], ['-t', '-1'], ['-c', '=1']]) {
      same('softlimit bad number', [...args, 'true'], { as: 'softlimit', check: expect({ status: 100, stdout: '', stderr: /^usage: softlimit \[-vVP012\]/ }) });
    }

    // an envdir nobody may not read (root reads every folder): staged copies of
    // both programs, run as nobody by themselves
    const world = path.join(staged.root, 'errors');
    mkdirSync(path.join(world, 'closed'), { recursive: true });
    writeFileSync(path.join(world, 'closed', 'A'), 'a\n');
    chmodSync(path.join(world, 'closed'), 0o700);
    mkdirSync(path.join(world, 'secret'));
    writeFileSync(path.join(world, 'secret', 'KEY'), 'k\n', { mode: 0o600 });
    chmodSync(world, 0o755);
    chmodSync(path.join(world, 'secret'), 0o755);
    mkdirSync(path.join(world, 'names'), { mode: 0o755 });
    symlinkSync(staged.referenceBin('chpst') as string, path.join(world, 'names', 'envdir'));
    const pairs: [string, string][] = [
      [staged.ourBin('chpst'), staged.referenceBin('chpst') as string],
      [staged.ourBin('envdir'), path.join(world, 'names', 'envdir')],
    ];
    const cases: [0 | 1, string[], string][] = [
      [0, ['-e', 'closed', 'true'], 'chpst: fatal: unable to switch to directory: closed: access denied\n'],
      [0, ['-e', 'secret', 'true'], 'chpst: fatal: unable to read secret/KEY: access denied\n'],
      [1, ['closed', 'true'], 'chpst: fatal: unable to switch to directory: closed: access denied\n'],
      [1, ['secret', 'true'], 'chpst: fatal: unable to read secret/KEY: access denied\n'],
    ];
    for (const [which, args, stderr] of cases) {
      // chpst -u nobody (each its own) drops to nobody, then the program under test runs
      const r = [0, 1].map((who) => run(pairs[0][who], ['-u', 'nobody', pairs[which][who], ...args], { cwd: world }));
      t.same(r[0], r[1], `as nobody: ${path.basename(pairs[which][0])} ${args.join(' ')}`);
      t.same(r[0], { status: 111, stdout: '', stderr });
    }
  });
});
