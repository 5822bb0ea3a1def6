#!/usr/bin/env node
// Bundles each long-lived or often-run command (the daemons, sv) from dist/cli/
// into one file beside dist/native-path.js: dist/NAME.bundle.js. Node then reads,
// resolves and wraps one module instead of forty on every start, which is most
// of what a daemon costs before its first service runs (bench/results/lean.md).
// bin/ uses a bundle only while it is not older than the tsc output it was made
// from, so a bare `tsc` never leaves a stale bundle in use.
//
// Run after tsc (npm run compile, prepare and pretest do). The bundle keeps
// __dirname semantics: it sits in dist/ like the modules that use __dirname.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ENTRIES = ['runsvdir', 'runsv', 'svlogd', 'sv'];

async function main() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    // an install without devDependencies runs what tsc made (or what was packed)
    console.error('bundle: esbuild not installed; the commands run from dist/cli/');
    return;
  }
  await Promise.all(
    ENTRIES.map((name) =>
      esbuild.build({
        entryPoints: [path.join(root, 'dist', 'cli', `${name}.js`)],
        outfile: path.join(root, 'dist', `${name}.bundle.js`),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        // the addon's path is found at run time (build/Release or prebuilds/)
        external: ['*.node'],
        // less source text held by V8 for the daemon's whole life; names stay for stack traces
        minifyWhitespace: true,
        legalComments: 'none',
        logLevel: 'error',
      }),
    ),
  );
}

main().catch((err) => {
  console.error(`bundle: ${err.message}`);
  process.exit(1);
});
