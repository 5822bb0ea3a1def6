#!/usr/bin/env node
// Restart costs, runit's runsvdir side by side with ours, alternating runs:
//
//   node bench/restart-bench.js storm   [--n 50] [--secs 10] [--rounds 3]
//     CPU of the supervision tree per restart while N services crash (`exit 1`,
//     restarted each ~1 s by the throttle), over N*SECS restarts.
//   node bench/restart-bench.js respawn [--n 10] [--kills 30] [--rounds 3]
//     SIGKILL a payload that has been up > 1 s; time until the new one runs.
//   node bench/restart-bench.js mem     [--sizes 10,100] [--rounds 1] [--settle 2]
//     PSS and Private_Dirty of the tree with N logged services (log/run =
//     `exec svlogd -tt ./main`), SETTLE s after all are up.
//   --tmp DIR: where the scan folders go (a tmpfs leaves out the disk file system's
//     inode allocation, which on a busy ext4 costs runit and us alike per status file).
//
// Payload starts are timed by `echo NAME >FIFO` in ./run, read here through a
// socket on the FIFO. CPU: first field of /proc/PID/task/*/schedstat (ns).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { comm, cpuNs, rollup, supervisionPids } = require('./tree');

const root = path.resolve(__dirname, '..');
const refBin = path.join(root, '.reference', 'usr', 'bin');
// another checkout's daemon as `ours` (a before/after comparison), e.g. OURS=/tmp/old
const ours = process.env.OURS ? path.resolve(process.env.OURS) : root;
const args = process.argv.slice(2);
const mode = args[0] || 'storm';
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

const sum = (xs, fn) => xs.map(fn).reduce((a, b) => a + b, 0);

/** A FIFO the payloads write their name to; `on(name, t)` per line. */
function openFifo(dir, on) {
  const p = path.join(dir, '.fifo');
  require('node:child_process').execFileSync('mkfifo', [p]);
  const fd = fs.openSync(p, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const sock = new net.Socket({ fd, readable: true, writable: false });
  let buf = '';
  sock.on('data', (d) => {
    const t = performance.now();
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      on(buf.slice(0, i), t);
      buf = buf.slice(i + 1);
    }
  });
  return { path: p, close: () => sock.destroy() };
}

function makeScanDir(n, runBody, withLog) {
  const dir = fs.mkdtempSync(path.join(opt('--tmp', os.tmpdir()), 'runitd-restart-'));
  return { dir, make: (fifo) => {
    for (let i = 0; i < n; i++) {
      const s = path.join(dir, `.s${i}`);
      fs.mkdirSync(s);
      fs.writeFileSync(path.join(s, 'run'), `#!/bin/sh\n${runBody(`s${i}`, fifo)}\n`, { mode: 0o755 });
      if (withLog) {
        fs.mkdirSync(path.join(s, 'log', 'main'), { recursive: true });
        fs.writeFileSync(path.join(s, 'log', 'run'), '#!/bin/sh\nexec svlogd -tt ./main\n', { mode: 0o755 });
      }
      fs.renameSync(s, path.join(dir, `s${i}`));
    }
  } };
}

function startTree(kind, dir) {
  const env = { ...process.env, PATH: kind === 'runit' ? `${refBin}:${process.env.PATH}` : `${path.join(ours, 'bin')}:${process.env.PATH}` };
  const cmd = kind === 'runit' ? path.join(refBin, 'runsvdir') : path.join(ours, 'bin', 'runsvdir');
  return spawn(cmd, [dir], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

async function stopTree(kind, proc, dir, n) {
  const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
  const runsvs = kind === 'runit' ? supervisionPids(proc.pid).filter((p) => comm(p) === 'runsv') : [];
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
  while (runsvs.some((p) => fs.existsSync(`/proc/${p}`) && comm(p) === 'runsv') && Date.now() < end) await sleep(50);
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
  fs.rmSync(dir, { recursive: true, force: true });
}

function readPid(dir, name) {
  try {
    return Number(fs.readFileSync(path.join(dir, name, 'supervise', 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

async function storm(kind, n, secs) {
  const sd = makeScanDir(n, (name, fifo) => `echo ${name} >${fifo}\nexit 1`, false);
  let starts = 0;
  const fifo = openFifo(sd.dir, () => starts++);
  sd.make(fifo.path);
  const proc = startTree(kind, sd.dir);
  await sleep(3000); // all started, in the storm's rhythm
  const pids = supervisionPids(proc.pid);
  // a window of whole cycles: the services crash in phase, so a fixed time
  // window would count 7 or 8 restarts each depending on where it falls
  const s0 = starts;
  const c0 = sum(pids, cpuNs);
  const until = Date.now() + secs * 3000;
  while (starts - s0 < n * secs && Date.now() < until) await sleep(5);
  const c1 = sum(supervisionPids(proc.pid), cpuNs);
  const restarts = starts - s0;
  fifo.close();
  await stopTree(kind, proc, sd.dir, n);
  return { msPerRestart: (c1 - c0) / 1e6 / restarts, restarts };
}

async function respawn(kind, n, kills) {
  const sd = makeScanDir(n, (name, fifo) => `echo ${name} >${fifo}\nexec sleep 100000`, false);
  const seen = new Map();
  const fifo = openFifo(sd.dir, (name, t) => seen.set(name, t));
  sd.make(fifo.path);
  const proc = startTree(kind, sd.dir);
  const end = Date.now() + 60000;
  while (seen.size < n && Date.now() < end) await sleep(20);
  await sleep(1500);
  const times = [];
  for (let k = 0; k < kills; k++) {
    const name = `s${k % n}`;
    const pid = readPid(sd.dir, name);
    seen.delete(name);
    const t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    const until = Date.now() + 10000;
    while (!seen.has(name) && Date.now() < until) await sleep(1);
    if (seen.has(name)) times.push(seen.get(name) - t0);
    await sleep(1200 / n + 50); // each payload up > 1 s before its next kill
  }
  fifo.close();
  await stopTree(kind, proc, sd.dir, n);
  return { median: median(times), count: times.length };
}

async function mem(kind, n, settle) {
  const sd = makeScanDir(n, () => 'exec sleep 100000', true);
  sd.make('');
  const proc = startTree(kind, sd.dir);
  const files = [];
  for (let i = 0; i < n; i++) files.push(path.join(sd.dir, `s${i}`, 'supervise', 'status'), path.join(sd.dir, `s${i}`, 'log', 'supervise', 'status'));
  const end = Date.now() + 120000;
  let pending = files;
  while (pending.length && Date.now() < end) {
    pending = pending.filter((f) => {
      try {
        const b = fs.readFileSync(f);
        return !(b.length === 20 && b[19] === 1);
      } catch {
        return true;
      }
    });
    if (pending.length) await sleep(20);
  }
  await sleep(settle * 1000);
  const pids = supervisionPids(proc.pid);
  const r = { pss: sum(pids, (p) => rollup(p).pss), privateDirty: sum(pids, (p) => rollup(p).privateDirty) };
  await stopTree(kind, proc, sd.dir, n);
  return r;
}

async function main() {
  const rounds = Number(opt('--rounds', mode === 'mem' ? '1' : '3'));
  console.log(`${mode}: ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (mode === 'storm' || mode === 'respawn') {
    const n = Number(opt('--n', mode === 'storm' ? '50' : '10'));
    const res = { runit: [], ours: [] };
    for (let r = 0; r < rounds; r++) {
      for (const kind of r % 2 ? ['ours', 'runit'] : ['runit', 'ours']) {
        const x = mode === 'storm' ? await storm(kind, n, Number(opt('--secs', '10'))) : await respawn(kind, n, Number(opt('--kills', '30')));
        const v = mode === 'storm' ? x.msPerRestart : x.median;
        res[kind].push(v);
        console.log(`  round ${r} ${kind}: ${v.toFixed(3)} ms (${mode === 'storm' ? `${x.restarts} restarts` : `${x.count} respawns`})`);
      }
    }
    const a = median(res.runit);
    const b = median(res.ours);
    console.log(`${mode === 'storm' ? 'CPU per restart' : 'respawn median'}: runit ${a.toFixed(3)} ms, ours ${b.toFixed(3)} ms, ratio ${(b / a).toFixed(2)}`);
  } else {
    const sizes = opt('--sizes', '10,100').split(',').map(Number);
    const settle = Number(opt('--settle', '2'));
    const res = {};
    for (let r = 0; r < rounds; r++) {
      for (const kind of ['runit', 'ours']) {
        for (const n of sizes) {
          const x = await mem(kind, n, settle);
          ((res[kind] ??= {})[n] ??= []).push(x);
          console.log(`  ${kind} ${n}: PSS ${x.pss} kB, Private_Dirty ${x.privateDirty} kB`);
        }
      }
    }
    const m = (kind, n, k) => median(res[kind][n].map((x) => x[k]));
    const [lo, hi] = [sizes[0], sizes[sizes.length - 1]];
    for (const kind of ['runit', 'ours']) {
      console.log(`${kind}: per logged service PSS ${((m(kind, hi, 'pss') - m(kind, lo, 'pss')) / (hi - lo)).toFixed(1)} kB, Private_Dirty ${((m(kind, hi, 'privateDirty') - m(kind, lo, 'privateDirty')) / (hi - lo)).toFixed(1)} kB; at ${hi}: PSS ${m(kind, hi, 'pss')} kB, Private_Dirty ${m(kind, hi, 'privateDirty')} kB`);
    }
    console.log(`ratio at ${hi}: Private_Dirty ${(m('ours', hi, 'privateDirty') / m('runit', hi, 'privateDirty')).toFixed(2)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
