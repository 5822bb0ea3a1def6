#!/usr/bin/env node
// Start-up of our native chpst against runit's chpst, in the same run: the wall time
// of `chpst ... true` (start, change state, exec true in place), for a few command
// lines and the personalities. Each sample is a batch of runs in one sh loop (so
// Node's own spawn cost does not blur a ~1 ms figure), rounds interleaved so load
// from other processes hits every variant alike; medians. `true` alone is measured
// too: chpst's own cost is the difference. Also the peak RSS of one run.
//
//   node bench/chpst-startup.js [rounds] [batch]      (after npm ci / npm run compile)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ours = path.join(root, 'build', 'Release', 'chpst');
const runit = path.join(root, '.reference', 'usr', 'bin', 'chpst');
const rounds = Number(process.argv[2] || 30);
const batch = Number(process.argv[3] || 50);

for (const [what, f] of [['our chpst (npm ci or npm run compile)', ours], ['runit chpst (npm run reference)', runit]]) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${what}: ${f}`);
    process.exit(1);
  }
}

// personalities by name: links to each chpst in a temporary folder
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chpst-bench-'));
const envDir = path.join(tmp, 'env');
fs.mkdirSync(envDir);
for (const [k, v] of [['A', 'one\n'], ['B', 'two\n'], ['C', '']]) fs.writeFileSync(path.join(envDir, k), v);
const as = (who, name) => {
  const p = path.join(tmp, who, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (!fs.existsSync(p)) fs.symlinkSync(who === 'ours' ? ours : runit, p);
  return p;
};
// `true alone` by its path (a bare `true` is the shell builtin); chpst searches PATH
const trueBin = fs.existsSync('/usr/bin/true') ? '/usr/bin/true' : '/bin/true';

const commands = [
  ['chpst true', 'chpst', ['true']],
  ['chpst -u nobody true', 'chpst', ['-u', 'nobody', 'true']],
  ['chpst -u nobody -e DIR -o 100 true', 'chpst', ['-u', 'nobody', '-e', envDir, '-o', '100', 'true']],
  ['envdir DIR true', 'envdir', [envDir, 'true']],
  ['setuidgid nobody true', 'setuidgid', ['nobody', 'true']],
  ['softlimit -m 100000000 true', 'softlimit', ['-m', '100000000', 'true']],
];
const variants = [['true alone', trueBin, []]];
for (const [name, personality, args] of commands) {
  variants.push([`runit ${name}`, as('runit', personality), args]);
  variants.push([`ours ${name}`, as('ours', personality), args]);
}

const loop = 'i=0; while [ $i -lt $N ]; do "$@" || exit 1; i=$((i+1)); done';
const times = new Map(variants.map(([name]) => [name, []]));
function once([name, bin, args]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/bin/sh', ['-c', loop, 'sh', bin, ...args], { stdio: 'ignore', env: { ...process.env, N: String(batch) } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / batch;
  if (r.status !== 0) throw new Error(`${name}: exit ${r.status}`);
  times.get(name).push(ms);
}

// peak RSS (kB) of one run, chpst and the true it execs being one process
function maxRssKb(bin, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', bin, ...args], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stderr.trim().split('\n').pop()) : null;
}

let rss = null;
try {
  for (const v of variants) once(v); // warm the page cache
  for (let i = 0; i < rounds; i++) for (const v of variants) once(v);
  if (fs.existsSync('/usr/bin/time')) {
    rss = {
      true: maxRssKb(trueBin, []),
      runit: maxRssKb(runit, ['-u', 'nobody', trueBin]),
      ours: maxRssKb(ours, ['-u', 'nobody', trueBin]),
    };
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const med = new Map([...times].map(([k, v]) => [k, median(v)]));
const base = med.get('true alone');
console.log(
  `chpst start-up: ${rounds} rounds x ${batch} runs, median ms per run; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.log('');
console.log(`| command | runit ms | ours ms | ours / runit | runit - true ms | ours - true ms |`);
console.log('|---|---:|---:|---:|---:|---:|');
console.log(`| true alone | ${base.toFixed(3)} | | | | |`);
for (const [name] of commands) {
  const r = med.get(`runit ${name}`);
  const o = med.get(`ours ${name}`);
  console.log(`| ${name} | ${r.toFixed(3)} | ${o.toFixed(3)} | ${(o / r).toFixed(2)}x | ${(r - base).toFixed(3)} | ${(o - base).toFixed(3)} |`);
}
if (rss) console.log(`\npeak RSS of one \`chpst -u nobody true\`: runit ${rss.runit} kB, ours ${rss.ours} kB (${(rss.ours / rss.runit).toFixed(2)}x); true alone ${rss.true} kB`);
