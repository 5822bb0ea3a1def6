// The supervision tree of a runsvdir, for the benchmarks that compare runit's
// (runsvdir + a runsv per service + an svlogd per log) with ours (one process).
'use strict';
const fs = require('node:fs');

function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The top process plus its runsv and svlogd descendants (not the services). */
function supervisionPids(top) {
  const out = [top];
  const walk = (pid) => {
    for (const c of children(pid)) {
      const name = comm(c);
      if (name === 'runsv' || name === 'svlogd') {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(top);
  return out;
}

// ---- per process, summed over its threads

function tasks(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** CPU time of every thread in ns (schedstat's first field: finer than clock ticks). */
function cpuNs(pid) {
  let n = 0;
  for (const t of tasks(pid)) {
    try {
      n += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // thread gone
    }
  }
  return n;
}

/** Voluntary context switches of every thread: how often the process slept and was woken. */
function wakeups(pid) {
  let n = 0;
  for (const t of tasks(pid)) {
    try {
      const m = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'));
      if (m) n += Number(m[1]);
    } catch {
      // thread gone
    }
  }
  return n;
}

function rollup(pid) {
  const out = { pss: 0, privateDirty: 0 };
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
      const m = /^(Pss|Private_Dirty):\s+(\d+) kB/.exec(line);
      if (m) out[m[1] === 'Pss' ? 'pss' : 'privateDirty'] += Number(m[2]);
    }
  } catch {
    // gone
  }
  return out;
}

module.exports = { children, comm, cpuNs, rollup, supervisionPids, tasks, wakeups };
