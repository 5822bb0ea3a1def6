#!/usr/bin/env node
// The figures of issue #15 ("lean daemon"), runit 2.1.2 and ours side by side in
// ONE run, each printed as a ratio ours/runit (and, for start-up figures, to
// `node -e 0`, the floor of any Node program on this machine).
//
//   node bench/lean-bench.js [--only first,idle,crash,respawn,sv,memory]
//                            [--reps 7] [--idle 30] [--n 100] [--big 1000]
//
//   first    time from just before spawn() of runsvdir to the first and to the
//            Nth payload line on a FIFO (N = --n, and --big services with fewer
//            reps; --big 0 skips it); `node -e 0` spawn-to-exit in the same
//            alternation
//   idle     wake-ups (voluntary context switches of every thread) and CPU
//            (schedstat) of the supervision tree over --idle seconds, from 2 s
//            after all --n services are up
//   crash    50 services that exit 1 at once: CPU of the supervision tree only
//            (not the crashing shells) per restart seen on the FIFO
//   respawn  SIGKILL a payload (pid from supervise/pid), time until its FIFO
//            line comes back; both trees up at once, kills alternate
//   sv       wall time of `sv -w 7 down S` (runit's sv on runit's tree, bin/sv
//            on ours), alternating with `node -e 0`
//   memory   Private_Dirty and PSS of the tree 2 s after all up, with 10 and 100
//            services each with a log service (exec svlogd -tt ./main)
//
// Runit's runs put .reference/usr/bin first on PATH (so runsv and svlogd are
// runit's); ours put bin/ first. Needs `npm ci` (dist/, the addon) and
// `npm run reference`. The machine is shared: runs alternate and medians are
// printed; the load average is printed with the table.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { comm, cpuNs, rollup, supervisionPids, wakeups } = require('./tree');

const root = path.resolve(__dirname, '..');
const refBin = path.join(root, '.reference', 'usr', 'bin');
const ourBin = path.join(root, 'bin');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const only = new Set(opt('--only', 'first,idle,crash,respawn,sv,memory').split(','));
const reps = Number(opt('--reps', '7'));
const idleSeconds = Number(opt('--idle', '30'));
const N = Number(opt('--n', '100'));
const BIG = Number(opt('--big', '1000'));
const KINDS = ['runit', 'ours'];

// ---- housekeeping: everything started or made is undone at exit, by pid/path

const tempDirs = new Set();
const trees = new Set();
function tempDir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `runitd-lean-${tag}-`));
  tempDirs.add(d);
  return d;
}
function killQuiet(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
process.on('exit', () => {
  for (const t of trees) {
    killQuiet(t.proc.pid, 'SIGKILL');
    for (const p of t.runsvs || []) killQuiet(p, 'SIGKILL');
    killPayloads(t.scan);
  }
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- the FIFO every payload reports to

/** One FIFO, read through the event loop (a ReadStream would park a libuv thread on it). */
function openFifo(dir) {
  const file = path.join(dir, 'fifo');
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed`);
  // O_RDWR: the FIFO never reports EOF between writers, and open() does not wait for one
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const sock = new net.Socket({ fd, readable: true, writable: false });
  const fifo = { file, sock, lines: [], waiters: new Set() };
  let buf = '';
  sock.setEncoding('latin1');
  sock.on('data', (d) => {
    const t = performance.now();
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      fifo.lines.push({ line, t });
      for (const w of [...fifo.waiters]) w(line, t);
    }
  });
  sock.on('error', () => {});
  return fifo;
}

/** Resolves with the arrival time of the next line for which pred(line) is true. */
function nextLine(fifo, pred, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fifo.waiters.delete(w);
      reject(new Error(`no matching FIFO line within ${timeoutMs} ms`));
    }, timeoutMs);
    const w = (line, t) => {
      if (!pred(line)) return;
      clearTimeout(timer);
      fifo.waiters.delete(w);
      resolve(t);
    };
    fifo.waiters.add(w);
  });
}

// ---- service folders and trees

/** A bench folder: scan/ with n services whose run is body(i), and a FIFO beside it. */
function makeTree(tag, n, body, { withLog = false } = {}) {
  const base = tempDir(tag);
  const scan = path.join(base, 'scan');
  fs.mkdirSync(scan);
  const fifo = openFifo(base);
  for (let i = 0; i < n; i++) {
    const s = path.join(scan, `s${i}`);
    fs.mkdirSync(s);
    fs.writeFileSync(path.join(s, 'run'), body(i, fifo.file), { mode: 0o755 });
    if (withLog) {
      fs.mkdirSync(path.join(s, 'log', 'main'), { recursive: true });
      fs.writeFileSync(path.join(s, 'log', 'run'), '#!/bin/sh\nexec svlogd -tt ./main\n', { mode: 0o755 });
    }
  }
  // runit's runsvdir sleeps a second before scanning a folder modified in the
  // current second (its guard against missing a change): a real scan folder is older
  const past = Date.now() / 1000 - 60;
  fs.utimesSync(scan, past, past);
  return { base, scan, fifo, n, withLog };
}

const sleeper = (i, fifo) => `#!/bin/sh\necho s${i} >${fifo}\nexec sleep 100000\n`;
const crasher = (i, fifo) => `#!/bin/sh\necho c${i} >${fifo}\nexit 1\n`;

function envFor(kind) {
  const env = { ...process.env, PATH: `${kind === 'runit' ? refBin : ourBin}:${process.env.PATH}` };
  delete env.NODE_OPTIONS;
  return env;
}

function startTree(kind, t) {
  const cmd = path.join(kind === 'runit' ? refBin : ourBin, 'runsvdir');
  t.kind = kind;
  t.t0 = performance.now();
  t.proc = spawn(cmd, [t.scan], { stdio: ['ignore', 'ignore', 'ignore'], env: envFor(kind) });
  t.exited = new Promise((r) => t.proc.on('exit', r));
  trees.add(t);
  return t;
}

function readPid(dir) {
  try {
    return Number(fs.readFileSync(path.join(dir, 'supervise', 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function killPayloads(scan) {
  let names = [];
  try {
    names = fs.readdirSync(scan);
  } catch {
    return;
  }
  for (const s of names) {
    for (const d of [path.join(scan, s), path.join(scan, s, 'log')]) {
      const pid = readPid(d);
      if (pid) killQuiet(pid, 'SIGKILL');
    }
  }
}

async function stopTree(t) {
  if (t.kind === 'runit') {
    // runit's runsvdir leaves its runsv processes on TERM: stop those as stage 3 does
    t.runsvs = supervisionPids(t.proc.pid).filter((p) => comm(p) === 'runsv');
    t.proc.kill('SIGTERM');
    await t.exited;
    for (const p of t.runsvs) killQuiet(p, 'SIGTERM');
    const end = Date.now() + 20000;
    while (t.runsvs.some((p) => comm(p) === 'runsv') && Date.now() < end) await sleep(50);
    for (const p of t.runsvs) if (comm(p) === 'runsv') killQuiet(p, 'SIGKILL');
  } else {
    t.proc.kill('SIGTERM');
    await Promise.race([t.exited, sleep(20000)]);
    killQuiet(t.proc.pid, 'SIGKILL');
  }
  killPayloads(t.scan); // anything left (should be nothing)
  t.fifo.sock.destroy();
  trees.delete(t);
  fs.rmSync(t.base, { recursive: true, force: true });
  tempDirs.delete(t.base);
}

function statusState(file) {
  try {
    const b = fs.readFileSync(file);
    return b.length === 20 ? b[19] : -1;
  } catch {
    return -1;
  }
}

/** Polls supervise/status (and log/supervise/status) until every one says up. */
async function waitAllUp(t, timeoutMs = 120000) {
  let pending = [];
  for (let i = 0; i < t.n; i++) {
    pending.push(path.join(t.scan, `s${i}`, 'supervise', 'status'));
    if (t.withLog) pending.push(path.join(t.scan, `s${i}`, 'log', 'supervise', 'status'));
  }
  const end = Date.now() + timeoutMs;
  while (pending.length) {
    pending = pending.filter((f) => statusState(f) !== 1);
    if (!pending.length) break;
    if (Date.now() > end) throw new Error(`${t.kind}: not all up, ${pending.length} left`);
    await sleep(20);
  }
}

// ---- /proc readers


const sumOver = (pids, fn) => pids.reduce((a, p) => a + fn(p), 0);

/** Wall time of one command, spawn() to exit. */
function timed(cmd, argv, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, argv, { stdio: 'ignore', env });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ ms: performance.now() - t0, code }));
  });
}
const nodeE0 = () => timed(process.execPath, ['-e', '0'], envFor('ours')).then((r) => r.ms);

// ---- the figures

const rows = [];
const notes = [];
function row(figure, runit, ours, unit, target, extra = '') {
  const ratio = runit && Number.isFinite(ours / runit) ? (ours / runit).toFixed(2) : '-';
  rows.push(`| ${figure} | ${runit ?? '-'}${unit} | ${ours}${unit} | ${ratio} | ${target} | ${extra} |`);
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

async function startOnce(kind, n) {
  const t = makeTree(`first-${kind}`, n, sleeper);
  let seen = 0;
  const firstP = nextLine(t.fifo, () => true, 60000);
  const allP = nextLine(t.fifo, () => ++seen >= n, 120000);
  startTree(kind, t);
  const first = (await firstP) - t.t0;
  const all = (await allP) - t.t0;
  await stopTree(t);
  return { first, all };
}

async function benchFirst() {
  const sizes = [[N, reps]];
  if (BIG > 0) sizes.push([BIG, Math.max(1, Math.min(3, reps))]);
  for (const [n, r] of sizes) {
    const got = { runit: [], ours: [], node: [] };
    for (let i = 0; i < r; i++) {
      for (const kind of KINDS) got[kind].push(await startOnce(kind, n));
      got.node.push(await nodeE0());
    }
    const m = (kind, k) => median(got[kind].map((x) => x[k]));
    const nodeMs = median(got.node);
    if (n === N) {
      row('first payload started after spawn of runsvdir', f1(m('runit', 'first')), f1(m('ours', 'first')), ' ms', 'ours <= 1.15x node -e 0', `node -e 0 ${f1(nodeMs)} ms; ours / node -e 0 = **${f2(m('ours', 'first') / nodeMs)}**`);
    }
    row(`all ${n} payloads started`, f1(m('runit', 'all')), f1(m('ours', 'all')), ' ms', n === N ? '<= 1.2' : '<= 0.8', `median of ${r}`);
  }
}

async function benchIdle() {
  const got = {};
  for (const kind of KINDS) {
    const t = startTree(kind, makeTree(`idle-${kind}`, N, sleeper));
    await waitAllUp(t);
    await sleep(2000);
    const pids = supervisionPids(t.proc.pid);
    const w0 = sumOver(pids, wakeups);
    const c0 = sumOver(pids, cpuNs);
    await sleep(idleSeconds * 1000);
    got[kind] = { wakeups: sumOver(pids, wakeups) - w0, cpuMs: (sumOver(pids, cpuNs) - c0) / 1e6, procs: pids.length };
    await stopTree(t);
  }
  row(`idle ${idleSeconds} s, ${N} services: wake-ups`, got.runit.wakeups, got.ours.wakeups, '', '<= 1', `runit tree ${got.runit.procs} processes`);
  row(`idle ${idleSeconds} s, ${N} services: CPU`, f2(got.runit.cpuMs), f2(got.ours.cpuMs), ' ms', '<= 3');
}

async function benchCrash() {
  const n = 50;
  const warm = 3000;
  const windowMs = 15000;
  const got = {};
  for (const kind of KINDS) {
    const t = startTree(kind, makeTree(`crash-${kind}`, n, crasher));
    await sleep(warm);
    // the runsv set is fixed once every service has been seen; the crashing shells are not in it
    const pids = supervisionPids(t.proc.pid);
    const c0 = sumOver(pids, cpuNs);
    const l0 = t.fifo.lines.length;
    await sleep(windowMs);
    const restarts = t.fifo.lines.length - l0;
    const cpuMs = (sumOver(pids, cpuNs) - c0) / 1e6;
    got[kind] = { perRestart: cpuMs / restarts, restarts, procs: pids.length };
    await stopTree(t);
  }
  row(`crash storm, ${n} services: CPU per restart`, f2(got.runit.perRestart), f2(got.ours.perRestart), ' ms', '<= 2', `restarts in ${windowMs / 1000} s: runit ${got.runit.restarts}, ours ${got.ours.restarts}`);
}

async function benchRespawn() {
  const n = 20;
  const kills = Math.max(20, reps);
  const t = {};
  for (const kind of KINDS) t[kind] = startTree(kind, makeTree(`respawn-${kind}`, n, sleeper));
  for (const kind of KINDS) await waitAllUp(t[kind]);
  await sleep(1500); // past runsv's one-second throttle
  const got = { runit: [], ours: [] };
  for (let k = 0; k < kills; k++) {
    for (const kind of KINDS) {
      const s = `s${k % n}`;
      const pid = readPid(path.join(t[kind].scan, s));
      if (!pid) throw new Error(`${kind}: no pid for ${s}`);
      const back = nextLine(t[kind].fifo, (l) => l === s, 10000);
      const t0 = performance.now();
      process.kill(pid, 'SIGKILL');
      got[kind].push((await back) - t0);
      await sleep(50);
    }
  }
  for (const kind of KINDS) await stopTree(t[kind]);
  row('respawn after SIGKILL, median', f2(median(got.runit)), f2(median(got.ours)), ' ms', '<= 1.3', `${kills} kills each`);
}

async function benchSv() {
  const t = {};
  const sv = { runit: path.join(refBin, 'sv'), ours: path.join(ourBin, 'sv') };
  for (const kind of KINDS) t[kind] = startTree(kind, makeTree(`sv-${kind}`, 1, sleeper));
  for (const kind of KINDS) await waitAllUp(t[kind]);
  await sleep(1100);
  const got = { runit: [], ours: [], node: [] };
  const samples = Math.max(9, reps);
  for (let i = 0; i < samples; i++) {
    for (const kind of KINDS) {
      const s = path.join(t[kind].scan, 's0');
      const r = await timed(sv[kind], ['-w', '7', 'down', s], envFor(kind));
      if (r.code !== 0) throw new Error(`${kind} sv -w 7 down exited ${r.code}`);
      got[kind].push(r.ms);
      const back = nextLine(t[kind].fifo, (l) => l === 's0', 10000);
      await timed(sv[kind], ['up', s], envFor(kind));
      await back;
    }
    got.node.push(await nodeE0());
    await sleep(1100); // keep runsv's restart throttle out of the next sample
  }
  for (const kind of KINDS) await stopTree(t[kind]);
  const nodeMs = median(got.node);
  const ours = median(got.ours);
  row('`sv -w 7 down S`, wall', f1(median(got.runit)), f1(ours), ' ms', 'ours <= 1.15x node -e 0', `node -e 0 ${f1(nodeMs)} ms; ours / node -e 0 = **${f2(ours / nodeMs)}**; ${samples} samples`);
}

async function memoryOnce(kind, n) {
  const t = startTree(kind, makeTree(`mem-${kind}`, n, sleeper, { withLog: true }));
  await waitAllUp(t);
  await sleep(2000);
  const pids = supervisionPids(t.proc.pid);
  const m = { pss: sumOver(pids, (p) => rollup(p).pss), privateDirty: sumOver(pids, (p) => rollup(p).privateDirty), procs: pids.length };
  await stopTree(t);
  return m;
}

async function benchMemory() {
  const sizes = [10, 100];
  const r = Math.max(1, Math.min(3, reps));
  const got = {};
  for (const n of sizes) got[n] = { runit: [], ours: [] };
  for (let i = 0; i < r; i++) for (const n of sizes) for (const kind of KINDS) got[n][kind].push(await memoryOnce(kind, n));
  const m = (n, kind, k) => median(got[n][kind].map((x) => x[k]));
  const mb = (kb) => (kb / 1024).toFixed(1);
  row('private dirty, 10 logged services, 2 s after all up', mb(m(10, 'runit', 'privateDirty')), mb(m(10, 'ours', 'privateDirty')), ' MB', 'ours <= 8 MB', `median of ${r}`);
  row('private dirty, 100 logged services, 2 s after all up', mb(m(100, 'runit', 'privateDirty')), mb(m(100, 'ours', 'privateDirty')), ' MB', '<= 0.8', `runit tree ${got[100].runit[0].procs} processes`);
  const per = (kind) => (m(100, kind, 'pss') - m(10, kind, 'pss')) / 90;
  row('PSS added per logged service (10 -> 100)', per('runit').toFixed(0), per('ours').toFixed(0), ' KB', 'ours <= 40 KB', `PSS at 100: runit ${mb(m(100, 'runit', 'pss'))} MB, ours ${mb(m(100, 'ours', 'pss'))} MB`);
}

async function main() {
  for (const f of [path.join(refBin, 'runsvdir'), path.join(root, 'dist', 'cli', 'runsvdir.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`missing ${f}: run npm ci and npm run reference`);
      process.exit(1);
    }
  }
  const load0 = os.loadavg();
  const t0 = Date.now();
  const parts = { first: benchFirst, idle: benchIdle, crash: benchCrash, respawn: benchRespawn, sv: benchSv, memory: benchMemory };
  for (const [name, fn] of Object.entries(parts)) if (only.has(name)) await fn();
  const load1 = os.loadavg();
  console.log(`lean bench: ${os.cpus().length} CPUs (${os.cpus()[0].model}), Node ${process.version}, load average ${load0.map(f2).join(' ')} at start, ${load1.map(f2).join(' ')} at end, ${((Date.now() - t0) / 1000).toFixed(0)} s, --reps ${reps}`);
  console.log('');
  console.log('| figure | runit | ours | ours/runit | target | notes |');
  console.log('|---|---:|---:|---:|---|---|');
  for (const r of rows) console.log(r);
  for (const n of notes) console.log(n);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
