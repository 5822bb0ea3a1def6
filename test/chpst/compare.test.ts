// Our chpst and its personalities side by side with runit's: the same command line,
// the same stdout, stderr and exit code.
import t, { Test as Tap } from 'tap';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stageForOtherUsers } from '../helpers/as-user';
import { tempDir } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

const PERSONALITIES = ['setuidgid', 'envuidgid', 'envdir', 'pgrphack', 'setlock', 'softlimit'];
const ref = referenceBin('chpst');

type Result = { status: number | null; stdout: string; stderr: string };
interface RunOpts {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** run through `sh -c 'ulimit -Sn 1000; exec "$@"'` so a changed NOFILE soft limit shows */
  lowNofile?: boolean;
}

// tap's NODE_OPTIONS hooks would load into our chpst (a Node program) and rewrite
// its environment: run both as they would run outside the test harness.
const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('_TAPJS_')),
);

function run(cmd: string, args: readonly string[], opts: RunOpts = {}): Result {
  const argv = opts.lowNofile ? ['/bin/sh', '-c', 'ulimit -Sn 1000; exec "$@"', 'sh', cmd, ...args] : [cmd, ...args];
  // env -i with the exact environment: tap adds its own variables to every child
  const env = Object.entries(opts.env ?? baseEnv).map(([k, v]) => `${k}=${v}`);
  const r: SpawnSyncReturns<string> = spawnSync('/usr/bin/env', ['-i', ...env, ...argv], {
    cwd: opts.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('side by side with runit chpst', referenceSkip('chpst'), async (t) => {
  const dir = tempDir(t, 'runitd-chpst-');
  const staged = stageForOtherUsers(t);
  // runit's personalities: its chpst under the other names (daemontools' own
  // envdir/setlock... in the reference folder are different programs)
  const refDir = path.join(dir, 'ref');
  mkdirSync(refDir);
  for (const p of ['chpst', ...PERSONALITIES]) symlinkSync(ref as string, path.join(refDir, p));

  type SameOpts = RunOpts & { as?: string; check?: (r: Result) => void };
  // each subtest reports through its own t
  const helpers = (t: Tap) => ({
    /** runs ours and runit's with the same arguments: same status, stdout, stderr */
    same(name: string, args: readonly string[], opts: SameOpts = {}): void {
      const as = opts.as ?? 'chpst';
      const ours = run(ourBin(as), args, opts);
      const theirs = run(path.join(refDir, as), args, opts);
      t.same(ours, theirs, `${name}: ${as} ${args.join(' ')}`);
      opts.check?.(ours);
    },
    /** and what runit's answer is known to be, so that both cannot be equally wrong */
    expect: (want: Partial<Record<keyof Result, unknown>>) => (r: Result) => t.match(r, want),
  });

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
    // (not PATH= alone: our launcher itself needs PATH to find node)
    same('empty PATH element is the cwd', ['prog'], { cwd: dir, env: { ...baseEnv, PATH: `:${baseEnv.PATH}` }, check: expect({ stdout: 'cwd prog\n' }) });
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
    for (const who of ['ours', 'theirs']) {
      const bin = who === 'ours' ? ourBin('chpst') : path.join(refDir, 'chpst');
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
});
