#!/usr/bin/env node
// Where the time of `sv -w 7 down S` goes, against our daemon (or runit's with
// --tree runit): sv's start-up until it writes `d` to supervise/control, the
// supervisor's reaction until supervise/status says down, and sv's own reaction
// until it exits. Also `sv status S` and `node -e 0`, alternating. Medians.
// The plain run is the tree's own sv (runit's sv with --tree runit); the traced
// run is always our sv.
//
//   node bench/sv-down-phases.js [rounds] [--tree runit]
//
// The phases come from a preload (-r) in sv that stamps the monotonic clock
// (shared by every process) when its main module starts and when it writes the
// control byte; the bench watches supervise/ itself for the status rename.
// The preload costs sv a little: compare the total to the plain run in the same row.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a))) || 15;
const runitTree = args.includes('--tree') && args[args.indexOf('--tree') + 1] === 'runit';
const refBin = path.join(root, '.reference', 'usr', 'bin');
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-svphase-'));
const scan = path.join(base, 'scan');
const svc = path.join(scan, 'S');
fs.mkdirSync(svc, { recursive: true });
fs.writeFileSync(path.join(svc, 'run'), '#!/bin/sh\nexec sleep 100000\n', { mode: 0o755 });
const stampFile = path.join(base, 'stamps');
const preload = path.join(base, 'preload.js');
// the stamps are appended with one write each, at exit, so the clock reads stay cheap
fs.writeFileSync(
  preload,
  `'use strict';
const fs = require('node:fs');
const st = ['main ' + process.hrtime.bigint()];
const w = fs.writeSync;
fs.writeSync = function (fd, data) {
  if (typeof data === 'string' && data.length === 1 && fd > 2) st.push('control ' + process.hrtime.bigint());
  return w.apply(this, arguments);
};
process.on('exit', () => { st.push('exit ' + process.hrtime.bigint()); fs.appendFileSync(${JSON.stringify(stampFile)}, st.join('\\n') + '\\n'); });
`,
);

const env = { ...process.env, PATH: `${runitTree ? refBin : path.join(root, 'bin')}:${process.env.PATH}` };
delete env.NODE_OPTIONS;
delete env.SVWAIT;
const daemon = spawn(path.join(runitTree ? refBin : path.join(root, 'bin'), 'runsvdir'), [scan], { stdio: 'ignore', env });
let runsvPid = 0;

function payloadPid() {
  try {
    return Number(fs.readFileSync(path.join(svc, 'supervise', 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}
function state() {
  try {
    const b = fs.readFileSync(path.join(svc, 'supervise', 'status'));
    return b.length === 20 ? b[19] : -1;
  } catch {
    return -1;
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function cleanup() {
  const pid = payloadPid();
  if (runsvPid) {
    try {
      process.kill(runsvPid, 'SIGKILL');
    } catch {}
  }
  try {
    process.kill(daemon.pid, 'SIGKILL');
  } catch {}
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  fs.rmSync(base, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function run(cmd, argv) {
  return new Promise((resolve) => {
    const t0 = now();
    const p = spawn(cmd, argv, { stdio: 'ignore', env });
    p.on('exit', (code) => resolve({ t0, t1: now(), code }));
  });
}

async function until(pred, ms = 10000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

async function main() {
  await until(() => state() === 1 && payloadPid() > 0, 20000);
  if (runitTree) runsvPid = Number(fs.readFileSync(`/proc/${daemon.pid}/task/${daemon.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  await sleep(1100);
  const sv = runitTree ? path.join(refBin, 'sv') : path.join(root, 'bin', 'sv');
  const ourSv = path.join(root, 'dist', 'cli', 'sv.js');
  const res = {};
  const add = (k, v) => (res[k] = res[k] || []).push(v);
  for (let i = 0; i < rounds; i++) {
    // 1. plain sv -w 7 down S
    const plain = await run(sv, ['-w', '7', 'down', svc]);
    add('sv -w 7 down S (plain)', plain.t1 - plain.t0);
    await run(sv, ['up', svc]);
    await until(() => state() === 1 && payloadPid() > 0);
    await sleep(1100);
    // 2. our sv with stamps (also against runit's tree: the supervisor's share is comparable)
    {
      fs.rmSync(stampFile, { force: true });
      let statusAt = 0;
      const w = fs.watch(path.join(svc, 'supervise'), () => {
        if (!statusAt && state() === 0) statusAt = now();
      });
      const r = await run(process.execPath, ['-r', preload, ourSv, '-w', '7', 'down', svc]);
      w.close();
      const st = Object.fromEntries(
        fs
          .readFileSync(stampFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' '))
          .map(([k, v]) => [k, Number(BigInt(v)) / 1e6]),
      );
      add('traced total', r.t1 - r.t0);
      add('  spawn -> sv main module starts', st.main - r.t0);
      add('  main -> control byte written', st.control - st.main);
      add('  control -> status says down (supervisor)', statusAt - st.control);
      add('  status down -> sv exits (exit stamp)', st.exit - statusAt);
      add('  exit stamp -> exit seen by bench', r.t1 - st.exit);
      await run(sv, ['up', svc]);
      await until(() => state() === 1 && payloadPid() > 0);
      await sleep(1100);
    }
    // 3. the floors
    const s = await run(sv, ['status', svc]);
    add('sv status S', s.t1 - s.t0);
    const n = await run(process.execPath, ['-e', '0']);
    add('node -e 0', n.t1 - n.t0);
  }
  console.log(`${rounds} rounds against ${runitTree ? "runit's runsvdir, runit's sv" : 'our daemon, our sv'}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; medians:`);
  for (const [k, v] of Object.entries(res)) console.log(`  ${k.padEnd(44)} ${median(v).toFixed(2).padStart(8)} ms`);
  console.log(`  plain / node -e 0 = ${(median(res['sv -w 7 down S (plain)']) / median(res['node -e 0'])).toFixed(2)}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
