#!/usr/bin/env node
'use strict';
// npm run pack [-- npm pack's options, e.g. --pack-destination DIR --ignore-scripts]
//
// `npm pack` with the prebuilt native part: builds prebuilds/linux-<host arch> when
// missing or older than native/, refuses to pack a prebuild folder that lacks one
// of binding.gyp's executable targets (one made before a target was added), then
// prints the tarball's name and sizes. The last line of stdout is the file name.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, nativeTargets } = require('./native-targets');

function main() {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'prebuild.js'), '--if-stale', '--arch', os.arch()], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) process.exit(r.status ?? 1);

  const { executables } = nativeTargets();
  const prebuilds = path.join(root, 'prebuilds');
  for (const d of fs.readdirSync(prebuilds)) {
    const files = fs.readdirSync(path.join(prebuilds, d));
    const missing = executables.filter((e) => !files.includes(e));
    if (missing.length > 0) {
      process.stderr.write(`pack: prebuilds/${d} lacks ${missing.join(', ')}: rebuild it (npm run prebuild -- --arch ${d.replace(/^linux-/, '')}) or remove it\n`);
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
