#!/usr/bin/env node
// One busy service's log, three ways in one run: runit (runsv + svlogd processes),
// our runsv with the svlogd engine in-process, and our runsv spawning our svlogd
// (log/inline = no). The service writes N numbered 100-byte lines as fast as it
// can; time from start until every line is in the log folder (verified: all N,
// in order). Then a soak: M services logging steadily, the daemon's memory sampled
// over time (no growth expected).
//
//   node bench/inline-log-bench.js [--lines 1000000] [--soak-services 100] [--soak-seconds 120]
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const refBin = path.join(root, '.reference', 'usr', 'bin');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const N = Number(opt('--lines', '1000000'));
const soakServices = Number(opt('--soak-services', '100'));
const soakSeconds = Number(opt('--soak-seconds', '120'));

function service(dir, { lines, inline, perSecond }) {
  fs.mkdirSync(path.join(dir, 'log', 'main'), { recursive: true });
  const body = perSecond
    ? `i=0; while :; do i=$((i+1)); printf '%098d\\n' $i; [ $((i % ${perSecond})) -eq 0 ] && sleep 1; done`
    : `[ -e done ] && exec sleep 100000\ntouch done\nawk 'BEGIN { for (i = 0; i < ${lines}; i++) printf "%099d\\n", i }'\nexec sleep 100000`;
  fs.writeFileSync(path.join(dir, 'run'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'log', 'run'), '#!/bin/sh\nexec svlogd -tt ./main\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'log', 'main', 'config'), 's10000000\nn100\n');
  if (inline === false) fs.writeFileSync(path.join(dir, 'log', 'inline'), 'no\n');
}

function countLines(main) {
  let n = 0;
  let last = null;
  const files = fs.readdirSync(main).filter((f) => f.startsWith('@')).sort();
  if (fs.existsSync(path.join(main, 'current'))) files.push('current');
  for (const f of files) {
    const text = fs.readFileSync(path.join(main, f), 'latin1');
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      const num = Number(text.slice(text.indexOf(' ', pos) + 1, nl));
      if (last !== null && num !== last + 1) return { n, ordered: false };
      last = num;
      n++;
      pos = nl + 1;
    }
  }
  return { n, ordered: true };
}

function stop(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.on('exit', resolve);
    proc.kill('SIGTERM');
  });
}

async function throughput(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-logbench-'));
  const svc = path.join(dir, 's');
  service(svc, { lines: N, inline: kind === 'inline' });
  const runsv = kind === 'runit' ? path.join(refBin, 'runsv') : path.join(root, 'bin', 'runsv');
  const PATH = `${kind === 'runit' ? refBin : path.join(root, 'bin')}:${process.env.PATH}`;
  const t0 = performance.now();
  const proc = spawn(runsv, [svc], { stdio: 'ignore', env: { ...process.env, PATH } });
  const main = path.join(svc, 'log', 'main');
  let seen = { n: 0, ordered: true };
  const deadline = Date.now() + 600000;
  // a rotation between listing and reading shows a gap: read again
  while (!(seen.n === N && seen.ordered) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      seen = countLines(main);
    } catch {
      seen = { n: 0, ordered: false };
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await stop(proc);
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, linesPerSecond: N / seconds, ok: seen.ordered && seen.n === N };
}

function rollup(pid) {
  const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return { pss: Number(/Pss:\s+(\d+)/.exec(t)[1]), privateDirty: Number(/Private_Dirty:\s+(\d+)/.exec(t)[1]) };
}

async function soak() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-soak-'));
  for (let i = 0; i < soakServices; i++) service(path.join(dir, `s${i}`), { perSecond: 20, inline: true });
  const proc = spawn(path.join(root, 'bin', 'runsvdir'), [dir], { stdio: 'ignore', env: { ...process.env, PATH: `${path.join(root, 'bin')}:${process.env.PATH}` } });
  const samples = [];
  const t0 = Date.now();
  while (Date.now() - t0 < soakSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 10000));
    samples.push({ t: Math.round((Date.now() - t0) / 1000), ...rollup(proc.pid) });
  }
  await stop(proc);
  for (let i = 0; i < soakServices; i++) {
    for (const d of [path.join(dir, `s${i}`), path.join(dir, `s${i}`, 'log')]) {
      try {
        const pid = Number(fs.readFileSync(path.join(d, 'supervise', 'pid'), 'utf8'));
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // none
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return samples;
}

async function main() {
  console.log(`one busy service, ${N} lines of 100 bytes, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  console.log('| logger | seconds | lines/s | all lines, in order |');
  console.log('|---|---:|---:|---|');
  const results = {};
  for (const kind of ['runit', 'inline', 'spawned']) {
    results[kind] = await throughput(kind);
    const r = results[kind];
    console.log(`| ${kind === 'runit' ? "runit's runsv + svlogd" : kind === 'inline' ? 'ours, in-process engine' : 'ours, spawned svlogd'} | ${r.seconds.toFixed(2)} | ${Math.round(r.linesPerSecond)} | ${r.ok} |`);
  }
  console.log(`\nin-process vs runit: ${(results.inline.linesPerSecond / results.runit.linesPerSecond).toFixed(2)}x; in-process vs spawned: ${(results.inline.linesPerSecond / results.spawned.linesPerSecond).toFixed(2)}x`);
  if (soakSeconds > 0) {
    const samples = await soak();
    console.log(`\nsoak: ${soakServices} services each logging 20 lines/s, daemon memory over ${soakSeconds} s (kB):`);
    console.log(samples.map((s) => `t=${s.t}s PSS ${s.pss} Private_Dirty ${s.privateDirty}`).join('\n'));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
