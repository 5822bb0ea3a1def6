#!/usr/bin/env node
// Wall time of one chpst run (start, change state, exec `true`), ours against runit's
// chpst and against a bare `node -e 0`, measured in the same run, rounds interleaved
// so that load from other processes hits every variant alike. Medians.
//
//   node bench/chpst-startup.js [rounds]      (after `npx tsc -p .`)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ours = path.join(root, 'bin', 'chpst');
const runit = path.join(root, '.reference', 'usr', 'bin', 'chpst');
const rounds = Number(process.argv[2] || 40);

if (!fs.existsSync(path.join(root, 'dist', 'cli', 'chpst.js'))) {
  console.error('build first: npx tsc -p .');
  process.exit(1);
}

// The launcher change proposed with chpst (record the fds open before Node starts):
// measured too, so its cost is known. A temporary copy, removed at the end.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chpst-bench-'));
const proposed = path.join(tmp, 'chpst');
fs.writeFileSync(
  proposed,
  `#!/bin/sh
s=$(readlink -f -- "$0") || exit 111
f=; for d in /proc/$$/fd/*; do [ -e "$d" ] && ! [ "$d" -ef "$0" ] && f="$f \${d##*/}"; done
RUNITD_FDS=$f RUNITD_NOFILE_SOFT=$(ulimit -Sn) RUNITD_ARGV0=$0 exec node -- "${path.join(root, 'dist', 'cli', 'chpst.js')}" "$@"
`,
  { mode: 0o755 },
);

const variants = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ['runit chpst true', runit, ['true']],
  ['ours chpst true', ours, ['true']],
  ['ours (proposed launcher) chpst true', proposed, ['true']],
  ['runit chpst -u nobody true', runit, ['-u', 'nobody', 'true']],
  ['ours chpst -u nobody true', ours, ['-u', 'nobody', 'true']],
  ['runit chpst -u nobody -e DIR -o 100 true', runit, ['-u', 'nobody', '-e', tmp, '-o', '100', 'true']],
  ['ours chpst -u nobody -e DIR -o 100 true', ours, ['-u', 'nobody', '-e', tmp, '-o', '100', 'true']],
].filter(([, bin]) => fs.existsSync(bin));

const times = new Map(variants.map(([name]) => [name, []]));
function once([name, bin, args]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${name}: exit ${r.status}`);
  times.get(name).push(ms);
}

try {
  for (const v of variants) once(v); // warm the page cache
  for (let i = 0; i < rounds; i++) for (const v of variants) once(v);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const med = new Map([...times].map(([k, v]) => [k, median(v)]));
const nodeMs = med.get('node -e 0');
console.log(`chpst start-up, ${rounds} rounds, median wall time per run (ms); ${os.cpus().length} CPUs, node ${process.version}`);
console.log('');
console.log('| command | median ms | vs runit | vs node -e 0 |');
console.log('|---|---:|---:|---:|');
for (const [name] of variants) {
  const m = med.get(name);
  const runitName = name.replace(/^ours( \(proposed launcher\))?/, 'runit');
  const r = name.startsWith('ours') ? med.get(runitName) : undefined;
  console.log(
    `| ${name} | ${m.toFixed(2)} | ${r ? `${(m / r).toFixed(1)}x` : ''} | ${nodeMs ? `${(m / nodeMs).toFixed(2)}x` : ''} |`,
  );
}
