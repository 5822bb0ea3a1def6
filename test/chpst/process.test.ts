// What the exec'd program inherits: the same pid (chpst execs in place), the signal
// state and stdio flags chpst was started with; and the lock behaviour, side by
// side with runit's chpst while another process holds the lock. (The environment
// and fds passed through are compared in compare.test.ts.)
import t from 'tap';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { alive, killPid, procStatus, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

// chpst is started directly: its pid is the one the program must run as
function start(cmd: string, args: readonly string[], stdio: ('pipe' | 'ignore')[] = ['ignore', 'pipe', 'pipe']): Started {
  const child = spawn(cmd, args, { stdio });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

function runSync(cmd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('the program replaces chpst: same pid, clean state', async (t) => {
  const dir = tempDir(t, 'runitd-chpst-');
  mkdirSync(path.join(dir, 'env', 'SUB'), { recursive: true });
  // -v with a subdirectory makes chpst write a warning to stderr before it execs
  // the signal state is read by the program itself (exec'd by sh): a shell blocks
  // every signal while it waits for a child, so sh's own status would be a race
  const probe = 'echo $$ $PPID; exec grep -E "^(SigBlk|SigIgn|flags)" /proc/self/status /proc/self/fdinfo/0 /proc/self/fdinfo/1 /proc/self/fdinfo/2';
  for (const who of ['ours', 'runit']) {
    const bin = who === 'ours' ? ourBin('chpst') : referenceBin('chpst');
    if (!bin) continue;
    const p = start(bin, ['-v', '-e', path.join(dir, 'env'), '-P', 'sh', '-c', probe], ['pipe', 'pipe', 'pipe']);
    const code = await p.exit;
    t.equal(code, 0, `${who}: exit 0`);
    t.match(p.err(), /warning: unable to read .*SUB: is a directory/, `${who}: warned first`);
    const lines = p.out().trim().split('\n');
    const [pid, ppid] = lines[0].split(' ').map(Number);
    t.equal(pid, p.child.pid, `${who}: the program runs as the pid that was started`);
    t.equal(ppid, process.pid, `${who}: and is our child, not a grandchild`);
    t.same(lines.slice(1, 3), ['/proc/self/status:SigBlk:\t0000000000000000', '/proc/self/status:SigIgn:\t0000000000000000'], `${who}: nothing blocked or ignored`);
    t.equal(lines.length, 6);
    for (const [i, l] of lines.slice(3).entries()) {
      const flags = parseInt(l.split(/\s+/)[1], 8);
      t.equal(flags & 0o4000, 0, `${who}: fd ${i} is blocking`);
    }
  }
});

t.test('bin/chpst and its personalities are one native executable', async (t) => {
  const real = ourBin('chpst');
  t.same([...readFileSync(real).subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'bin/chpst leads to an ELF file, not a script');
  for (const p of ['envdir', 'envuidgid', 'pgrphack', 'setuidgid', 'softlimit', 'setlock']) {
    t.equal(statSync(ourBin(p)).ino, statSync(real).ino, `bin/${p} is chpst`);
  }
});

/** /proc/locks lines about `file`: holders `WRITE pid`, waiters `-> ... WRITE pid`. */
function locksOn(file: string): { holders: number[]; waiters: number[] } {
  let ino: number;
  try {
    ino = statSync(file).ino;
  } catch {
    return { holders: [], waiters: [] };
  }
  const holders: number[] = [];
  const waiters: number[] = [];
  for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
    const m = /^\d+:\s+(->\s+)?FLOCK\s+ADVISORY\s+WRITE\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (!m || Number(m[3]) !== ino) continue;
    (m[1] ? waiters : holders).push(Number(m[2]));
  }
  return { holders, waiters };
}

t.test('locks', referenceSkip('chpst'), async (t) => {
  const dir = tempDir(t, 'runitd-chpst-');
  const refDir = path.join(dir, 'ref');
  mkdirSync(refDir);
  for (const n of ['chpst', 'setlock']) symlinkSync(referenceBin('chpst') as string, path.join(refDir, n));
  const lk = path.join(dir, 'lk');
  const started: Started[] = [];
  t.teardown(() => {
    for (const s of started) if (s.child.pid) killPid(s.child.pid);
  });
  const go = (bin: string, args: string[]): Started => {
    const s = start(bin, args);
    started.push(s);
    return s;
  };

  // our chpst takes the lock and the program it execs keeps holding it
  const holder = go(ourBin('chpst'), ['-l', lk, 'sleep', '120']);
  const hpid = holder.child.pid as number;
  await waitFor(() => locksOn(lk).holders.includes(hpid), 'the program to hold the lock');
  t.equal(statSync(lk).mode & 0o777, 0o600, 'lock file created 0600');

  for (const [who, bin, sl] of [
    ['ours', ourBin('chpst'), ourBin('setlock')],
    ['runit', path.join(refDir, 'chpst'), path.join(refDir, 'setlock')],
  ]) {
    const r = runSync(bin, ['-L', lk, 'true']);
    t.same(r, { status: 111, stdout: '', stderr: `chpst: fatal: unable to lock: ${lk}: temporary failure\n` }, `${who}: -L fails at once`);
    t.same(runSync(sl, [lk, 'true']), r, `${who}: setlock (runit's) fails at once by default`);
    t.same(runSync(sl, ['-x', lk, 'true']), { status: 0, stdout: '', stderr: '' }, `${who}: setlock -x exits 0 silently`);
  }

  // -l and setlock -n wait until the holder is gone
  const waiters = [
    go(ourBin('chpst'), ['-l', lk, 'echo', 'ours got it']),
    go(path.join(refDir, 'chpst'), ['-l', lk, 'echo', 'runit got it']),
    go(ourBin('setlock'), ['-n', lk, 'echo', 'our setlock got it']),
    go(path.join(refDir, 'setlock'), ['-n', lk, 'echo', 'runit setlock got it']),
  ];
  const wpids = waiters.map((w) => w.child.pid as number);
  await waitFor(() => {
    const w = locksOn(lk).waiters;
    return wpids.every((p) => w.includes(p));
  }, 'all four to block on the lock');
  t.ok(wpids.every(alive), 'all still waiting');
  t.equal(procStatus(wpids[0]).State[0], 'S', 'ours sleeps in flock');
  // caught before its exec: the process is chpst itself, no shell or runtime around it
  t.equal(readlinkSync(`/proc/${wpids[0]}/exe`), realpathSync(ourBin('chpst')), 'the waiting process runs build/Release/chpst');
  t.notMatch(readFileSync(`/proc/${wpids[0]}/maps`, 'utf8'), /\/(node|libnode[^/]*)$/m, 'no Node mapped in');
  killPid(hpid, 'SIGTERM');
  t.equal(await holder.exit, null, 'holder killed');
  const codes = await Promise.all(waiters.map((w) => w.exit));
  t.same(codes, [0, 0, 0, 0], 'each got the lock once it was free');
  t.same(
    waiters.map((w) => w.out()),
    ['ours got it\n', 'runit got it\n', 'our setlock got it\n', 'runit setlock got it\n'],
  );
});
