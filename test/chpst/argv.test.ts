// The command line, side by side with runit's chpst: djb's option parser, numbers as
// scan_ulong reads them, the USER syntax, the environment merge, the order in which
// the changes are made, usage texts and the argv[0] names. Each case also states
// runit's known answer, so both cannot be equally wrong.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { referenceSkip } from '../helpers/reference';
import { sideBySide } from './chpst-helpers';

const USAGE =
  ' [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n\n';
const usage = (name: string) => `usage: ${name}${USAGE}`;
const ENV = { PATH: process.env.PATH };

t.test('the command line, side by side with runit chpst', referenceSkip('chpst'), async (t) => {
  const dir = tempDir(t, 'runitd-chpst-argv-');

  t.test('sgetopt', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    const id = 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n';
    same('argument in the same word', ['-unobody', 'id'], { check: expect({ status: 0, stdout: id }) });
    same('bundled, argument in the next word', ['-vPu', 'nobody', 'id'], { check: expect({ status: 0, stdout: id }) });
    same('an argument may start with -', ['-u', '-v', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: -v\n' }) });
    same('an empty word is an argument', ['-u', '', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: \n' }) });
    same('-- is consumed', ['--', '-v'], { check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: -v: file does not exist\n' }) });
    same('--anything is consumed like --', ['--foo', 'sh', '-c', 'echo ran'], { check: expect({ status: 0, stdout: 'ran\n' }) });
    same('a lone - is the program', ['-', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: -: file does not exist\n' }) });
    same('options end at the first operand', ['sh', '-c', 'echo "$0" "$1"', '-u', 'x'], { check: expect({ status: 0, stdout: '-u x\n' }) });
    same('illegal after a valid one', ['-vx', 'true'], { check: expect({ status: 100, stderr: `chpst: illegal option -- x\n${usage('chpst')}` }) });
    same('a colon is never an option', ['-:', 'true'], { check: expect({ status: 100, stderr: `chpst: illegal option -- :\n${usage('chpst')}` }) });
    same('missing argument at the end', ['-v', '-u'], { check: expect({ status: 100, stderr: `chpst: option requires an argument -- u\n${usage('chpst')}` }) });
    same('the first problem wins', ['-d', '12x', '-x'], { check: expect({ status: 100, stderr: usage('chpst') }) });
    same('the same option twice: the last wins', ['-u', 'daemon', '-u', 'nobody', 'id'], { check: expect({ stdout: id }) });
  });

  t.test('numbers', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    const lim = ['cat', '/proc/self/limits'];
    same('no sign', ['-o', '+1', 'true'], { check: expect({ status: 100, stderr: usage('chpst') }) });
    same('an empty number is 0', ['-c', '', ...lim], { check: expect({ status: 0, stdout: /^Max core file size\s+0\s/m }) });
    same('leading zeros', ['-c', '000123', ...lim], { check: expect({ status: 0, stdout: /^Max core file size\s+123\s/m }) });
    same('softlimit = is the hard limit', ['-o', '=', ...lim], { as: 'softlimit', lowNofile: true, check: expect({ status: 0, stdout: /^Max open files\s+(\d+)\s+\1\s/m }) });
    const nice = ['sh', '-c', 'cut -d" " -f19 /proc/$$/stat'];
    same('-n 0 is not applied', ['-n', '0', ...nice], { check: expect({ stdout: '0\n' }) });
    same('-n keeps the low 32 bits', ['-n', '4294967299', ...nice], { check: expect({ stdout: '3\n' }) });
    same('-n -2^32+2', ['-n', '-4294967294', ...nice], { check: expect({ stdout: '2\n' }) });
  });

  t.test('USER syntax', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    same('ids keep 32 bits', ['-u', ':4294967297:4294967298', 'id'], { check: expect({ status: 0, stdout: 'uid=1(daemon) gid=2(bin) groups=2(bin)\n' }) });
    const sixty = Array.from({ length: 60 }, (_, i) => String(i + 1));
    same('60 groups', ['-u', `:1:${sixty.join(':')}:`, 'sh', '-c', 'id -G'], { check: expect({ status: 0, stdout: `${sixty.join(' ')}\n` }) });
    same('61 groups', ['-u', `:1:${sixty.join(':')}:61`, 'true'], { check: expect({ status: 111, stderr: `chpst: fatal: invalid uid/gids: 1:${sixty.join(':')}:61\n` }) });
    same('trailing garbage', ['-u', ':1:2x', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: invalid uid/gids: 1:2x\n' }) });
    same('a group name list', ['-u', 'nobody:daemon:bin:nogroup', 'id'], { check: expect({ stdout: 'uid=65534(nobody) gid=1(daemon) groups=1(daemon),2(bin),65534(nogroup)\n' }) });
    same('-U with a group', ['-U', 'nobody:daemon', 'sh', '-c', 'echo $UID $GID'], { check: expect({ stdout: '65534 1\n' }) });
    same('personalities take a plain name only', ['-x', 'prog'], { as: 'setuidgid', check: expect({ status: 111, stderr: 'chpst: fatal: unknown account: -x\n' }) });
    same('envuidgid: primary group only', ['nobody', 'sh', '-c', 'echo $UID $GID'], { as: 'envuidgid', check: expect({ stdout: '65534 65534\n' }) });
  });

  t.test('the environment merge', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    const env = { A: '1', B: '2', C: '3', BB: '9', PATH: process.env.PATH };
    const e = path.join(dir, 'merge');
    mkdirSync(e);
    writeFileSync(path.join(e, 'B'), 'x\n');
    // a removed entry's slot takes the last entry; set values are appended
    same('set', [e, '/usr/bin/env'], { as: 'envdir', env, check: expect({ stdout: `A=1\nPATH=${env.PATH}\nC=3\nBB=9\nB=x\n` }) });
    writeFileSync(path.join(e, 'A'), '');
    // (in readdir order: A then B, or B then A)
    const p = `PATH=${env.PATH}`;
    const either = [`${p}\nBB=9\nC=3\nB=x\n`, `B=x\n${p}\nC=3\nBB=9\n`];
    same('unset, then set', [e, '/usr/bin/env'], { as: 'envdir', env, check: (r) => t.ok(either.includes(r.stdout), `one of the two orders: ${JSON.stringify(r.stdout)}`) });
    // UID=0 goes first: the last entry (GID=8, just appended) takes its slot
    same('-U after -e', ['-e', e, '-U', ':7:8', '/usr/bin/env'], { env: { UID: '0', ...env }, check: expect({ stdout: /^GID=8\n(.*\n)+UID=7\n$/ }) });
    same('an absent name changes nothing', ['-U', ':7:8', '/usr/bin/env'], { env: ENV, check: expect({ stdout: `PATH=${ENV.PATH}\nGID=8\nUID=7\n` }) });
  });

  t.test('the order of the changes', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const outside = path.join(dir, 'outside-env');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'X'), 'read before the chroot\n');
    same('-e is read before -/, whatever the option order', ['-/', root, '-e', outside, '/nonexistent'], {
      check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: /nonexistent: file does not exist\n' }),
    });
    same('-e relative to the cwd, -/ after it', ['-e', 'outside-env', '-/', 'root', '/x'], { cwd: dir, check: expect({ status: 111, stderr: 'chpst: fatal: unable to run: /x: file does not exist\n' }) });
    same('-e fails before -/ is tried', ['-/', path.join(dir, 'noroot'), '-e', path.join(dir, 'noenv'), 'true'], { check: expect({ status: 111, stderr: /unable to switch to directory: .*noenv: file does not exist/ }) });
    same('-/ before -n, -U, -u', ['-u', 'nosuch', '-n', '-1', '-/', path.join(dir, 'noroot'), 'true'], { check: expect({ status: 111, stderr: /unable to change directory: .*noroot: / }) });
    same('-U before -u', ['-u', 'nosuchB', '-U', 'nosuchA', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: nosuchA\n' }) });
    same('-u before the lock', ['-L', path.join(dir, 'nodir', 'lk'), '-u', 'nosuch', 'true'], { check: expect({ status: 111, stderr: 'chpst: fatal: unknown user/group: nosuch\n' }) });
    same('the lock before -2 (its error still shows)', ['-2', '-L', path.join(dir, 'nodir', 'lk'), 'true'], { check: expect({ status: 111, stderr: /^chpst: fatal: unable to open lock: / }) });
    same('-2 before exec (its error is lost)', ['-2', '/nonexistent'], { check: expect({ status: 111, stderr: '' }) });
    same('-b names only argv[0]', ['-b', 'other', 'sh', '-c', 'echo "$0"'], { check: expect({ stdout: 'other\n' }) });
  });

  t.test('argv[0] names', async (t) => {
    const { same, expect } = sideBySide(t, dir);
    same('a leading d is dropped', ['nobody', 'id', '-u'], { as: 'dsetuidgid', check: expect({ stdout: '65534\n' }) });
    same('denvdir', [path.join(dir, 'nodir'), 'true'], { as: 'denvdir', check: expect({ status: 111, stderr: /unable to switch to directory/ }) });
    same('only one d is dropped', ['-x'], { as: 'ddenvdir', check: expect({ status: 100, stderr: `ddenvdir: illegal option -- x\n${usage('denvdir')}` }) });
    same('getopt says the basename, usage drops the d', ['-x'], { as: 'dchpst', check: expect({ status: 100, stderr: `dchpst: illegal option -- x\n${usage('chpst')}` }) });
    same('any other name is chpst', [], { as: 'foo', check: expect({ status: 100, stderr: usage('foo') }) });
    same('setuidgid usage', ['nobody'], { as: 'setuidgid', check: expect({ status: 100, stderr: 'usage: setuidgid account child\n\n' }) });
    same('envuidgid usage', [], { as: 'envuidgid', check: expect({ status: 100, stderr: 'usage: envuidgid account child\n\n' }) });
    same('envdir usage', [dir], { as: 'envdir', check: expect({ status: 100, stderr: 'usage: envdir dir child\n\n' }) });
    same('pgrphack usage', [], { as: 'pgrphack', check: expect({ status: 100, stderr: 'usage: pgrphack child\n\n' }) });
    const setlockUsage = 'usage: setlock [ -nNxX ] file program [ arg ... ]\n\n';
    same('setlock usage', [path.join(dir, 'lk')], { as: 'setlock', check: expect({ status: 100, stderr: setlockUsage }) });
    same('setlock illegal option', ['-z', 'f', 'p'], { as: 'setlock', check: expect({ status: 100, stderr: `setlock: illegal option -- z\n${setlockUsage}` }) });
    same('setlock -nN: the last wins', ['-nN', path.join(dir, 'lk'), 'true'], { as: 'setlock', check: expect({ status: 0 }) });
    same('setlock -xX: failures are fatal again', ['-xX', path.join(dir, 'nodir', 'lk'), 'true'], { as: 'setlock', check: expect({ status: 111 }) });
    const softUsage =
      'usage: softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child\n\n';
    same('softlimit usage', ['-o', '5'], { as: 'softlimit', check: expect({ status: 100, stderr: softUsage }) });
    same('softlimit illegal option', ['-z', '1', 'true'], { as: 'softlimit', check: expect({ status: 100, stderr: `softlimit: illegal option -- z\n${softUsage}` }) });
    same('softlimit missing argument', ['-o'], { as: 'softlimit', check: expect({ status: 100, stderr: `softlimit: option requires an argument -- o\n${softUsage}` }) });
    same('softlimit -m then -d', ['-m', '300000000', '-d', '5000000', 'cat', '/proc/self/limits'], {
      as: 'softlimit',
      check: expect({ stdout: /^Max data size\s+5000000\s.*\n(.*\n)*Max address space\s+300000000\s/m }),
    });
  });
});
