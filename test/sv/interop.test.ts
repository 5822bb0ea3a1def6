// Our sv side by side with runit 2.1.2's sv. Two identical "worlds" of service
// folders, each supervised by runit's runsv: runit's sv drives world A, ours
// drives world B, with the same command lines, one step at a time; stdout,
// stderr and exit codes must agree once pids, ages and the world's path are
// normalised. Then the same again with both worlds supervised by our runsv
// (skipped while it is a placeholder, or with RUNITD_SV_OUR_RUNSV=0).
import t from 'tap';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stageForOtherUsers } from '../helpers/as-user';
import { killPid, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

interface Result {
  out: string;
  err: string;
  rc: number | null;
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve) => {
    // tap's processinfo hook adds its loader to NODE_OPTIONS of every spawn;
    // env(1) drops it again: sv runs as it would outside the tests
    const child = spawn('env', ['-u', 'NODE_OPTIONS', cmd, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => killPid(child.pid!), 30000);
    child.on('close', (rc) => {
      clearTimeout(timer);
      resolve({ out, err, rc });
    });
  });
}

const SH = '#!/bin/sh\n';
const SERVICES: Record<string, { run: string; files?: Record<string, [string, number]>; log?: string; start?: boolean }> = {
  x: { run: 'exec sleep 1000', log: 'exec cat >/dev/null' },
  y: { run: 'exec sleep 1000', files: { down: ['', 0o644] } },
  t: { run: 'trap "" TERM\nexec sleep 1000' },
  f: { run: 'exit 0', files: { finish: [SH + 'exec sleep 1000\n', 0o755] } },
  k: { run: 'exec sleep 1000', files: { check: [SH + 'test -e ready\n', 0o755] } },
  ck: { run: 'exec sleep 1000', files: { check: [SH + 'exit 0\n', 0o644] } },
  p: { run: 'exec sleep 1000' },
  g: { run: 'exec sleep 1000' },
  e1: { run: 'exec sleep 1000', log: 'exec cat >/dev/null' },
  e2: { run: 'exec sleep 1000' },
  bl: { run: 'exec sleep 1000' },
  lf: { run: 'exec sleep 1000' },
  dl: { run: 'exec sleep 1000' },
  n: { run: 'exec sleep 1000', start: false },
  priv: { run: 'exec sleep 1000', start: false },
};

class World {
  readonly runsvs = new Map<string, ChildProcess>();
  constructor(
    readonly root: string,
    readonly svBin: string,
    /** the same sv, staged where other users can run it (the checkout may be closed to them) */
    readonly svBinForOthers: string,
  ) {}

  dir(name: string): string {
    return path.join(this.root, name);
  }

  status(name: string): Buffer | null {
    try {
      const b = readFileSync(path.join(this.dir(name), 'supervise', 'status'));
      return b.length === 20 ? b : null;
    } catch {
      return null;
    }
  }

  /** pids of every process a runsv of ours may have left (run, finish, log). */
  childPids(): number[] {
    const out: number[] = [];
    for (const name of Object.keys(SERVICES)) {
      for (const f of ['supervise/pid', 'log/supervise/pid']) {
        try {
          const n = Number(readFileSync(path.join(this.dir(name), f), 'utf8'));
          if (n > 0) out.push(n);
        } catch {
          // none
        }
      }
    }
    return out;
  }
}

function build(root: string): void {
  mkdirSync(root, { mode: 0o755 });
  for (const [name, s] of Object.entries(SERVICES)) {
    const d = path.join(root, name);
    mkdirSync(d, { mode: 0o755 });
    writeFileSync(path.join(d, 'run'), SH + s.run + '\n', { mode: 0o755 });
    for (const [f, [body, mode]] of Object.entries(s.files ?? {})) writeFileSync(path.join(d, f), body, { mode });
    if (s.log) {
      mkdirSync(path.join(d, 'log'));
      writeFileSync(path.join(d, 'log', 'run'), SH + s.log + '\n', { mode: 0o755 });
    }
  }
  chmodSync(path.join(root, 'priv'), 0o700);
  mkdirSync(path.join(root, 'init.d'));
}

const norm = (s: string, w: World): string =>
  s.split(w.root).join('<W>').replace(/\(pid \d+\)/g, '(pid N)').replace(/\b\d+s\b/g, 'Ns');

interface Step {
  args: string[];
  /** run the command as this LSB name (world/init.d/NAME -> sv) */
  lsb?: string;
  user?: string;
  env?: NodeJS.ProcessEnv;
  /** after the step, wait until this holds in both worlds */
  settle?: (w: World) => boolean;
  /** before the step, in both worlds */
  before?: (w: World) => void;
  /** expected exit code, to make sure the situation is the intended one */
  rc?: number;
}

const want = (name: string, c: string) => (w: World) => w.status(name)?.[17] === c.charCodeAt(0);
const stateIs = (name: string, st: number) => (w: World) => {
  const b = w.status(name);
  return !!b && b[19] === st;
};

const STEPS: Step[] = [
  { args: ['status', 'x', 'y', 't', 'f', 'k', 'g', 'n', 'bl', 'lf', 'dl', 'nonexist', './x', 'x/', ''], rc: 6 },
  { args: ['status', '<W>/x', '<W>/y/'] },
  { args: ['-v', 'up', 'x'], rc: 0 },
  { args: ['-w', '3', 'down', 'x'], rc: 0 },
  { args: ['status', 'x'] },
  { args: ['-w', '3', 'up', 'x'], rc: 0 },
  { args: ['once', 'x'], settle: want('x', 'd'), rc: 0 },
  { args: ['status', 'x'] },
  // (not `-v up x`: runit checks at once, before runsv read the command, and may print the old want)
  { args: ['-v', 'down', 'x'], rc: 0 },
  { args: ['-w', '3', 'up', 'x'], rc: 0 },
  { args: ['-v', 'pause', 'p'], rc: 0 },
  { args: ['status', 'p'] },
  { args: ['stat', 'p'] },
  { args: ['-vw3', 'cont', 'p'], rc: 0 },
  { args: ['hup', 'y'], rc: 0 },
  { args: ['alarm', 'y'] },
  { args: ['interrupt', 'y'] },
  { args: ['quit', 'y'] },
  { args: ['1', 'y'] },
  { args: ['2', 'y'] },
  { args: ['termite', 'y'] },
  { args: ['custom', 'y'] },
  { args: ['-v', 'hup', 'y'], rc: 0 },
  { args: ['reload', 'y'], rc: 0 },
  { args: ['-w', '1', 'down', 't'], rc: 1 },
  { args: ['status', 't'] },
  { args: ['-w', '1', 'stop', 't'], rc: 1 },
  { args: ['-w', '1', 'force-stop', 't'], settle: stateIs('t', 0), rc: 1 },
  { args: ['status', 't'] },
  { args: ['status', 'f'] },
  { args: ['check', 'x', 'y'], rc: 0 },
  { args: ['-w', '1', 'check', 'k'], rc: 1 },
  { args: ['-w', '3', 'check', 'k'], before: (w) => writeFileSync(path.join(w.dir('k'), 'ready'), ''), rc: 0 },
  { args: ['-w', '3', 'start', 'ck'], rc: 0 },
  { args: ['up', 'g'], rc: 1 },
  { args: ['shutdown', 'g'], rc: 0 },
  { args: ['-v', 'exit', 'g'], rc: 0 },
  { args: ['-w', '2', 'force-shutdown', 'g'], rc: 0 },
  { args: ['status', 'g'], rc: 1 },
  { args: ['up', 'n', 'nonexist'], rc: 2 },
  { args: ['-v', 'up', 'n'], rc: 1 },
  { args: ['-w', '5', 'exit', 'e1'], rc: 0 },
  { args: ['shutdown', 'e2'], rc: 0 },
  { args: ['foo', 'x'], rc: 100 },
  { args: ['Status', 'x'], rc: 100 },
  { args: ['restartx', 'x'], rc: 100 },
  { args: ['-x', 'status', 'x'], rc: 100 },
  { args: ['-V'], rc: 100 },
  { args: [], rc: 100 },
  { args: ['status'], rc: 100 },
  { args: ['-w'], rc: 100 },
  { args: ['--', '-v', 'x'], rc: 100 },
  { args: ['--foo', 'status', 'x'], rc: 0 },
  { args: ['status', 'x'], env: { SVDIR: '/nonexistent' }, rc: 1 },
  { args: ['-v', 'up', 'x/'], env: { SVDIR: '/nonexistent' }, rc: 1 },
  { args: ['status', 'x', 'p', 'priv'], user: 'nobody', rc: 3 },
  { args: ['-w', '1', 'up', 'x'], user: 'nobody', rc: 1 },
  { args: ['status'], lsb: 'x', rc: 0 },
  { args: ['status', 'extra', 'args'], lsb: 'y', rc: 3 },
  { args: ['foo'], lsb: 'x', rc: 2 },
  { args: ['stat'], lsb: 'x', rc: 2 },
  { args: ['-v', 'foo'], lsb: 'x', rc: 2 },
  { args: ['status'], lsb: 'nonexist', rc: 1 },
  { args: ['status'], lsb: 'n', rc: 4 },
  { args: ['status'], lsb: 'g', rc: 1 },
  { args: ['reload'], lsb: 'y', rc: 0 },
  { args: ['-w', '3', 'stop'], lsb: 'p', rc: 0 },
  // after setup below: log/ appears late (bogus log line), log is a file, ./down loops
  { args: ['status', 'bl', 'lf', 'dl'], rc: 2 },
];

async function scenario(t: Tap.Test, runsvBin: string, base: string): Promise<void> {
  const staged = stageForOtherUsers(t);
  const A = new World(path.join(base, 'A'), referenceBin('sv')!, staged.referenceBin('sv')!);
  const B = new World(path.join(base, 'B'), ourBin('sv'), staged.ourBin('sv'));
  const worlds = [A, B];
  const chpst = staged.referenceBin('chpst')!;
  for (const w of worlds) {
    build(w.root);
    for (const [name, s] of Object.entries(SERVICES)) {
      if (s.start === false) continue;
      const p = spawn(runsvBin, [w.dir(name)], { stdio: 'ignore' });
      w.runsvs.set(name, p);
    }
    for (const name of ['x', 'y', 'p', 'n', 'g', 'nonexist']) symlinkSync(w.svBin, path.join(w.root, 'init.d', name));
  }
  t.teardown(() => {
    for (const w of worlds) {
      const kids = w.childPids();
      for (const p of w.runsvs.values()) killPid(p.pid!);
      for (const pid of kids) killPid(pid);
    }
  });
  // everything started; f in finish; g's runsv gone
  await waitFor(
    () =>
      worlds.every((w) =>
        Object.entries(SERVICES).every(([name, s]) => {
          if (s.start === false) return true;
          const b = w.status(name);
          if (!b) return false;
          if (name === 'y') return true;
          if (name === 'f') return b[19] === 2;
          return b[19] === 1 && (!s.log || (w.status(name + '/log')?.[19] ?? 0) === 1);
        }),
      ),
    'services to start',
  );
  for (const w of worlds) {
    spawnSync(referenceBin('sv')!, ['-w', '5', 'exit', w.dir('g')]);
    mkdirSync(path.join(w.dir('bl'), 'log'));
    writeFileSync(path.join(w.dir('lf'), 'log'), '');
    symlinkSync('down', path.join(w.dir('dl'), 'down'));
  }
  await waitFor(() => worlds.every((w) => w.runsvs.get('g')!.exitCode !== null), 'runsv g to exit');

  for (const step of STEPS) {
    const label = `${step.lsb ? `init.d/${step.lsb}` : 'sv'} ${step.args.join(' ')}${step.user ? ` (as ${step.user})` : ''}${step.env ? ' ' + JSON.stringify(step.env) : ''}`;
    const results = await Promise.all(
      worlds.map((w) => {
        step.before?.(w);
        const args = step.args.map((a) => a.replace('<W>', w.root));
        const env = { ...process.env, SVDIR: w.root, ...step.env };
        delete env.SVWAIT;
        let cmd = step.lsb ? path.join(w.root, 'init.d', step.lsb) : w.svBin;
        let argv = args;
        if (step.user) {
          argv = ['-u', step.user, step.lsb ? cmd : w.svBinForOthers, ...args];
          cmd = chpst;
        }
        return run(cmd, argv, { cwd: w.root, env });
      }),
    );
    if (step.settle) await waitFor(() => worlds.every(step.settle!), `settle after ${label}`);
    const [ra, rb] = results;
    t.same(
      { out: norm(rb.out, B), err: norm(rb.err, B), rc: rb.rc },
      { out: norm(ra.out, A), err: norm(ra.err, A), rc: ra.rc },
      label,
    );
    if (step.rc !== undefined) t.equal(ra.rc, step.rc, `${label}: runit's exit code is the intended one`);
  }

  // the one deliberate difference: LSB status exit code from the main service (runit 2.3.0), not the log (2.1.2)
  for (const w of worlds) spawnSync(referenceBin('sv')!, ['-w', '5', 'down', w.dir('x')]);
  const [la, lb] = await Promise.all(
    worlds.map((w) => run(path.join(w.root, 'init.d', 'x'), ['status'], { cwd: w.root, env: { ...process.env, SVDIR: w.root } })),
  );
  t.equal(norm(lb.out, B), norm(la.out, A), 'LSB status, main down + log up: same line');
  t.match(lb.out, /^down: x: \d+s, normally up; run: log: /);
  t.equal(la.rc, 0, 'runit 2.1.2 exits with the log\'s code');
  t.equal(lb.rc, 3, 'ours exits 3: the service is down (runit 2.3.0)');
}

t.test('side by side with runit sv, runit runsv', referenceSkip('runsv', 'sv', 'chpst'), async (t) => {
  const base = tempDir(t, 'runitd-sv-');
  chmodSync(base, 0o755);
  await scenario(t, referenceBin('runsv')!, base);
});

/** Our runsv, unless it is still the placeholder or RUNITD_SV_OUR_RUNSV=0. */
function ourRunsvSkip(): string | false {
  if (process.env.RUNITD_SV_OUR_RUNSV === '0') return 'RUNITD_SV_OUR_RUNSV=0';
  const probe = spawnSync('env', ['-u', 'NODE_OPTIONS', ourBin('runsv')], { encoding: 'utf8' });
  if (/not implemented/.test(probe.stderr)) return 'our runsv is not implemented yet';
  return referenceSkip('sv', 'chpst').skip;
}

t.test('side by side with runit sv, our runsv', { skip: ourRunsvSkip() }, async (t) => {
  const base = tempDir(t, 'runitd-sv-');
  chmodSync(base, 0o755);
  await scenario(t, ourBin('runsv'), base);
});
