// spawn(plan): the child starts clean, and exec failures come back as errors.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { spawn, waitExit, pipe, getrlimit } from '../../lib/native';
import { procStatus, procStat, openFds, procLimit, killPid, tempDir, waitFor } from '../helpers/proc';

const SLEEP = '/bin/sleep';
const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', name);

t.test('a spawned sleep starts with a clean signal state and only fds 0-2', async (t) => {
  // This test process is Node: it ignores SIGPIPE and SIGXFSZ and holds many fds.
  t.not(BigInt('0x' + procStatus(process.pid).SigIgn), 0n, 'precondition: Node ignores some signals');
  const pid = spawn({ file: SLEEP, argv: ['sleep', '60'], stdio: ['null', 'inherit', 'inherit'] });
  t.teardown(() => killPid(pid));
  const st = procStatus(pid);
  t.equal(st.SigIgn, '0000000000000000', 'no ignored signals');
  t.equal(st.SigBlk, '0000000000000000', 'no blocked signals');
  // sleep may hold its locale file open for a moment while starting: an fd we
  // leaked would stay, so wait for the start-up to pass
  await waitFor(() => openFds(pid).length <= 3, 'sleep settled').catch(() => undefined);
  t.same(openFds(pid), [0, 1, 2], 'only fds 0, 1, 2');
  const exit = waitExit(pid);
  killPid(pid, 'SIGTERM');
  t.match(await exit, { pid, code: null, signal: 'SIGTERM' });
});

t.test('the NOFILE soft limit the command was started with is given back', async (t) => {
  // Node raises its soft limit at start; the bin/ launchers record the original.
  const out = execFileSync('/bin/sh', ['-c', 'ulimit -Sn 777 && RUNITD_NOFILE_SOFT=$(ulimit -Sn) exec "$0" "$1"', process.execPath, fixture('spawn-limits.js')], { encoding: 'utf8' });
  const r = JSON.parse(out);
  t.not(r.ownSoft, 777, 'precondition: Node raised its own soft limit');
  t.equal(r.childSoft, '777', 'child has the original soft limit');
  t.equal(r.childHard, String(r.ownHard), 'hard limit untouched');
  t.equal(r.childEnvHasVar, false, 'RUNITD_NOFILE_SOFT does not leak into the child environment');
});

t.test('nofile: null keeps our own limit', async (t) => {
  const pid = spawn({ file: SLEEP, argv: ['sleep', '60'], nofile: null });
  t.teardown(() => killPid(pid));
  t.equal(procLimit(pid, 'Max open files').soft, String(getrlimit('NOFILE').soft));
});

t.test('setsid gives a new session; pgid 0 a new group in our session', async (t) => {
  const a = spawn({ file: SLEEP, argv: ['sleep', '60'], setsid: true });
  const b = spawn({ file: SLEEP, argv: ['sleep', '60'], pgid: 0 });
  const c = spawn({ file: SLEEP, argv: ['sleep', '60'] });
  t.teardown(() => [a, b, c].forEach((p) => killPid(p)));
  const me = procStat(process.pid);
  t.match(procStat(a), { session: a, pgrp: a });
  t.match(procStat(b), { session: me.session, pgrp: b });
  t.match(procStat(c), { session: me.session, pgrp: me.pgrp });
  const d = spawn({ file: SLEEP, argv: ['sleep', '60'], pgid: b });
  t.teardown(() => killPid(d));
  t.equal(procStat(d).pgrp, b, 'joins an existing group');
});

t.test('sigmask blocks exactly the signals asked for (runsv blocks TERM and CHLD for control/X)', async (t) => {
  const pid = spawn({ file: SLEEP, argv: ['sleep', '60'], sigmask: ['SIGTERM', 'SIGCHLD'] });
  t.teardown(() => killPid(pid));
  t.equal(procStatus(pid).SigBlk, '0000000000014000');
  t.equal(procStatus(pid).SigIgn, '0000000000000000');
});

t.test('stdio from fds, cwd, argv, env and PATH search', async (t) => {
  const dir = tempDir(t);
  const [r, w] = pipe();
  const out = openSync(path.join(dir, 'out'), 'w');
  const pid = spawn({
    file: 'sh',
    searchPath: '/nonexistent:/usr/bin:/bin',
    argv: ['sh', '-c', 'read line; echo "$line|$0|$1|$FOO|$(pwd)"; echo err >&2', 'zero', 'one'],
    env: { FOO: 'bar', PATH: '/usr/bin:/bin' },
    cwd: dir,
    stdio: [r, out, out],
  });
  closeSync(r);
  closeSync(out);
  writeSync(w, 'hello\n');
  closeSync(w);
  t.equal((await waitExit(pid)).code, 0);
  t.equal(readFileSync(path.join(dir, 'out'), 'utf8'), `hello|zero|one|bar|${dir}\nerr\n`);
});

t.test('spawn stays cheap with many fds open, and cwd may be /proc/self/fd/N', async (t) => {
  const dir = tempDir(t);
  const many: number[] = [];
  t.teardown(() => many.forEach((fd) => closeSync(fd)));
  for (let i = 0; i < 3000; i++) many.push(openSync('/dev/null', 'r'));
  const dirFd = openSync(dir, 'r');
  many.push(dirFd);
  const out = openSync(path.join(dir, 'pwd'), 'w');
  many.push(out);
  const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'pwd; ls /proc/self/fd | wc -l'], cwd: `/proc/self/fd/${dirFd}`, stdio: ['null', out, 'inherit'] });
  t.equal((await waitExit(pid)).code, 0);
  const [pwd, nfds] = readFileSync(path.join(dir, 'pwd'), 'utf8').trim().split('\n');
  t.equal(pwd, dir, 'the folder behind the fd');
  t.ok(Number(nfds) <= 5, `the child saw ${nfds} fds (0-2 and ls's own)`);
});

t.test('exit code 3 and death by SIGKILL are reported', async (t) => {
  const a = spawn({ file: '/bin/sh', argv: ['sh', '-c', 'exit 3'] });
  t.match(await waitExit(a), { pid: a, code: 3, signal: null, status: 3 << 8 });
  const b = spawn({ file: SLEEP, argv: ['sleep', '60'] });
  const ended = waitExit(b);
  process.kill(b, 'SIGKILL');
  t.match(await ended, { pid: b, code: null, signal: 'SIGKILL', status: 9 });
});

t.test('exec failures throw with the errno name; no child is left behind', async (t) => {
  const dir = tempDir(t);
  const notExec = path.join(dir, 'plain');
  writeFileSync(notExec, '#!/bin/sh\nexit 0\n');
  chmodSync(notExec, 0o644);
  const noShebang = path.join(dir, 'garbage');
  writeFileSync(noShebang, '\x7fELF not really\n');
  chmodSync(noShebang, 0o755);
  mkdirSync(path.join(dir, 'adir'));
  const cases: [string, Record<string, unknown>, string][] = [
    [path.join(dir, 'missing'), {}, 'ENOENT'],
    [notExec, {}, 'EACCES'],
    [noShebang, {}, 'ENOEXEC'],
    [path.join(dir, 'adir'), {}, 'EACCES'],
    ['no-such-program-here', { searchPath: '/usr/bin:/bin' }, 'ENOENT'],
  ];
  for (const [file, extra, code] of cases) {
    t.throws(() => spawn({ file, ...extra }), { code, syscall: 'execve' }, `${path.basename(file)}: ${code}`);
  }
  t.throws(() => spawn({ file: SLEEP, cwd: path.join(dir, 'nope') }), { code: 'ENOENT', syscall: 'chdir' });
  t.throws(() => spawn({ file: SLEEP, stdio: [999, 'inherit', 'inherit'] }), { code: 'EBADF' });
  t.throws(() => spawn({ file: 'x', argv: ['a\0b'] }), TypeError);
});

t.test('extraFd: the child gets our fd at the number asked for, and no other', async (t) => {
  const [r, w] = pipe(false, false);
  t.teardown(() => {
    for (const fd of [r, w]) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
    }
  });
  for (const target of [3, 5, 9]) {
    const pid = spawn({ file: '/bin/sh', argv: ['sh', '-c', `echo fd$1 >&$1; exec sleep 60`, 'sh', String(target)], extraFd: [target, w], stdio: ['null', 'inherit', 'inherit'] });
    t.teardown(() => killPid(pid));
    const buf = Buffer.alloc(16);
    const n = readSync(r, buf);
    t.equal(buf.subarray(0, n).toString(), `fd${target}\n`, `written to fd ${target}`);
    // sh first, then sleep's dynamic loader briefly holds an fd or two of its own:
    // judge the fds once sleep sleeps (state S), by what was seen then
    let seen: number[] = [];
    const settled = (): boolean => {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'latin1') !== 'sleep\x0060\x00' || procStat(pid).state !== 'S') return false;
        seen = openFds(pid);
        return seen.join() === [0, 1, 2, target].join();
      } catch {
        return false;
      }
    };
    await waitFor(settled, 'sleep settled').catch(() => undefined);
    t.same(seen, [0, 1, 2, target], `only fds 0-2 and ${target}`);
    killPid(pid);
  }
  t.throws(() => spawn({ file: SLEEP, argv: ['sleep', '1'], extraFd: [2, w] }), /extraFd target/, 'a target below 3 is refused');
});
