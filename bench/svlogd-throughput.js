#!/usr/bin/env node
// Throughput of 1,000,000 100-byte lines through `svlogd -tt` with config
// `s1000000` + `n5`, ours against runit's svlogd in the same run (rounds
// interleaved so load from other processes hits both alike; medians). Input comes
// through a pipe (`cat file |`), as from runsv. CPU = user+sys of svlogd alone
// (/usr/bin/time). A separate run per implementation with `n0` (keep everything)
// checks that no line is lost, duplicated or reordered.
//
//   node bench/svlogd-throughput.js [rounds] [lines]    (after `npx tsc -p .`)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const impls = {
  runit: path.join(root, '.reference', 'usr', 'bin', 'svlogd'),
  ours: path.join(root, 'bin', 'svlogd'),
};
const rounds = Number(process.argv[2] || 3);
const N = Number(process.argv[3] || 1000000);

for (const [name, bin] of Object.entries(impls)) {
  if (!fs.existsSync(bin)) {
    console.error(`missing ${name}: ${bin} (npm run reference; npx tsc -p .)`);
    process.exit(1);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svlogd-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// 100 bytes per line: 8-digit number, padding, newline
const input = path.join(tmp, 'input');
{
  const fd = fs.openSync(input, 'w');
  const pad = ' ' + 'x'.repeat(90) + '\n';
  const batch = 10000;
  for (let i = 0; i < N; i += batch) {
    let s = '';
    for (let j = i; j < Math.min(N, i + batch); j++) s += String(j).padStart(8, '0') + pad;
    fs.writeSync(fd, s);
  }
  fs.closeSync(fd);
}

function run(bin, config) {
  const dir = path.join(tmp, 'log');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config'), config);
  const timeFile = path.join(tmp, 'time');
  const r = spawnSync('sh', ['-c', `cat "$1" | /usr/bin/time -f '%e %U %S' -o "$2" "$3" -tt "$4"`, 'sh', input, timeFile, bin, dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.status}`);
  const [wall, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, dir };
}

/** Lines kept in the folder, oldest first, stamps removed. */
function keptLines(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('@')).sort();
  files.push('current');
  const out = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'latin1');
    for (const l of text.split('\n')) if (l) out.push(l);
  }
  return { files: files.length, lines: out };
}

function checkTail(lines, expectAll) {
  // every line: 26-byte stamp + the input line; numbers consecutive up to N-1
  const first = Number(lines[0].slice(26, 34));
  if (expectAll && first !== 0) return `starts at line ${first}`;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length !== 26 + 99 || Number(l.slice(26, 34)) !== first + i) return `line ${i} wrong: ${JSON.stringify(l.slice(0, 60))}`;
  }
  if (first + lines.length !== N) return `ends at ${first + lines.length - 1}, want ${N - 1}`;
  return null;
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const res = { runit: [], ours: [] };
for (let r = 0; r < rounds; r++) {
  for (const name of r % 2 ? ['ours', 'runit'] : ['runit', 'ours']) {
    const m = run(impls[name], 's1000000\nn5\n');
    const kept = keptLines(m.dir);
    const bad = checkTail(kept.lines, false);
    if (bad) throw new Error(`${name} n5 run: ${bad}`);
    res[name].push(m);
    console.log(`round ${r + 1} ${name}: ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU, ${(N / m.wall).toFixed(0)} lines/s; ${kept.files} files, ${kept.lines.length} lines kept, consecutive up to the last`);
  }
}

const loss = {};
for (const name of ['runit', 'ours']) {
  const m = run(impls[name], 's1000000\nn0\n');
  const kept = keptLines(m.dir);
  const bad = checkTail(kept.lines, true);
  loss[name] = bad ? `LOSS: ${bad}` : `all ${kept.lines.length} lines, in order, in ${kept.files} files`;
  console.log(`loss check ${name} (n0): ${loss[name]}`);
}

const summary = {};
for (const name of ['runit', 'ours']) {
  const wall = median(res[name].map((m) => m.wall));
  const cpu = median(res[name].map((m) => m.cpu));
  summary[name] = { wall, cpu, rate: N / wall };
}
console.log('');
console.log(`| | runit svlogd | ours | ours/runit |`);
console.log(`|---|---|---|---|`);
console.log(`| lines/s (median of ${rounds}) | ${summary.runit.rate.toFixed(0)} | ${summary.ours.rate.toFixed(0)} | ${(summary.ours.rate / summary.runit.rate).toFixed(2)} |`);
console.log(`| wall s | ${summary.runit.wall.toFixed(2)} | ${summary.ours.wall.toFixed(2)} | ${(summary.ours.wall / summary.runit.wall).toFixed(2)} |`);
console.log(`| CPU s (user+sys) | ${summary.runit.cpu.toFixed(2)} | ${summary.ours.cpu.toFixed(2)} | ${(summary.ours.cpu / summary.runit.cpu).toFixed(2)} |`);
console.log(`| loss check (n0) | ${loss.runit} | ${loss.ours} | |`);
