'use strict';
const fs = require('node:fs'), vm = require('node:vm'), path = require('node:path'), Module = require('node:module');
const file = path.join(__dirname, 'runsvdir.js');
const src = fs.readFileSync(file, 'utf8');
let cached; try { cached = fs.readFileSync(file + '.cache'); } catch {}
const script = new vm.Script(Module.wrap(src), { filename: file, cachedData: cached, importModuleDynamically: undefined });
if (process.env.XB_REPORT) console.error('rejected', script.cachedDataRejected, cached && cached.length);
const m = new Module(file, module); m.filename = file; m.paths = Module._nodeModulePaths(__dirname);
if (process.env.XB_MAKE) process.on('exit', () => fs.writeFileSync(file + '.cache', script.createCachedData()));
script.runInThisContext()(m.exports, (id) => m.require(id), m, file, __dirname);
