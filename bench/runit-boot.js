#!/usr/bin/env node
// runit as PID 1: ours (build/Release/runit) against runit 2.1.2's (.reference/sbin/runit),
// in the same run, rounds interleaved. Each boot happens in fresh PID + mount
// namespaces (unshare, root only) where /etc is an overlay holding the same
// /etc/runit/{1,2,3,nosync} for both, /run a tmpfs, /dev/console a FIFO we read.
// Stage 1 and stage 2 each write a CLOCK_MONOTONIC stamp (from /proc/uptime is too
// coarse: `date +%s%N`, same clock for both); measured:
//   boot to stage 2:  spawn of unshare -> stage 2 running (includes unshare + mounts)
//   stage 1 -> 2:     stage 1 started -> stage 2 started (the init's own part)
//   PID 1 RSS:        VmRSS of the namespace's init while stage 2 runs
// Medians and ratios (ours / runit's) go to stdout and bench/results/init.md.
//
//   node bench/runit-boot.js [rounds]      (root; after npm ci and npm run reference)
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const rounds = Number(process.argv[2] || 7);
const inits = { ours: path.join(root, 'build', 'Release', 'runit'), runit: path.join(root, '.reference', 'sbin', 'runit') };
for (const f of Object.values(inits)) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${f}: run npm ci and npm run reference`);
    process.exit(1);
  }
}

function nowNs() {
  return Number(spawnSync('date', ['+%s%N'], { encoding: 'utf8' }).stdout.trim());
}

function childOf(ppid) {
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === ppid) return Number(e);
    } catch {}
  }
  return 0;
}

async function bootOnce(init) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runit-boot-'));
  try {
    fs.mkdirSync(path.join(dir, 'ov'));
    spawnSync('mkfifo', [path.join(dir, 'console')]);
    const consoleFd = fs.openSync(path.join(dir, 'console'), fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    const sh = [
      'set -e',
      `mount -t tmpfs ov ${dir}/ov; mkdir ${dir}/ov/up ${dir}/ov/work`,
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/ov/up,workdir=${dir}/ov/work /etc`,
      'mount -t tmpfs run /run',
      'mkdir -p /etc/runit; : > /etc/runit/nosync',
      `printf '#!/bin/sh\\ndate +%%s%%N > ${dir}/s1\\n' > /etc/runit/1`,
      `printf '#!/bin/sh\\ndate +%%s%%N > ${dir}/s2.tmp; mv ${dir}/s2.tmp ${dir}/s2\\nexec sleep 3600\\n' > /etc/runit/2`,
      "printf '#!/bin/sh\\n' > /etc/runit/3",
      'chmod 755 /etc/runit/1 /etc/runit/2 /etc/runit/3',
      `mount --bind ${dir}/console /dev/console`,
      `exec ${init}`,
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'boot.sh'), sh);
    const t0 = nowNs();
    const p = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--mount', 'sh', path.join(dir, 'boot.sh')], { stdio: 'ignore' });
    const s2 = path.join(dir, 's2');
    const end = Date.now() + 30000;
    while (!fs.existsSync(s2)) {
      if (Date.now() > end) throw new Error(`${init}: stage 2 did not start`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const pid1 = childOf(p.pid);
    await new Promise((r) => setTimeout(r, 100));
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid1}/status`, 'utf8'))[1]);
    const t1 = Number(fs.readFileSync(path.join(dir, 's1'), 'utf8'));
    const t2 = Number(fs.readFileSync(s2, 'utf8'));
    process.kill(pid1, 'SIGKILL');
    await new Promise((r) => p.on('exit', r));
    fs.closeSync(consoleFd);
    return { toStage2: (t2 - t0) / 1e6, s1to2: (t2 - t1) / 1e6, rssKb: rss };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

(async () => {
  const res = { ours: [], runit: [] };
  for (let i = 0; i < rounds; i++) {
    for (const k of i % 2 ? ['runit', 'ours'] : ['ours', 'runit']) res[k].push(await bootOnce(inits[k]));
  }
  const m = {};
  for (const k of ['ours', 'runit']) {
    m[k] = {
      toStage2: median(res[k].map((r) => r.toStage2)),
      s1to2: median(res[k].map((r) => r.s1to2)),
      rssKb: median(res[k].map((r) => r.rssKb)),
    };
  }
  const f = (x) => x.toFixed(1);
  const lines = [
    '# runit as PID 1: ours vs runit 2.1.2',
    '',
    `\`node bench/runit-boot.js ${rounds}\` on ${os.cpus().length} CPUs (${os.cpus()[0].model.trim()}), Linux ${os.release()}, ${new Date().toISOString().slice(0, 10)}; medians of ${rounds} boots each, interleaved.`,
    '',
    '| | ours | runit | ours / runit |',
    '|---|---|---|---|',
    `| boot to stage 2 (ms, incl. unshare and mounts) | ${f(m.ours.toStage2)} | ${f(m.runit.toStage2)} | ${(m.ours.toStage2 / m.runit.toStage2).toFixed(2)} |`,
    `| stage 1 start -> stage 2 start (ms) | ${f(m.ours.s1to2)} | ${f(m.runit.s1to2)} | ${(m.ours.s1to2 / m.runit.s1to2).toFixed(2)} |`,
    `| PID 1 RSS (kB) | ${m.ours.rssKb} | ${m.runit.rssKb} | ${(m.ours.rssKb / m.runit.rssKb).toFixed(2)} |`,
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  fs.writeFileSync(path.join(__dirname, 'results', 'init.md'), text);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
