#!/usr/bin/env node
// runsvdir side by side with runit's, in one run: time from start to all services
// up, the supervision tree's memory (PSS and Private_Dirty of runsvdir + every
// runsv for runit, of the one daemon for us), and CPU used while idle.
//
//   node bench/runsvdir-bench.js [--sizes 10,100,1000] [--idle 30] [--settle 90] [--log]
//
// --log gives every service a log service (`exec svlogd -tt ./main`): runit runs
// one svlogd process each, the daemon runs the svlogd engine in-process.
//
// Needs `npm run compile` (or npm ci) and the reference runit in .reference/.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { comm, supervisionPids } = require('./tree');

const root = path.resolve(__dirname, '..');
const refBin = path.join(root, '.reference', 'usr', 'bin');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const sizes = opt('--sizes', '10,100,1000').split(',').map(Number);
const idleSeconds = Number(opt('--idle', '30'));
const withLog = args.includes('--log');
// V8 keeps start-up garbage until its memory reducer runs on an idle heap (10-60 s here):
// measure the steady state, not the boot.
const settleSeconds = Number(opt('--settle', '90'));
const CLK_TCK = 100;

function makeScanDir(n, withLog) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-bench-'));
  for (let i = 0; i < n; i++) {
    const s = path.join(dir, `s${i}`);
    fs.mkdirSync(s);
    fs.writeFileSync(path.join(s, 'run'), '#!/bin/sh\nexec sleep 100000\n', { mode: 0o755 });
    if (withLog) {
      fs.mkdirSync(path.join(s, 'log'));
      fs.mkdirSync(path.join(s, 'log', 'main'));
      fs.writeFileSync(path.join(s, 'log', 'run'), '#!/bin/sh\nexec svlogd -tt ./main\n', { mode: 0o755 });
    }
  }
  return dir;
}

function statusState(file) {
  try {
    const b = fs.readFileSync(file);
    return b.length === 20 ? b[19] : -1;
  } catch {
    return -1;
  }
}

async function waitAllUp(dir, n, withLog, timeoutMs = 300000) {
  const files = [];
  for (let i = 0; i < n; i++) {
    files.push(path.join(dir, `s${i}`, 'supervise', 'status'));
    if (withLog) files.push(path.join(dir, `s${i}`, 'log', 'supervise', 'status'));
  }
  const end = Date.now() + timeoutMs;
  let pending = files;
  while (pending.length) {
    pending = pending.filter((f) => statusState(f) !== 1);
    if (!pending.length) break;
    if (Date.now() > end) throw new Error(`not all up: ${pending.length} left`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function rollup(pid) {
  const out = { pss: 0, privateDirty: 0, rss: 0 };
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
      const m = /^(Pss|Private_Dirty|Rss):\s+(\d+) kB/.exec(line);
      if (m) out[m[1] === 'Pss' ? 'pss' : m[1] === 'Rss' ? 'rss' : 'privateDirty'] += Number(m[2]);
    }
  } catch {
    // gone
  }
  return out;
}

function cpuTicks(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Voluntary context switches of every thread: how often the process went to sleep and was woken. */
function wakeups(pid) {
  let n = 0;
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const t of tasks) {
    try {
      const m = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'));
      if (m) n += Number(m[1]);
    } catch {
      // thread gone
    }
  }
  return n;
}

function sum(pids, fn) {
  return pids.map(fn).reduce((a, b) => a + b, 0);
}

async function stopTree(kind, proc, dir, n) {
  const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
  if (kind === 'runit') {
    // runit's runsvdir leaves its runsv processes on TERM: stop those as stage 3 does
    const runsvs = supervisionPids(proc.pid).filter((p) => comm(p) === 'runsv');
    proc.kill('SIGTERM');
    await exited;
    for (const p of runsvs) {
      try {
        process.kill(p, 'SIGTERM');
      } catch {
        // gone
      }
    }
    const end = Date.now() + 60000;
    while (runsvs.some((p) => fs.existsSync(`/proc/${p}`) && comm(p) === 'runsv') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  } else {
    proc.kill('SIGTERM');
    await exited;
  }
  // anything left (should be nothing): by pid from supervise/pid
  for (let i = 0; i < n; i++) {
    for (const d of [path.join(dir, `s${i}`), path.join(dir, `s${i}`, 'log')]) {
      try {
        const pid = Number(fs.readFileSync(path.join(d, 'supervise', 'pid'), 'utf8'));
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // no pid
      }
    }
  }
}

async function runOne(kind, n, { withLog = false, idle = 0 } = {}) {
  const dir = makeScanDir(n, withLog);
  const env = { ...process.env, PATH: kind === 'runit' ? `${refBin}:${process.env.PATH}` : `${path.join(root, 'bin')}:${process.env.PATH}` };
  const cmd = kind === 'runit' ? path.join(refBin, 'runsvdir') : path.join(root, 'bin', 'runsvdir');
  const t0 = performance.now();
  const proc = spawn(cmd, [dir], { stdio: ['ignore', 'ignore', 'ignore'], env });
  await waitAllUp(dir, n, withLog);
  const bootMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  const pids = supervisionPids(proc.pid);
  const mem = { pss: sum(pids, (p) => rollup(p).pss), privateDirty: sum(pids, (p) => rollup(p).privateDirty), processes: pids.length };
  let cpuSeconds = null;
  let idleWakeups = null;
  if (idle > 0) {
    const before = sum(pids, cpuTicks);
    const wokenBefore = sum(pids, wakeups);
    await new Promise((r) => setTimeout(r, idle * 1000));
    const after = supervisionPids(proc.pid);
    cpuSeconds = (sum(after, cpuTicks) - before) / CLK_TCK;
    idleWakeups = sum(after, wakeups) - wokenBefore;
  }
  await stopTree(kind, proc, dir, n);
  fs.rmSync(dir, { recursive: true, force: true });
  return { bootMs, ...mem, cpuSeconds, idleWakeups };
}

const fmt = (x, d = 0) => (x === null ? '-' : x.toFixed(d));

async function main() {
  if (!fs.existsSync(path.join(refBin, 'runsvdir'))) {
    console.error('reference runit missing: run npm run reference');
    process.exit(1);
  }
  console.log(`runsvdir benchmark${withLog ? ' (every service with a log service)' : ''}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| services | runit boot ms | ours boot ms | ratio | runit PSS kB (procs) | ours PSS kB | ratio | runit Private_Dirty kB | ours Private_Dirty kB | ratio |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const results = [];
  for (const n of sizes) {
    const runit = await runOne('runit', n, { withLog });
    const ours = await runOne('ours', n, { withLog });
    results.push({ n, runit, ours });
    console.log(
      `| ${n} | ${fmt(runit.bootMs)} | ${fmt(ours.bootMs)} | ${fmt(ours.bootMs / runit.bootMs, 2)} | ${runit.pss} (${runit.processes}) | ${ours.pss} | ${fmt(ours.pss / runit.pss, 2)} | ${runit.privateDirty} | ${ours.privateDirty} | ${fmt(ours.privateDirty / runit.privateDirty, 2)} |`,
    );
  }
  if (results.length >= 2) {
    const a = results[results.length - 2];
    const b = results[results.length - 1];
    const per = (k, x) => ((b[k][x] - a[k][x]) / (b.n - a.n)).toFixed(1);
    console.log(`\nmarginal cost per service${withLog ? '+log' : ''} (${a.n} -> ${b.n}): PSS runit ${per('runit', 'pss')} kB, ours ${per('ours', 'pss')} kB; Private_Dirty runit ${per('runit', 'privateDirty')} kB, ours ${per('ours', 'privateDirty')} kB`);
  }
  if (idleSeconds > 0) {
    const runit = await runOne('runit', 100, { idle: idleSeconds, withLog });
    const ours = await runOne('ours', 100, { idle: idleSeconds, withLog });
    console.log(`\nCPU while 100 services idle for ${idleSeconds} s: runit ${fmt(runit.cpuSeconds, 2)} s, ours ${fmt(ours.cpuSeconds, 2)} s`);
    console.log(`wake-ups (voluntary context switches of every thread) in those ${idleSeconds} s: runit ${runit.idleWakeups}, ours ${ours.idleWakeups}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
