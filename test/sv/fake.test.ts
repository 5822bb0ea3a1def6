// sv against hand-made supervise/ folders: exact status bytes runsv would rarely
// or never write, FIFOs with or without a reader, folders vanishing mid-wait.
// The test process plays runsv by holding the FIFOs open; it reads back what sv
// wrote to control. Runit's sv and ours run on twin folders and must agree.
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { encodeStatus, StatusRecord } from '../../lib/supervise/status';
import { tempDir, killPid, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

interface Result {
  out: string;
  err: string;
  rc: number | null;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    const start = Date.now();
    // env(1) drops the loader tap's processinfo hook adds to NODE_OPTIONS
    const e = { ...process.env, ...env };
    if (!('SVWAIT' in env)) delete e.SVWAIT;
    const child = spawn('env', ['-u', 'NODE_OPTIONS', cmd, ...args], {
      cwd,
      env: e,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => killPid(child.pid!), 30000);
    child.on('close', (rc) => {
      clearTimeout(timer);
      resolve({ out, err, rc, ms: Date.now() - start });
    });
  });
}

const norm = (s: string) => s.replace(/\(pid \d+\)/g, '(pid N)').replace(/\b\d+s\b/g, 'Ns');

const now = () => Math.floor(Date.now() / 1000);
const rec = (o: Partial<StatusRecord> = {}): Buffer =>
  encodeStatus({ time: { sec: now() - 5, nsec: 500 }, pid: 0, paused: false, want: 'u', termSent: false, state: 0, ...o });

/** A service folder whose supervise/ the test controls. */
class Fake {
  readonly fds: number[] = [];
  okFd = -1;
  controlFd = -1;
  constructor(readonly dir: string) {}

  static make(t: Tap.Test, dir: string, opts: { ok?: 'held' | 'fifo' | 'file' | 'none'; control?: 'held' | 'fifo' | 'none'; status?: Buffer | null }): Fake {
    const f = new Fake(dir);
    t.teardown(() => f.close());
    const sup = path.join(dir, 'supervise');
    mkdirSync(sup, { recursive: true });
    const ok = opts.ok ?? 'held';
    if (ok === 'file') writeFileSync(path.join(sup, 'ok'), '');
    else if (ok !== 'none') {
      execFileSync('mkfifo', [path.join(sup, 'ok')]);
      if (ok === 'held') f.okFd = f.hold(path.join(sup, 'ok'), constants.O_RDONLY);
    }
    const control = opts.control ?? 'held';
    if (control !== 'none') {
      execFileSync('mkfifo', [path.join(sup, 'control')]);
      if (control === 'held') f.controlFd = f.hold(path.join(sup, 'control'), constants.O_RDWR);
    }
    if (opts.status !== null) f.setStatus(opts.status ?? rec());
    return f;
  }

  hold(p: string, mode: number): number {
    const fd = openSync(p, mode | constants.O_NONBLOCK);
    this.fds.push(fd);
    return fd;
  }

  setStatus(buf: Buffer): void {
    const sup = path.join(this.dir, 'supervise');
    writeFileSync(path.join(sup, 'status.new'), buf);
    renameSync(path.join(sup, 'status.new'), path.join(sup, 'status'));
  }

  /** Bytes written to control since the last call. */
  sent(): string {
    const buf = Buffer.alloc(1024);
    let s = '';
    for (;;) {
      try {
        const n = readSync(this.controlFd, buf, 0, buf.length, null);
        if (n <= 0) return s;
        s += buf.toString('latin1', 0, n);
      } catch {
        return s;
      }
    }
  }

  dropOk(): void {
    closeSync(this.okFd);
    this.fds.splice(this.fds.indexOf(this.okFd), 1);
  }

  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }
}

const REF = referenceBin('sv');
const OURS = ourBin('sv');

/** Runs runit's sv and ours with the same arguments in twin folders A/ and B/ (cwd), returns both. */
async function twin(base: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<[Result, Result]> {
  return Promise.all([
    run(REF!, args, path.join(base, 'A'), { SVDIR: path.join(base, 'A'), ...env }),
    run(OURS, args, path.join(base, 'B'), { SVDIR: path.join(base, 'B'), ...env }),
  ]);
}

/** Until every fake's control got a byte: its sv has sent and is in its wait loop. */
async function bothSent(fakes: Fake[]): Promise<void> {
  const got = fakes.map(() => '');
  await waitFor(() => {
    fakes.forEach((f, i) => (got[i] += f.sent()));
    return got.every((g) => g.length > 0);
  }, 'both sv sent u', 20000);
}

function same(t: Tap.Test, [a, b]: [Result, Result], label: string): void {
  t.same({ out: norm(b.out), err: norm(b.err), rc: b.rc }, { out: norm(a.out), err: norm(a.err), rc: a.rc }, label);
}

t.test('bytes sent to control and the skip rule', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  const cases: Array<[string[], Partial<StatusRecord>, string]> = [
    [['up', 's'], { want: 'u' }, ''],
    [['up', 's'], { want: 'd' }, 'u'],
    [['down', 's'], { want: 'd', termSent: true, pid: 9, state: 1 }, ''],
    [['down', 's'], { want: 'd', termSent: false, pid: 9, state: 1 }, 'd'],
    [['once', 's'], { want: 'u' }, 'o'],
    [['pause', 's'], {}, 'p'],
    [['cont', 's'], {}, 'c'],
    [['hup', 's'], {}, 'h'],
    [['alarm', 's'], {}, 'a'],
    [['interrupt', 's'], {}, 'i'],
    [['quit', 's'], {}, 'q'],
    [['1', 's'], {}, '1'],
    [['2', 's'], {}, '2'],
    [['term', 's'], {}, 't'],
    [['kill', 's'], {}, 'k'],
    [['exit', 's'], {}, 'x'],
    [['-w', '0', 'restart', 's'], { pid: 9, state: 1 }, 'tcu'],
    [['-w', '0', 'try-restart', 's'], { pid: 9, state: 1 }, 'tc'],
    [['-w', '0', 'force-reload', 's'], { pid: 9, state: 1 }, 'tck'],
    [['-w', '0', 'check', 's'], { pid: 9, state: 1 }, ''],
    [['-w', '0', 'T', 's'], { pid: 9, state: 1 }, 'tck'],
    [['-w', '0', 'force-stop', 's'], { pid: 9, state: 1, want: 'd', termSent: true }, 'k'],
  ];
  const fa = Fake.make(t, path.join(base, 'A', 's'), {});
  const fb = Fake.make(t, path.join(base, 'B', 's'), {});
  for (const [args, o, bytes] of cases) {
    fa.setStatus(rec(o));
    fb.setStatus(rec(o));
    const r = await twin(base, args);
    same(t, r, args.join(' '));
    t.equal(fa.sent(), bytes, `runit sent ${JSON.stringify(bytes)}`);
    t.equal(fb.sent(), bytes, `we sent ${JSON.stringify(bytes)}`);
  }
});

t.test('odd and broken status files', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  const zeroes = Buffer.alloc(20);
  const odd = rec({ pid: 12345, state: 1, paused: true, want: 'd', termSent: true });
  odd[19] = 7;
  const weirdWant = rec({ pid: 77, state: 1 });
  weirdWant[17] = 0x78;
  const bigPid = rec({ pid: 0xfffffff0, state: 2 });
  for (const side of ['A', 'B']) {
    const d = (n: string) => path.join(base, side, n);
    Fake.make(t, d('zero'), { status: zeroes });
    Fake.make(t, d('odd'), { status: odd });
    Fake.make(t, d('want'), { status: weirdWant });
    Fake.make(t, d('big'), { status: bigPid });
    Fake.make(t, d('short'), { status: Buffer.alloc(5, 1) });
    Fake.make(t, d('long'), { status: Buffer.concat([rec({ pid: 5, state: 1 }), Buffer.from('xyz')]) });
    Fake.make(t, d('nostatus'), { status: null });
    const dir = Fake.make(t, d('dirstatus'), { status: null });
    mkdirSync(path.join(dir.dir, 'supervise', 'status'));
    Fake.make(t, d('noreader'), { ok: 'fifo' });
    Fake.make(t, d('okfile'), { ok: 'file', status: rec({ pid: 3, state: 1 }) });
    Fake.make(t, d('nocontrol'), { control: 'fifo', status: rec({ want: 'd' }) });
    // a main service whose log/supervise is broken in two ways
    const m = Fake.make(t, d('shortlog'), { status: rec({ pid: 4242, state: 1 }) });
    Fake.make(t, path.join(m.dir, 'log'), { status: Buffer.from([0x40, 0, 0, 0, 0]) });
    const m2 = Fake.make(t, d('deadlog'), { status: rec({ pid: 4343, state: 1 }) });
    Fake.make(t, path.join(m2.dir, 'log'), { ok: 'fifo' });
    const m3 = Fake.make(t, d('nolog'), { status: rec({ pid: 4444, state: 1 }) });
    mkdirSync(path.join(m3.dir, 'log'));
    const m4 = Fake.make(t, d('fulllog'), { status: rec({ pid: 4545, state: 1 }) });
    Fake.make(t, path.join(m4.dir, 'log'), { status: rec({ state: 0, want: 'd' }) });
  }
  const all = ['zero', 'odd', 'want', 'big', 'short', 'long', 'nostatus', 'dirstatus', 'noreader', 'okfile', 'nocontrol', 'shortlog', 'deadlog', 'nolog', 'fulllog'];
  const r = await twin(base, ['status', ...all]);
  same(t, r, 'status of every odd folder');
  t.equal(r[0].rc, 7, 'runit counted the failures we meant');
  t.match(r[1].out, /^down: zero: \d{19}s, normally up$/m, 'all-zero status: huge exact age');
  t.match(r[1].out, /^run: shortlog: .*bad format\nrun: log: \(pid 4242\) \d+s$/m, 'bogus log line built from the main bytes');
  same(t, await twin(base, ['up', 'nocontrol']), 'control FIFO without a reader');
  same(t, await twin(base, ['exit', 'nocontrol']), 'exit with control FIFO without a reader');
  same(t, await twin(base, ['-v', 'up', 'noreader']), 'ok FIFO without a reader');
  same(t, await twin(base, ['-v', 'exit', 'noreader']), 'exit, ok FIFO without a reader');
  same(t, await twin(base, ['-w', '0', 'force-shutdown', 'okfile']), 'kill on a folder whose control cannot take it');
  const w0 = await twin(base, ['-v', 'down', 'okfile'], { SVWAIT: '0' });
  same(t, w0, '$SVWAIT sets the timeout');
  t.match(w0[1].out, /^timeout: run: okfile: \(pid 3\) \d+s\n$/);
  same(t, await twin(base, ['up', 'nocontrol'], { SVWAIT: '0' }), '$SVWAIT alone does not make sv wait');
  same(t, await twin(base, ['-v', 'down', 'okfile'], { SVWAIT: '' }), 'an empty $SVWAIT is 0');
  for (const n of ['short', 'nostatus', 'dirstatus', 'zero', 'okfile']) {
    // LSB: exit 4 when the status is unknown, from a runit sv symlinked as the service name
    const links = ['A', 'B'].map((side, i) => {
      const l = path.join(base, side, 'init.d', n);
      mkdirSync(path.dirname(l), { recursive: true });
      execFileSync('ln', ['-sf', i === 0 ? REF! : OURS, l]);
      return l;
    });
    const [a, b] = await Promise.all(
      links.map((l, i) => run(l, ['status'], path.join(base, i ? 'B' : 'A'), { SVDIR: path.join(base, i ? 'B' : 'A') })),
    );
    same(t, [a, b], `init.d/${n} status`);
  }
});

t.test('a full control FIFO', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  for (const side of ['A', 'B']) {
    const f = Fake.make(t, path.join(base, side, 's'), { status: rec({ want: 'd' }) });
    const chunk = Buffer.alloc(4096, 0x30);
    for (;;) {
      try {
        writeSync(f.controlFd, chunk);
      } catch {
        break;
      }
    }
  }
  const r = await twin(base, ['up', 's']);
  same(t, r, 'write fails with EAGAIN');
  t.match(r[1].out, /unable to write to supervise\/control: temporary failure/);
});

t.test('never hangs: folder removed, supervisor gone, check script stuck', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  // service folders removed while sv waits for up
  // want down: each sv sends u and only then waits, so the u it sent says it is waiting
  const vs = ['A', 'B'].map((side) => Fake.make(t, path.join(base, side, 'v'), { status: rec({ want: 'd' }) }));
  let p = twin(base, ['-w', '20', 'up', './v']);
  await bothSent(vs);
  for (const side of ['A', 'B']) rmSync(path.join(base, side, 'v'), { recursive: true });
  let r = await p;
  same(t, r, 'folder vanished mid-wait');
  t.equal(r[1].rc, 1);
  t.ok(r[1].ms < 15000, 'we did not wait for the timeout');

  // the supervisor goes away while sv waits
  const fakes = ['A', 'B'].map((side) => Fake.make(t, path.join(base, side, 'g'), { status: rec({ want: 'd' }) }));
  p = twin(base, ['-w', '20', 'up', './g']);
  await bothSent(fakes);
  for (const f of fakes) f.dropOk();
  r = await p;
  same(t, r, 'runsv gone mid-wait');
  t.match(r[1].out, /^fail: \.\/g: runsv not running\n$/);
  t.ok(r[1].ms < 15000, 'we did not wait for the timeout');

  // a ./check that never returns: runit's sv would wait for it forever; ours stops it at the timeout
  const h = Fake.make(t, path.join(base, 'B', 'h'), { status: rec({ pid: process.pid, state: 1 }) });
  writeFileSync(path.join(h.dir, 'check'), '#!/bin/sh\nexec sleep 100\n', { mode: 0o755 });
  const stuck = await run(OURS, ['-w', '1', 'check', 'h'], path.join(base, 'B'), { SVDIR: path.join(base, 'B') });
  t.match(stuck.out, /^timeout: run: h: \(pid \d+\) \d+s\n$/);
  t.equal(stuck.rc, 1);
});

t.test('-w returns when the state is reached (events, not polling)', async (t) => {
  const base = tempDir(t);
  const f = Fake.make(t, path.join(base, 'e'), { status: rec({ want: 'd' }) });
  const p = run(OURS, ['-w', '20', 'up', './e'], base);
  // sv sends u; play runsv: read it, then publish "run"
  const deadline = Date.now() + 20000;
  let got = '';
  while (!got && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    got = f.sent();
  }
  t.equal(got, 'u');
  const publishedAt = Date.now();
  f.setStatus(rec({ pid: process.pid, state: 1, time: { sec: now(), nsec: 500 } }));
  const r = await p;
  t.match(r.out, /^ok: run: \.\/e: \(pid \d+\) 0s\n$/);
  t.equal(r.rc, 0);
  t.comment(`answered ${Date.now() - publishedAt} ms after the status changed`);
});

t.test('1000 services in one call, text and JSON', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  const names: string[] = [];
  // one set of folders: status only reads, so runit's sv and ours can share it
  const root = path.join(base, 'B');
  for (let i = 0; i < 1000; i++) {
    const d = path.join(root, `s${i}`);
    mkdirSync(path.join(d, 'supervise'), { recursive: true });
    // a regular file as ok: opening it for writing succeeds, as with a live runsv
    writeFileSync(path.join(d, 'supervise', 'ok'), '');
    writeFileSync(path.join(d, 'supervise', 'status'), i % 3 ? rec({ pid: 1000 + i, state: 1 }) : rec({ want: 'd' }));
    if (i % 7 === 0) writeFileSync(path.join(d, 'down'), '');
    names.push(`s${i}`);
  }
  const r = await Promise.all([REF!, OURS].map((bin) => run(bin, ['status', ...names], root, { SVDIR: root })));
  same(t, r as [Result, Result], 'sv status over 1000 services');
  t.equal(r[1].out.split('\n').length, 1001);
  const j = await run(OURS, ['--json', 'status', ...names], path.join(base, 'B'), { SVDIR: path.join(base, 'B') });
  const lines = j.out.trimEnd().split('\n').map((l) => JSON.parse(l));
  t.equal(lines.length, 1000);
  t.same(lines[1], {
    service: 's1',
    state: 'run',
    pid: 1001,
    seconds: lines[1].seconds,
    since: lines[1].since,
    normallyUp: true,
    paused: false,
    want: 'up',
    gotTerm: false,
    ready: true,
    readySince: lines[1].since,
    maintenance: false,
    maintenanceReason: null,
    log: null,
  });
  t.ok(lines[1].seconds >= 5 && lines[1].seconds < 60);
  t.same([lines[0].state, lines[0].pid, lines[0].want, lines[0].normallyUp], ['down', null, 'down', false]);
  t.equal(j.rc, 0);
});

t.test('JSON: errors and the log service', referenceSkip('sv'), async (t) => {
  const base = tempDir(t);
  const m = Fake.make(t, path.join(base, 'm'), { status: rec({ pid: 4242, state: 1, paused: true }) });
  Fake.make(t, path.join(m.dir, 'log'), { ok: 'fifo' });
  Fake.make(t, path.join(base, 'dead'), { ok: 'fifo' });
  mkdirSync(path.join(base, 'nosup'));
  const j = await run(OURS, ['status', '--json', 'm', 'dead', 'nosup', 'missing'], base, { SVDIR: base });
  const lines = j.out.trimEnd().split('\n').map((l) => JSON.parse(l));
  t.same(lines[0].log, { service: 'log', error: 'runsv not running', level: 'fail' });
  t.same([lines[0].state, lines[0].pid, lines[0].paused], ['run', 4242, true]);
  t.same(lines[1], { service: 'dead', error: 'runsv not running', level: 'fail' });
  t.same(lines[2], { service: 'nosup', error: 'unable to open supervise/ok: file does not exist', level: 'warning' });
  t.same(lines[3], { service: 'missing', error: 'unable to change to service directory: file does not exist', level: 'fail' });
  const text = await run(REF!, ['status', 'm', 'dead', 'nosup', 'missing'], base, { SVDIR: base });
  t.equal(j.rc, text.rc, 'same exit code as the text form');
  const bad = await run(OURS, ['--json', 'up', 'm'], base, { SVDIR: base });
  t.equal(bad.rc, 100, '--json with another command is a usage error');
});
