#!/usr/bin/env node
'use strict';
// sv start-up: wall time of `sv status X` (ours, via bin/sv) against `node -e 0`
// (the floor of any Node CLI) and runit's sv, interleaved in one run; also what
// loading commander would add. Prints medians and ratios.
//   node bench/sv-startup.js [rounds]        (after `npx tsc -p .`)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const rounds = Number(process.argv[2]) || 60;
const refSv = path.join(root, '.reference', 'usr', 'bin', 'sv');

// a service folder as sv sees it: ok opens for writing (a regular file stands in
// for a live runsv's FIFO), 20 status bytes
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runitd-bench-sv-'));
const svc = path.join(dir, 'x');
fs.mkdirSync(path.join(svc, 'supervise'), { recursive: true });
fs.writeFileSync(path.join(svc, 'supervise', 'ok'), '');
const status = Buffer.alloc(20);
status.writeBigUInt64BE(0x4000000000000000n + 10n + BigInt(Math.floor(Date.now() / 1000) - 3));
status.writeUInt32LE(process.pid, 12);
status[17] = 0x75;
status[19] = 1;
fs.writeFileSync(path.join(svc, 'supervise', 'status'), status);

const env = { ...process.env, SVDIR: dir };
delete env.NODE_OPTIONS;
const cases = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'node -e require(commander)': [process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'node_modules', 'commander'))})`]],
  'our sv status x': [path.join(root, 'bin', 'sv'), ['status', 'x']],
  "runit's sv status x": [refSv, ['status', 'x']],
};
if (!fs.existsSync(refSv)) delete cases["runit's sv status x"];

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// CPU time of waited-for children (utime+stime, clock ticks of 10 ms): summed
// over all rounds, it is steadier than wall time on a loaded machine
const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, 0]));
const childTicks = () => {
  const f = fs.readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[13]) + Number(rest[14]);
};
// warm the page cache
for (const [cmd, args] of Object.values(cases)) spawnSync(cmd, args, { env });
const check = spawnSync(cases['our sv status x'][0], cases['our sv status x'][1], { env, encoding: 'utf8' });
if (!/^run: x: \(pid \d+\) \d+s\n$/.test(check.stdout)) throw new Error('our sv printed: ' + check.stdout + check.stderr);

for (let i = 0; i < rounds; i++) {
  for (const [name, [cmd, args]] of Object.entries(cases)) {
    const c0 = childTicks();
    const t0 = process.hrtime.bigint();
    spawnSync(cmd, args, { env, stdio: 'ignore' });
    times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu[name] += childTicks() - c0;
  }
}
fs.rmSync(dir, { recursive: true, force: true });

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const floor = median(times['node -e 0']);
console.log(`${rounds} interleaved rounds, median wall time of one run:`);
for (const [name, a] of Object.entries(times)) {
  const m = median(a);
  const c = (cpu[name] * 10) / rounds;
  const cfloor = (cpu['node -e 0'] * 10) / rounds;
  console.log(
    `  ${name.padEnd(28)} ${m.toFixed(1).padStart(7)} ms   ${(m / floor).toFixed(2)}x node -e 0` +
      `   cpu ${c.toFixed(1).padStart(6)} ms  ${(c / cfloor).toFixed(2)}x`,
  );
}
const ours = median(times['our sv status x']);
if (times["runit's sv status x"]) console.log(`  our sv / runit's sv: ${(ours / median(times["runit's sv status x"])).toFixed(1)}x`);
console.log(`  our sv - node -e 0: ${(ours - floor).toFixed(1)} ms; commander would add ${(median(times['node -e require(commander)']) - floor).toFixed(1)} ms`);
