#!/usr/bin/env node
'use strict';
// npm run pack [-- npm pack's options, e.g. --pack-destination DIR --ignore-scripts]
//
// `npm pack` with the prebuilt native part: builds prebuilds/linux-<host arch> when
// missing or older than native/, refuses to pack any other prebuild folder that is
// older than native/ or lacks one of binding.gyp's executable targets, then prints
// the tarball's name and sizes. The last line of stdout is the file name.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, nativeTargets } = require('./native-targets');
const { prebuild, isFresh } = require('./prebuild');

function main() {
  // prebuild's compiler output on stderr: stdout's last line is the file name
  const say = (line) => process.stderr.write(`${line}\n`);
  if (!prebuild([os.arch()], { ifStale: true, log: say })) process.exit(1);

  // a cross build made before native/ or binding.gyp changed (or before a new
  // executable target) would ship old or missing programs for that arch
  const targets = nativeTargets();
  const prebuilds = path.join(root, 'prebuilds');
  for (const d of fs.readdirSync(prebuilds)) {
    const arch = d.replace(/^linux-/, '');
    if (!isFresh(root, arch, targets)) {
      say(`pack: prebuilds/${d} is older than native/ or lacks one of ${targets.executables.join(', ')}: rebuild it (npm run prebuild -- --arch ${arch}) or remove it`);
      process.exit(1);
    }
  }

  const p = spawnSync('npm', ['pack', '--json', ...process.argv.slice(2)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (p.status !== 0) process.exit(p.status ?? 1);
  // npm prints the prepare script's output before the JSON
  const info = JSON.parse(p.stdout.slice(p.stdout.indexOf('[')))[0];
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  process.stderr.write(`pack: ${info.filename}: ${kib(info.size)} packed, ${kib(info.unpackedSize)} unpacked, ${info.entryCount} files\n`);
  process.stdout.write(`${info.filename}\n`);
}

main();
