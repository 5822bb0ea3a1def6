#!/usr/bin/env node
// Boot of N services whose run is the common runit idiom
//     #!/bin/sh
//     exec chpst -u nobody sleep 1000
// under our runsvdir (with our chpst on PATH) against runit's runsvdir (with runit's
// chpst on PATH), in the same run, rounds interleaved. Measured from spawning
// runsvdir until the first payload runs and until all N do; a payload "runs" when
// the service's pid (supervise/pid) has exec'd sleep as nobody. Medians and ratios.
// The same boot with `exec sleep 1000` (no chpst) is measured too, as the control:
// what the supervisors cost without chpst.
//
//   node bench/chpst-boot.js [services] [rounds]      (after npm ci / npm run compile)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const refBin = path.join(root, '.reference', 'usr', 'bin');
const n = Number(process.argv[2] || 100);
const rounds = Number(process.argv[3] || 5);
const NOBODY = 65534;

for (const f of [path.join(refBin, 'runsvdir'), path.join(refBin, 'chpst'), path.join(root, 'build', 'Release', 'chpst'), path.join(root, 'dist', 'cli', 'runsvdir.js')]) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${f}: run npm ci (or npm run compile) and npm run reference`);
    process.exit(1);
  }
}

const RUNS = { chpst: 'exec chpst -u nobody sleep 1000', plain: 'exec sleep 1000' };

function makeScanDir(run) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chpst-boot-'));
  for (let i = 0; i < n; i++) {
    const s = path.join(dir, `s${i}`);
    fs.mkdirSync(s);
    fs.writeFileSync(path.join(s, 'run'), `#!/bin/sh\n${RUNS[run]}\n`, { mode: 0o755 });
  }
  // a scan folder changed in the current second makes runit's runsvdir (and ours,
  // which keeps its rule) wait for the next second before it trusts the scan: boot
  // measures an existing folder, as at system start
  const past = new Date(Date.now() - 60000);
  fs.utimesSync(dir, past, past);
  return dir;
}

/** The service's pid runs sleep (as nobody, if asked). */
function payloadRuns(dir, i, uid) {
  try {
    const pid = fs.readFileSync(path.join(dir, `s${i}`, 'supervise', 'pid'), 'utf8').trim();
    if (!pid) return false;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^Name:\tsleep$/m.test(status) && (uid === null || new RegExp(`^Uid:\\t${uid}\\t`, 'm').test(status));
  } catch {
    return false;
  }
}

function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms));

async function stop(kind, proc, dir) {
  const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
  // runit's runsvdir leaves its runsv processes running on TERM: stop those too
  const runsvs = kind === 'runit' ? children(proc.pid) : [];
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
  while (runsvs.some((p) => fs.existsSync(`/proc/${p}`)) && Date.now() < end) await sleepMs(50);
  // anything left by pid (should be nothing)
  for (let i = 0; i < n; i++) {
    try {
      const pid = Number(fs.readFileSync(path.join(dir, `s${i}`, 'supervise', 'pid'), 'utf8'));
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // none
    }
  }
}

async function boot(kind, run) {
  const dir = makeScanDir(run);
  const uid = run === 'chpst' ? NOBODY : null;
  const bin = kind === 'runit' ? refBin : path.join(root, 'bin');
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const t0 = performance.now();
  const proc = spawn(path.join(bin, 'runsvdir'), [dir], { stdio: 'ignore', env });
  let first = null;
  const pending = new Set(Array.from({ length: n }, (_, i) => i));
  const end = Date.now() + 300000;
  while (pending.size) {
    for (const i of pending) {
      if (!payloadRuns(dir, i, uid)) continue;
      pending.delete(i);
      if (first === null) first = performance.now() - t0;
    }
    if (!pending.size) break;
    if (Date.now() > end) throw new Error(`${kind}: ${pending.size} payloads not running after 300 s`);
    // look often until the first shows (its time is the figure), then every 10 ms
    await sleepMs(first === null ? 1 : 10);
  }
  const all = performance.now() - t0;
  await stop(kind, proc, dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return { first, all };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const res = { chpst: { runit: [], ours: [] }, plain: { runit: [], ours: [] } };
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  for (let r = 0; r < rounds; r++) {
    for (const run of ['chpst', 'plain']) {
      for (const kind of r % 2 ? ['ours', 'runit'] : ['runit', 'ours']) res[run][kind].push(await boot(kind, run));
    }
  }
  console.log(`boot of ${n} services, ${rounds} rounds; ${os.cpus().length} CPUs, load at start ${load}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('');
  console.log('| run | | runit ms | ours ms | ours / runit |');
  console.log('|---|---|---:|---:|---:|');
  for (const run of ['chpst', 'plain']) {
    for (const [label, k] of [['first payload runs', 'first'], [`all ${n} payloads run`, 'all']]) {
      const a = median(res[run].runit.map((x) => x[k]));
      const b = median(res[run].ours.map((x) => x[k]));
      console.log(`| \`${RUNS[run]}\` | ${label} (median) | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)}x |`);
    }
  }
  console.log('');
  const fmt = (xs) => xs.map((x) => `${x.first.toFixed(0)}/${x.all.toFixed(0)}`).join(', ');
  for (const run of ['chpst', 'plain']) console.log(`\`${RUNS[run]}\` rounds (first/all ms): runit ${fmt(res[run].runit)}; ours ${fmt(res[run].ours)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
