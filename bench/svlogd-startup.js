#!/usr/bin/env node
// How soon a new svlogd starts reading its pipe: a logger restarted after a kill
// finds a full pipe and a blocked service, so every millisecond before its first
// read() is a millisecond the service cannot write. Ours (bin/svlogd) against
// runit's svlogd in the same run, rounds interleaved, medians.
//
// Two figures per implementation:
//  - exec -> first read(0): from the execve of the svlogd command (for ours, the
//    bin/svlogd launcher script) to its first read of standard input, from
//    `strace -f --seccomp-bpf -ttt -e trace=execve,read` (only those two syscalls
//    stop; but Node's module loading does dozens of read()s, so the tracing adds
//    more to a Node program than to a C one); skipped if strace is missing.
//  - spawn -> first line on disk: a line is in the pipe before the logger starts;
//    time until it is in log/current (polled every millisecond), no tracing.
//  - CPU (user+sys, /usr/bin/time) of that whole run: start, one line, exit. Less
//    at the mercy of other load on the machine than the wall-clock figures.
//
// `node-floor` is Node's own share: a sh script that execs node on a few lines
// reading fd 0 and appending to DIR/current, as near to nothing as Node allows.
//
//   node bench/svlogd-startup.js [rounds] [name=path/to/svlogd ...]    (after `npx tsc -p .`)
// Extra name=path pairs are measured alongside (e.g. an older build of ours).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const impls = {
  runit: path.join(root, '.reference', 'usr', 'bin', 'svlogd'),
  ours: path.join(root, 'bin', 'svlogd'),
};
const rounds = Number(process.argv[2] || 15);
for (const extra of process.argv.slice(3)) {
  const i = extra.indexOf('=');
  impls[extra.slice(0, i)] = path.resolve(extra.slice(i + 1));
}
const hasStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svlogd-startup-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

impls['node-floor'] = path.join(tmp, 'node-floor');
fs.writeFileSync(
  impls['node-floor'],
  `#!/bin/sh\nexec node -e 'const fs = require("fs"); const b = Buffer.alloc(1024); const n = fs.readSync(0, b); fs.appendFileSync(process.argv[1] + "/current", b.subarray(0, n))' "$@"\n`,
  { mode: 0o755 },
);
const names = Object.keys(impls);

function freshDir() {
  const dir = path.join(tmp, 'log');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  return dir;
}

function exited(child) {
  return new Promise((res) => (child.exitCode !== null ? res() : child.on('exit', () => res())));
}

/** exec -> first read(0), in ms, from strace's timestamps. */
async function traced(bin) {
  const dir = freshDir();
  const out = path.join(tmp, 'trace');
  const child = spawn('strace', ['-f', '--seccomp-bpf', '-ttt', '-e', 'trace=execve,read', '-o', out, bin, dir], { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin.write('a line\n');
  child.stdin.end();
  await exited(child);
  const lines = fs.readFileSync(out, 'utf8').split('\n');
  const exec = lines.find((l) => l.includes('execve('));
  const read = lines.find((l) => /\bread\(0,/.test(l));
  if (!exec || !read) throw new Error(`no execve/read(0) in the trace of ${bin}`);
  const at = (l) => Number(l.trim().split(/\s+/)[1]);
  return (at(read) - at(exec)) * 1000;
}

/** spawn -> the line that was waiting in the pipe is in current, in ms. */
async function onDisk(bin) {
  const dir = freshDir();
  const current = path.join(dir, 'current');
  const timeFile = path.join(tmp, 'time');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, bin, dir], { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin.write('a line\n');
  let ms = null;
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try {
      if (fs.statSync(current).size > 0) {
        ms = performance.now() - t0;
        break;
      }
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  child.stdin.end();
  await exited(child);
  if (ms === null) throw new Error(`${bin}: the line never arrived`);
  const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpu: (user + sys) * 1000 };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  for (const [name, bin] of Object.entries(impls)) {
    if (!fs.existsSync(bin)) throw new Error(`missing ${name}: ${bin} (npm run reference; npx tsc -p .)`);
  }
  const res = Object.fromEntries(names.map((n) => [n, { read: [], disk: [], cpu: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      if (hasStrace) res[name].read.push(await traced(impls[name]));
      const d = await onDisk(impls[name]);
      res[name].disk.push(d.ms);
      res[name].cpu.push(d.cpu);
    }
  }
  console.log(`${rounds} rounds, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}`);
  const others = names.filter((n) => n !== 'runit');
  console.log(`| median ms | ${names.map((n) => (n === 'runit' ? 'runit svlogd' : n)).join(' | ')} | ${others.map((n) => `${n} - runit`).join(' | ')} |`);
  console.log(`|---|${names.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}|`);
  const row = (label, key) => {
    const m = Object.fromEntries(names.map((n) => [n, median(res[n][key])]));
    console.log(`| ${label} | ${names.map((n) => m[n].toFixed(1)).join(' | ')} | ${others.map((n) => (m[n] - m.runit).toFixed(1)).join(' | ')} |`);
  };
  if (hasStrace) row('exec -> first read(0) (strace)', 'read');
  else console.log('| exec -> first read(0) | (no strace) |');
  row('spawn -> first line in current', 'disk');
  row('CPU ms, start + one line + exit', 'cpu');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
