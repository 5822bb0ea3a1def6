#!/usr/bin/env node
'use strict';
// `sv -w 7 down X` / `sv -w 7 up X` round trips: ours (waits on supervise/
// events) against runit's sv (polls every 420 ms), alternating in one run on
// the same service, supervised by runit's runsv (or ours with --runsv ours).
// Also `sv -w 7 exit` of a whole runsv. Prints medians and ratios.
//   node bench/sv-wait.js [rounds] [--runsv ours]     (after `npx tsc -p .`)
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const rounds = Number(process.argv[2]) || 8;
const ourRunsv = process.argv.includes('--runsv') && process.argv[process.argv.indexOf('--runsv') + 1] === 'ours';
const refBin = (n) => path.join(root, '.reference', 'usr', 'bin', n);
const runsvBin = ourRunsv ? path.join(root, 'bin', 'runsv') : refBin('runsv');
const svs = { "runit's sv": refBin('sv'), 'our sv': path.join(root, 'bin', 'sv') };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-bench-svwait-'));
const env = { ...process.env, SVDIR: dir };
delete env.NODE_OPTIONS;
delete env.SVWAIT;
const started = [];

function service(name) {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  const p = spawn(runsvBin, [d], { stdio: 'ignore', env });
  started.push({ p, d });
  return d;
}

function childPid(d) {
  try {
    return Number(fs.readFileSync(path.join(d, 'supervise', 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function cleanup() {
  for (const { p, d } of started) {
    const kid = childPid(d);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
    if (kid) {
      try {
        process.kill(kid, 'SIGKILL');
      } catch {}
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function timed(bin, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return ms;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

service('x');
const deadline = Date.now() + 10000;
while (childPid(path.join(dir, 'x')) === 0) {
  if (Date.now() > deadline) throw new Error('service did not start');
  sleep(20);
}
sleep(1100);

const res = {};
const add = (k, v) => (res[k] = res[k] || []).push(v);
for (let i = 0; i < rounds; i++) {
  for (const [name, bin] of Object.entries(svs)) {
    add(`${name} -w 7 down x`, timed(bin, ['-w', '7', 'down', 'x']));
    add(`${name} -w 7 up x`, timed(bin, ['-w', '7', 'up', 'x']));
    // let runsv's restart throttle (a run shorter than 1 s) stay out of the figures
    sleep(1100);
  }
  const fresh = Object.keys(svs).map((name) => service(`e${i}${name.length}`));
  for (const d of fresh) while (childPid(d) === 0) sleep(10);
  // past the throttle: a service that ran under 1 s makes runsv sleep before exiting
  sleep(1100);
  Object.entries(svs).forEach(([name, bin], j) => add(`${name} -w 7 exit (whole runsv)`, timed(bin, ['-w', '7', 'exit', fresh[j]])));
}
const floor = [];
for (let i = 0; i < rounds; i++) floor.push(timed(process.execPath, ['-e', '0']));

console.log(`${rounds} rounds, runsv: ${ourRunsv ? 'ours' : "runit's"}; median wall time per command:`);
for (const [k, a] of Object.entries(res)) console.log(`  ${k.padEnd(36)} ${median(a).toFixed(1).padStart(7)} ms`);
console.log(`  node -e 0 (start-up floor)           ${median(floor).toFixed(1).padStart(7)} ms`);
for (const what of ['-w 7 down x', '-w 7 up x', '-w 7 exit (whole runsv)']) {
  const r = median(res[`runit's sv ${what}`]);
  const o = median(res[`our sv ${what}`]);
  console.log(`  ${what}: ours/runit = ${(o / r).toFixed(2)} (${(r / o).toFixed(1)}x faster)`);
}
// the runsv children would keep the event loop alive
process.exit(0);
