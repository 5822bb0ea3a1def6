#!/usr/bin/env node
'use strict';
// `sv status` over 1000 services in one call: ours (text and --json) against
// runit's sv, interleaved. The folders are stand-ins: supervise/ok is a FIFO
// whose read end this process holds (as runsv does), status holds 20 bytes.
//   node bench/sv-many.js [services] [rounds]       (after `npx tsc -p .`)
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const n = Number(process.argv[2]) || 1000;
const rounds = Number(process.argv[3]) || 15;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-bench-svmany-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const names = [];
const fds = [];
const now = Math.floor(Date.now() / 1000);
for (let i = 0; i < n; i++) {
  const sup = path.join(dir, `s${i}`, 'supervise');
  fs.mkdirSync(sup, { recursive: true });
  execFileSync('mkfifo', [path.join(sup, 'ok')]);
  fds.push(fs.openSync(path.join(sup, 'ok'), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
  const st = Buffer.alloc(20);
  st.writeBigUInt64BE(0x4000000000000000n + 10n + BigInt(now - (i % 100)));
  if (i % 4) {
    st.writeUInt32LE(10000 + i, 12);
    st[19] = 1;
  }
  st[17] = 0x75;
  fs.writeFileSync(path.join(sup, 'status'), st);
  names.push(`s${i}`);
}

const env = { ...process.env, SVDIR: dir };
delete env.NODE_OPTIONS;
const cases = {
  "runit's sv status": [path.join(root, '.reference', 'usr', 'bin', 'sv'), ['status', ...names]],
  'our sv status': [path.join(root, 'bin', 'sv'), ['status', ...names]],
  'our sv --json status': [path.join(root, 'bin', 'sv'), ['--json', 'status', ...names]],
  'our sv status (1 service)': [path.join(root, 'bin', 'sv'), ['status', names[1]]],
};
const ref = spawnSync(cases["runit's sv status"][0], cases["runit's sv status"][1], { env, encoding: 'utf8' });
const ours = spawnSync(cases['our sv status'][0], cases['our sv status'][1], { env, encoding: 'utf8' });
const norm = (s) => s.replace(/\b\d+s\b/g, 'Ns');
if (norm(ref.stdout) !== norm(ours.stdout) || ours.stdout.split('\n').length !== n + 1) throw new Error('outputs differ');

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < rounds; i++) {
  for (const [k, [cmd, args]] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint();
    spawnSync(cmd, args, { env, stdio: 'ignore' });
    times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
for (const fd of fds) fs.closeSync(fd);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`${n} services, ${rounds} interleaved rounds, median wall time of one call:`);
for (const [k, a] of Object.entries(times)) console.log(`  ${k.padEnd(28)} ${median(a).toFixed(1).padStart(7)} ms`);
const per = (median(times['our sv status']) - median(times['our sv status (1 service)'])) / (n - 1);
console.log(`  ours: ${(per * 1000).toFixed(0)} us per extra service; runit's sv: ${((median(times["runit's sv status"]) / n) * 1000).toFixed(0)} us per service`);
