// runsvchdir and utmpset against runit 2.1.2's own, each run in a mount
// namespace of its own where /etc (an overlay) and /run, /var/log (tmpfs) are
// private: the paths are runit's fixed ones and the host's files stay untouched.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import t from 'tap';
import { repoRoot } from '../helpers/reference';
import { bin, namespaceSkip, openTemp } from './init-helpers';

const skip = namespaceSkip();
const refSbin = (name: string): string => path.join(repoRoot, '.reference', 'usr', 'sbin', name);
const refSkip = (name: string): string | false => {
  try {
    readFileSync(refSbin(name));
    return skip;
  } catch {
    return `reference ${name} not installed (run npm run reference)`;
  }
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  after: string;
}

// Runs `prog args` in a private mount namespace after `setup` (sh), then `report` (sh) prints the state.
function inNamespace(dir: string, setup: string, prog: string, args: string[], report: string): Run {
  const sh = path.join(dir, 'ns.sh');
  writeFileSync(sh, `set -e\n${setup}\nset +e\n"$@" >${dir}/o 2>${dir}/e; echo $? >${dir}/rc\n${report} >${dir}/after 2>&1\n`);
  const r = spawnSync('unshare', ['--mount', 'sh', sh, prog, ...args], { encoding: 'utf8', timeout: 20000 });
  if (r.status !== 0) throw new Error(`namespace setup failed: ${r.stderr}`);
  const rd = (f: string) => readFileSync(path.join(dir, f), 'utf8').split(prog).join('PROG');
  return { status: Number(rd('rc')), stdout: rd('o'), stderr: rd('e'), after: rd('after') };
}

t.test('runsvchdir: as runit 2.1.2', { skip: refSkip('runsvchdir') }, async (t) => {
  const dir = openTemp(t);
  // /etc/runit/runsvdir with levels a (current) and b, and a plain file
  const setup = [
    `mkdir -p ${dir}/ov; mount -t tmpfs ov ${dir}/ov; mkdir ${dir}/ov/up ${dir}/ov/work`,
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/ov/up,workdir=${dir}/ov/work /etc`,
    'mkdir -p /etc/runit/runsvdir/a /etc/runit/runsvdir/b; ln -s a /etc/runit/runsvdir/current; touch /etc/runit/runsvdir/file',
    'cd /',
  ].join('\n');
  const report = 'echo "current=$(readlink /etc/runit/runsvdir/current) previous=$(readlink /etc/runit/runsvdir/previous)"';
  for (const args of [['b'], ['a'], ['.hidden'], ['missing'], ['file'], []]) {
    const ours = inNamespace(dir, setup, bin('runsvchdir'), args, report);
    const theirs = inNamespace(dir, setup, refSbin('runsvchdir'), args, report);
    t.same(ours, theirs, `runsvchdir ${args.join(' ')}: ${JSON.stringify(theirs)}`);
  }
  // RUNIT_DIR moves /etc/runit
  const moved = inNamespace(dir, `mkdir -p ${dir}/r/runsvdir/x ${dir}/r/runsvdir/y; ln -s x ${dir}/r/runsvdir/current`, 'env', [`RUNIT_DIR=${dir}/r`, bin('runsvchdir'), 'y'], `readlink ${dir}/r/runsvdir/current ${dir}/r/runsvdir/previous`);
  t.same([moved.status, moved.stdout, moved.after], [0, 'runsvchdir: y: now current.\n', 'y\nx\n'], 'RUNIT_DIR/runsvdir with RUNIT_DIR set');
});

t.test('utmpset: as runit 2.1.2', { skip: refSkip('utmpset') }, async (t) => {
  const dir = openTemp(t);
  // two login records (struct utmp, 384 bytes): a getty on tty1 and root on tty9
  const rec = (type: number, pid: number, line: string, user: string, host: string): Buffer => {
    const b = Buffer.alloc(384);
    b.writeInt16LE(type, 0);
    b.writeInt32LE(pid, 4);
    b.write(line, 8);
    b.write(user, 44);
    b.write(host, 76);
    b.writeInt32LE(1000, 340);
    return b;
  };
  writeFileSync(path.join(dir, 'utmp'), Buffer.concat([rec(6, 10, 'tty1', 'LOGIN', ''), rec(7, 11, 'tty9', 'root', 'example')]));
  const setup = `mount -t tmpfs run /var/run; mount -t tmpfs log /var/log; cp ${dir}/utmp /var/run/utmp`;
  // the records with their time field (ut_tv.tv_sec) masked: the runs are seconds apart
  const report = `for f in /var/run/utmp /var/log/wtmp; do [ -f $f ] && od -An -v -tx1 $f | tr -d ' \\n' | sed -E 's/(.{680}).{8}(.{80})/\\1TTTTTTTT\\2/g'; echo " $f"; done`;
  for (const args of [['-w', 'tty9'], ['tty9'], ['-w', 'tty5'], [], ['-x', 'tty9']]) {
    const ours = inNamespace(dir, setup, bin('utmpset'), args, report);
    const theirs = inNamespace(dir, setup, refSbin('utmpset'), args, report);
    t.same(ours, theirs, `utmpset ${args.join(' ')}: exit ${theirs.status} ${JSON.stringify(theirs.stderr)}`);
  }
});
