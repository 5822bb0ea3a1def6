// The syscall wrappers: real effects, and Node-style errors (code, syscall).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync, readSync } from 'node:fs';
import * as path from 'node:path';
import * as native from '../../lib/native';
import { tempDir, killPid, procStat } from '../helpers/proc';

const distNative = path.join(__dirname, '..', '..', 'dist', 'native.js');

function inChild(js: string): string {
  return execFileSync(process.execPath, ['-e', `const native = require(${JSON.stringify(distNative)});\n${js}`], { encoding: 'utf8', timeout: 30000 });
}

t.test('flock: a second exclusive non-blocking lock from another process fails with EWOULDBLOCK', async (t) => {
  const lock = path.join(tempDir(t), 'lock');
  const fd = openSync(lock, 'a');
  t.teardown(() => closeSync(fd));
  native.flock(fd, 'ex', true);
  const tryLock = `const fd = require('fs').openSync(${JSON.stringify(lock)}, 'a');
    try { native.flock(fd, process.argv[1] || 'ex', true); console.log('locked'); }
    catch (e) { console.log(e.code + ' ' + e.syscall); }`;
  t.equal(inChild(tryLock).trim(), 'EWOULDBLOCK flock');
  t.equal(execFileSync(process.execPath, ['-e', `const native = require(${JSON.stringify(distNative)});${tryLock}`, 'sh'], { encoding: 'utf8' }).trim(), 'EWOULDBLOCK flock', 'shared lock also refused');
  native.flock(fd, 'un');
  t.equal(inChild(tryLock).trim(), 'locked', 'free again after unlock');
  native.flock(fd, 'sh', true);
  t.equal(execFileSync(process.execPath, ['-e', `const native = require(${JSON.stringify(distNative)});${tryLock}`, 'sh'], { encoding: 'utf8' }).trim(), 'locked', 'two shared locks coexist');
  t.throws(() => native.flock(9999, 'ex', true), { code: 'EBADF', syscall: 'flock' });
});

t.test('threads keep one fd table: an fd opened in the threadpool works on the main thread', async (t) => {
  const { promises: fsp } = await import('node:fs');
  const fh = await fsp.open(path.join(tempDir(t), 'lock'), 'a');
  t.teardown(() => fh.close());
  t.doesNotThrow(() => native.flock(fh.fd, 'ex', true));
  const tasks = require('node:fs').readdirSync('/proc/self/task');
  const tables = new Set(tasks.map((tid: string) => require('node:fs').readdirSync(`/proc/self/task/${tid}/fd`).sort().join(',')));
  t.equal(tables.size, 1, `all ${tasks.length} threads see the same fds`);
});

t.test('makeFifo makes a FIFO with the mode asked off the loop; EEXIST and what the name is are reported', async (t) => {
  const dir = tempDir(t);
  const fifo = path.join(dir, 'control');
  const old = process.umask(0o022);
  t.teardown(() => process.umask(old));
  t.same(await native.makeFifo(fifo, 0o600), { made: null, stat: { isFifo: true, error: null } });
  const st = statSync(fifo);
  t.ok(st.isFIFO());
  t.equal(st.mode & 0o777, 0o600);
  const again = await native.makeFifo(fifo, 0o600);
  t.match(again.made, { code: 'EEXIST', syscall: 'mkfifo', path: fifo }, 'an existing FIFO: EEXIST');
  t.same(again.stat, { isFifo: true, error: null }, 'and the name is a FIFO');
  const file = path.join(dir, 'file');
  writeFileSync(file, 'x');
  const taken = await native.makeFifo(file, 0o600);
  t.match(taken.made, { code: 'EEXIST' });
  t.same(taken.stat, { isFifo: false, error: null }, 'a plain file in its place: not a FIFO');
  const nowhere = await native.makeFifo(path.join(dir, 'none', 'control'), 0o600);
  t.match(nowhere.made, { code: 'ENOENT', syscall: 'mkfifo' });
  t.match(nowhere.stat, { isFifo: false, error: { code: 'ENOENT', syscall: 'stat' } }, 'no folder: both fail');
});

t.test('kill and killpg deliver signals; errors carry the errno name', async (t) => {
  const pid = native.spawn({ file: '/bin/sleep', argv: ['sleep', '60'], pgid: 0 });
  t.teardown(() => killPid(pid));
  const ended = native.waitExit(pid);
  native.kill(pid, 0);
  native.killpg(pid, 'TERM');
  t.equal((await ended).signal, 'SIGTERM');
  t.throws(() => native.kill(pid, 'TERM'), { code: 'ESRCH', syscall: 'kill' });
  t.throws(() => native.kill(1, 'NOSUCHSIG'), TypeError);
});

t.test('getrlimit/setrlimit round-trip, Infinity for unlimited', async (t) => {
  const out = inChild(`
    const before = native.getrlimit('CORE');
    native.setrlimit('CORE', 4096, before.hard);
    const after = native.getrlimit('CORE');
    native.setrlimit('NOFILE', 100, 200);
    const nofile = native.getrlimit('NOFILE');
    let err; try { native.setrlimit('NOFILE', 300, 200); } catch (e) { err = e.code; }
    const lim = require('fs').readFileSync('/proc/self/limits', 'utf8').split('\\n').find(l => l.startsWith('Max core file size'));
    console.log(JSON.stringify({ before, after, nofile, err, lim }));`);
  const r = JSON.parse(out);
  t.equal(r.after.soft, 4096);
  t.match(r.lim, /Max core file size\s+4096\s/);
  t.same(r.nofile, { soft: 100, hard: 200 });
  t.equal(r.err, 'EINVAL', 'soft above hard is refused with EINVAL');
  t.equal(native.getrlimit('AS').soft, Infinity, 'unlimited is Infinity');
});

t.test('nice, setpriority and setsid in a child process', async (t) => {
  const r = JSON.parse(inChild(`
    const n = native.nice(5);
    const p = native.getpriority(native.PRIO.PROCESS, 0);
    const sid = native.setsid();
    let again; try { native.setsid(); } catch (e) { again = e.code; }
    console.log(JSON.stringify({ n, p, sid, pid: process.pid, again }));`));
  t.equal(r.n, 5);
  t.equal(r.p, 5);
  t.equal(r.sid, r.pid);
  t.equal(r.again, 'EPERM', 'a session leader cannot setsid again');
});

t.test('setuid/setgid/setgroups/initgroups drop privileges (child process)', async (t) => {
  const nobody = native.getpwnam('nobody');
  if (!nobody) return t.skip('no user nobody');
  const r = JSON.parse(inChild(`
    const pw = native.getpwnam('nobody');
    native.setgroups([]);
    native.initgroups('nobody', pw.gid);
    native.setgid(pw.gid);
    native.setuid(pw.uid);
    let err; try { native.setuid(0); } catch (e) { err = e.code + ' ' + e.syscall; }
    const st = require('fs').readFileSync('/proc/self/status', 'utf8');
    console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), err,
      allThreads: require('fs').readdirSync('/proc/self/task').every(tid => /Uid:\\t(\\d+)\\t\\1\\t\\1\\t\\1/.test(require('fs').readFileSync('/proc/self/task/' + tid + '/status', 'utf8')) ) }));`));
  t.equal(r.uid, nobody.uid);
  t.equal(r.gid, nobody.gid);
  t.same(r.groups, native.getgrouplist('nobody', nobody.gid));
  t.equal(r.err, 'EPERM setuid');
  t.ok(r.allThreads, 'every thread of the process changed uid');
});

t.test('getpwnam/getgrnam/getgrouplist', async (t) => {
  t.match(native.getpwnam('root'), { name: 'root', uid: 0, gid: 0, dir: '/root' });
  t.equal(native.getpwnam('no-such-user-runitd'), null);
  t.match(native.getgrnam('root'), { name: 'root', gid: 0 });
  t.equal(native.getgrnam('no-such-group-runitd'), null);
  t.ok(native.getgrouplist('root', 0).includes(0));
});

t.test('spawn with uid/gid/groups runs the child as that user', async (t) => {
  const nobody = native.getpwnam('nobody');
  if (!nobody) return t.skip('no user nobody');
  const pid = native.spawn({ file: '/bin/sleep', argv: ['sleep', '60'], uid: nobody.uid, gid: nobody.gid, groups: [] });
  t.teardown(() => killPid(pid));
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  t.match(st, new RegExp(`Uid:\\t${nobody.uid}\\t${nobody.uid}\\t${nobody.uid}\\t${nobody.uid}`));
  t.match(st, new RegExp(`Gid:\\t${nobody.gid}\\t${nobody.gid}\\t${nobody.gid}\\t${nobody.gid}`));
  t.match(st, /Groups:\s*\n/);
  t.equal(process.getuid?.(), 0, 'and we are still root');
});

t.test('pipe, setNonblock, setCloexec', async (t) => {
  const [r, w] = native.pipe({ nonblockRead: true });
  t.teardown(() => {
    closeSync(r);
    closeSync(w);
  });
  const flags = (fd: number): number => parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1], 8);
  t.ok(flags(r) & 0o4000, 'read end non-blocking');
  t.notOk(flags(w) & 0o4000, 'write end blocking');
  t.ok(flags(r) & 0o2000000, 'close-on-exec');
  t.throws(() => readSync(r, Buffer.alloc(1)), { code: 'EAGAIN' });
  writeSync(w, 'x');
  t.equal(readSync(r, Buffer.alloc(1)), 1);
  native.setNonblock(r, false);
  t.notOk(flags(r) & 0o4000);
  native.setCloexec(w, false);
  t.notOk(flags(w) & 0o2000000);
});

t.test('dup gives a close-on-exec fd for the same pipe', async (t) => {
  const [r, w] = native.pipe();
  const d = native.dup(r);
  t.teardown(() => [r, w, d].forEach((fd) => closeSync(fd)));
  t.ok(d > 2 && d !== r);
  const flags = parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${d}`, 'utf8'))![1], 8);
  t.ok(flags & 0o2000000, 'O_CLOEXEC set');
  writeSync(w, 'ab');
  const buf = Buffer.alloc(2);
  t.equal(readSync(d, buf), 2);
  t.equal(buf.toString(), 'ab', 'reads the same pipe');
  t.throws(() => native.dup(9999), { code: 'EBADF', syscall: 'dup' });
});

t.test('pidfd_open gives an fd for a live process, ESRCH for a dead one', async (t) => {
  const pid = native.spawn({ file: '/bin/sleep', argv: ['sleep', '60'] });
  const ended = native.waitExit(pid);
  const fd = native.pidfdOpen(pid);
  t.match(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'), new RegExp(`Pid:\\s+${pid}`));
  closeSync(fd);
  native.kill(pid, 'KILL');
  await ended;
  t.throws(() => native.pidfdOpen(pid), { code: 'ESRCH', syscall: 'pidfd_open' });
});

t.test('chroot confines a child process', async (t) => {
  const dir = tempDir(t);
  const r = inChild(`native.chroot(${JSON.stringify(dir)}); process.chdir('/'); console.log(require('fs').readdirSync('/').length);`);
  t.equal(r.trim(), '0', 'the new root is the empty temp folder');
  t.throws(() => native.chroot(path.join(dir, 'missing')), { code: 'ENOENT', syscall: 'chroot' });
  void procStat;
});
