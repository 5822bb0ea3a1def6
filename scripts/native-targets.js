'use strict';
// What binding.gyp builds: the addon and the native executables. Read by the
// prebuild and pack scripts, so an executable target added to binding.gyp is
// carried into every prebuild without touching them. Not shipped in the package.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/**
 * binding.gyp is a Python literal (comments, single quotes, trailing commas): gyp
 * reads it with Python, so we do too. python3 is there wherever node-gyp builds.
 */
function readBindingGyp(file = path.join(root, 'binding.gyp')) {
  const code = 'import ast, json, sys; print(json.dumps(ast.literal_eval(open(sys.argv[1]).read())))';
  const r = spawnSync('python3', ['-c', code, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot read ${file} with python3: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}

/** { addon: 'runitd', executables: ['chpst', ...] } */
function nativeTargets(file) {
  const targets = readBindingGyp(file).targets ?? [];
  const executables = targets.filter((t) => t.type === 'executable').map((t) => t.target_name);
  const addons = targets.filter((t) => t.type === undefined || t.type === 'loadable_module').map((t) => t.target_name);
  if (addons.length !== 1) throw new Error(`binding.gyp: expected one addon target, found ${addons.join(', ') || 'none'}`);
  return { addon: addons[0], executables };
}

/** The newest mtime among the files a native build reads (binding.gyp, native/**). */
function newestNativeSource() {
  let newest = fs.statSync(path.join(root, 'binding.gyp')).mtimeMs;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'native'));
  return newest;
}

module.exports = { root, readBindingGyp, nativeTargets, newestNativeSource };
