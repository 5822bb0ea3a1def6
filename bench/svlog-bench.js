#!/usr/bin/env node
// The log pager on a ~200 MB svlogd history (20 rotated files of 10 MB + a 10 MB
// current, 100-byte lines with TAI64N labels), against what runit users do today,
// in the same run (rounds interleaved, medians of wall time and peak RSS from
// /usr/bin/time):
//   tail:  svlog -n 100 DIR          vs  cat @* current | tai64nlocal | tail -n 100
//   whole: svlog DIR > /dev/null     vs  cat @* current | tai64nlocal > /dev/null
//   conv:  our tai64nlocal           vs  daemontools tai64nlocal, on 10 MB
//
//   node bench/svlog-bench.js [rounds] [MB per file]    (after `npx tsc -p .`)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const refTai = path.join(root, '.reference', 'usr', 'bin', 'tai64nlocal');
const ourTai = path.join(root, 'bin', 'tai64nlocal');
const svlog = path.join(root, 'bin', 'svlog');
const rounds = Number(process.argv[2] || 5);
const mbPerFile = Number(process.argv[3] || 10);
for (const f of [refTai, ourTai, svlog, '/usr/bin/time']) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${f} (npm run reference; npx tsc -p .)`);
    process.exit(1);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svlog-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const dir = path.join(tmp, 'log');
fs.mkdirSync(dir);

function label(us) {
  const sec = Math.floor(us / 1e6);
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE((1n << 62n) + 10n + BigInt(sec), 0);
  b.writeUInt32BE((us - sec * 1e6) * 1000 + 500, 8);
  return '@' + b.toString('hex');
}

// 100-byte lines: label, space, 73 bytes of text, newline
let clock = Date.now() * 1000 - 21 * 3600e6;
function file(bytes) {
  const lines = Math.floor(bytes / 100);
  const parts = [];
  let s = '';
  for (let i = 0; i < lines; i++) {
    clock += 1000 + (i % 7);
    s += label(clock) + ' ' + ('request ' + i + ' served in ' + (i % 997) + ' ms ').padEnd(73, '.') + '\n';
    if (s.length > 1 << 20) {
      parts.push(s);
      s = '';
    }
  }
  parts.push(s);
  return parts.join('');
}
const bytesPerFile = mbPerFile * 1024 * 1024;
for (let i = 0; i < 20; i++) {
  const body = file(bytesPerFile);
  clock += 1000;
  fs.writeFileSync(path.join(dir, label(clock) + '.s'), body);
}
fs.writeFileSync(path.join(dir, 'current'), file(bytesPerFile));
const totalMB = (21 * bytesPerFile) / 1048576;
const tenMB = path.join(dir, 'current');

function timed(cmd) {
  const timeFile = path.join(tmp, 'time');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, 'sh', '-c', cmd], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${cmd}`);
  const [wall, rssKb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, rssMB: rssKb / 1024 };
}

// RSS of a shell pipeline is that of its largest process (time measures sh and
// waits for all, %M is the max over the waited-for children)
const cases = {
  'tail -n 100': {
    ours: `"${svlog}" -n 100 . > /dev/null`,
    runit: `cat @* current | "${refTai}" | tail -n 100 > /dev/null`,
  },
  'whole history': {
    ours: `"${svlog}" . > /dev/null`,
    runit: `cat @* current | "${refTai}" > /dev/null`,
  },
  'tai64nlocal 10 MB': {
    ours: `"${ourTai}" < "${tenMB}" > /dev/null`,
    runit: `"${refTai}" < "${tenMB}" > /dev/null`,
  },
  'svlog --since -30m (last ~2 files)': {
    ours: `"${svlog}" --since -30m . > /dev/null`,
    runit: `cat @* current | "${refTai}" | awk '$0 >= "${new Date(Date.now() - 1800e3).toISOString().replace('T', ' ').slice(0, 19)}"' > /dev/null`,
  },
};

// check the outputs agree before timing anything
{
  const a = spawnSync('sh', ['-c', `"${svlog}" -n 100 .`], { cwd: dir, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 24 }).stdout;
  const b = spawnSync('sh', ['-c', `cat @* current | "${refTai}" | tail -n 100`], { cwd: dir, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 24 }).stdout;
  if (!a.equals(b)) throw new Error('svlog -n 100 differs from cat | tai64nlocal | tail');
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
console.log(`history: ${totalMB.toFixed(0)} MB in 21 files, ${rounds} rounds, medians`);
console.log('case | ours s | runit s | ratio runit/ours | ours peak RSS MB | runit peak RSS MB');
for (const [name, c] of Object.entries(cases)) {
  const res = { ours: [], runit: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? ['runit', 'ours'] : ['ours', 'runit']) res[side].push(timed(c[side]));
  }
  const ow = median(res.ours.map((x) => x.wall));
  const rw = median(res.runit.map((x) => x.wall));
  const om = median(res.ours.map((x) => x.rssMB));
  const rm = median(res.runit.map((x) => x.rssMB));
  console.log(`${name} | ${ow.toFixed(2)} | ${rw.toFixed(2)} | ${(rw / ow).toFixed(2)} | ${om.toFixed(1)} | ${rm.toFixed(1)}`);
}
