// In-process logging: a log/run that only execs svlogd runs as the svlogd engine
// inside the supervisor, with the same files, sv semantics, no loss, and safe
// handling of a log folder owned by another user.
import t from 'tap';
import { chownSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseInlineLog } from '../../lib/runsv/inline-log';
import { getpwnam } from '../../lib/native';
import { tempDir, waitFor } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';
import { control, makeService, observe, readLines, startRunsv, waitStatus } from './runsv-helpers';

// log/run scripts find svlogd and chpst in PATH: ours
process.env.PATH = `${path.join(repoRoot, 'bin')}:${process.env.PATH}`;

t.test('which log/run scripts are run in-process', async (t) => {
  t.match(parseInlineLog('#!/bin/sh\nexec svlogd -tt ./main\n'), { dirs: ['./main'], options: { timestamp: 2 } });
  t.match(parseInlineLog('#!/bin/sh -e\n# a comment\n\n  exec /usr/bin/svlogd -t main other\n'), { dirs: ['main', 'other'] });
  t.match(parseInlineLog('#!/bin/sh\nexec chpst -u log svlogd -tt /var/log/x\n'), { user: 'log', dirs: ['/var/log/x'] });
  t.match(parseInlineLog('#!/bin/sh\nexec chpst -ulog:adm svlogd /var/log/x\n'), { user: 'log:adm' });
  // the usual hand-written preludes
  t.match(parseInlineLog('#!/bin/sh\nexec 2>&1\nexec svlogd -tt ./main\n'), { dirs: ['./main'], mkdirs: [] });
  t.match(parseInlineLog('#!/bin/sh\nmkdir -p ./main /var/log/x\nexec chpst -u log svlogd -tt ./main /var/log/x\n'), {
    user: 'log',
    mkdirs: ['./main', '/var/log/x'],
  });
  for (const s of [
    '#!/bin/bash\nexec svlogd main\n',
    '#!/bin/sh\nexec svlogd $DIR\n',
    '#!/bin/sh\nexec svlogd main 2>&1\n',
    '#!/bin/sh\nsvlogd main\n',
    '#!/bin/sh\necho hi\nexec svlogd main\n',
    '#!/bin/sh\nexec chpst -e env svlogd main\n',
    '#!/bin/sh\nexec multilog t ./main\n',
    '#!/bin/sh\nexec svlogd\n',
    '#!/bin/sh\nexec svlogd "my dir"\n',
    '#!/bin/sh\nmkdir -p $D\nexec svlogd main\n',
    '#!/bin/sh\nmkdir -p -m 700 main\nexec svlogd main\n',
    '#!/bin/sh\nmkdir main\nexec svlogd main\n',
    '#!/bin/sh\nexec 2>/dev/null\nexec svlogd main\n',
    '#!/bin/sh\nexec 2>&1\n',
  ]) {
    t.equal(parseInlineLog(s), null, JSON.stringify(s));
  }
});

const LOG_RUN = '#!/bin/sh\nexec svlogd -tt ./main\n';

// The log's lines without timestamps, oldest first. A rotation between readdir
// and read moves a file: then read everything again.
function lines(dir: string): string[] {
  for (;;) {
    try {
      const files = readdirSync(dir).filter((f) => f.startsWith('@')).sort();
      if (existsSync(path.join(dir, 'current'))) files.push('current');
      return files.flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

t.test('same files as a spawned svlogd; no logger process; status shows the daemon', async (t) => {
  const root = tempDir(t);
  const run = 'i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done; exec sleep 1000';
  const a = makeService(root, 'inline', { run, log: { run: LOG_RUN } });
  const b = makeService(root, 'spawned', { run, log: { run: LOG_RUN } });
  for (const d of [a, b]) {
    mkdirSync(path.join(d, 'log', 'main'));
    writeFileSync(path.join(d, 'log', 'main', 'config'), 's20000\nn3\n');
  }
  writeFileSync(path.join(b, 'log', 'inline'), 'no\n');
  const ra = startRunsv(t, a);
  startRunsv(t, b);
  await waitFor(() => lines(path.join(a, 'log', 'main')).length === 3000 || readdirSync(path.join(a, 'log', 'main')).length >= 5, 'inline logged');
  await waitFor(() => readdirSync(path.join(a, 'log', 'main')).sort().join() .length > 0 && readdirSync(path.join(b, 'log', 'main')).length === readdirSync(path.join(a, 'log', 'main')).length, 'same number of files', 30000);
  const la = await waitStatus(path.join(a, 'log'), (o) => o.state === 1, 'inline log up');
  t.equal(la.pid, ra.pid, 'status pid is the supervisor');
  t.equal(la.pidFile, '', 'pid file empty: nothing to kill');
  const lb = await waitStatus(path.join(b, 'log'), (o) => o.state === 1, 'spawned log up');
  t.match(readFileSync(`/proc/${lb.pid}/cmdline`, 'utf8'), /svlogd/, 'log/inline=no spawns svlogd');
  await waitFor(() => JSON.stringify(lines(path.join(a, 'log', 'main'))) === JSON.stringify(lines(path.join(b, 'log', 'main'))), 'same lines');
  const names = (d: string): string[] => readdirSync(d).map((f) => (f.startsWith('@') ? '@' + f.slice(-2) : f)).sort();
  t.same(names(path.join(a, 'log', 'main')), names(path.join(b, 'log', 'main')), 'same file set');
  const modes = (d: string): string[] => readdirSync(d).sort().map((f) => (statSync(path.join(d, f)).mode & 0o777).toString(8));
  t.same(modes(path.join(a, 'log', 'main')), modes(path.join(b, 'log', 'main')), 'same modes');
  t.equal(lines(path.join(a, 'log', 'main')).slice(-1)[0], 'line 2999');
});

t.test('a hand-written log/run with exec 2>&1 and mkdir -p runs in-process and makes its folder', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', {
    run: 'echo one; echo two; exec sleep 1000',
    log: { run: '#!/bin/sh\n# the usual prelude\nexec 2>&1\nmkdir -p ./main/deep\nexec svlogd -tt ./main/deep\n' },
  });
  const r = startRunsv(t, dir);
  await waitFor(() => lines(path.join(dir, 'log', 'main', 'deep')).join() === 'one,two', 'the lines in the folder mkdir -p made');
  const l = await waitStatus(path.join(dir, 'log'), (o) => o.state === 1, 'log up');
  t.equal(l.pid, r.pid, 'in-process: the status pid is the supervisor');
  t.equal(l.pidFile, '', 'no logger process');
});

t.test('sv on an in-process log: d, u, h, a, k, t; no line lost over 10 restarts', async (t) => {
  const root = tempDir(t);
  const N = 200000;
  const dir = makeService(root, 's', {
    run: `exec seq 0 ${N - 1}\n`,
    log: { run: LOG_RUN },
  });
  // the writer runs once: make it a one-shot so the pipe is fed exactly once
  writeFileSync(path.join(dir, 'run'), `#!/bin/sh\n[ -e done ] && exec sleep 1000\ntouch done\nexec seq 0 ${N - 1}\n`);
  const main = path.join(dir, 'log', 'main');
  mkdirSync(main);
  writeFileSync(path.join(main, 'config'), 's100000\nn1000\n');
  startRunsv(t, dir);
  const logDir = path.join(dir, 'log');
  const cmds = ['d', 'u', 'h', 't', 'a', 'k', 'd', 'u', 't', 'k'];
  for (const c of cmds) {
    await waitStatus(logDir, (o) => o.state === 1 || c === 'u', 'log state');
    control(logDir, c);
    if (c === 'd') await waitStatus(logDir, (o) => o.state === 0, 'down');
    await new Promise((r) => setImmediate(r));
  }
  control(logDir, 'u');
  await waitFor(() => {
    const l = lines(main);
    return l.length >= N && l[l.length - 1] === String(N - 1);
  }, 'all lines', 120000, 200);
  const all = lines(main);
  t.equal(all.length, N, 'every line exactly once');
  let inOrder = true;
  for (let i = 0; i < all.length; i++) if (all[i] !== String(i)) inOrder = false;
  t.ok(inOrder, 'in order');
  t.ok(readdirSync(main).filter((f) => f.startsWith('@')).length > 5, 'rotated along the way');
});

t.test('chpst -u USER: files owned by USER; planted symlinks and hard links refused', async (t) => {
  const nobody = getpwnam('nobody');
  if (!nobody) return t.skip('no user nobody');
  const root = tempDir(t);
  const outside = path.join(root, 'secret');
  writeFileSync(outside, 'untouched\n');
  const dir = makeService(root, 's', { run: 'echo hello; exec sleep 1000', log: { run: '#!/bin/sh\nexec chpst -u nobody svlogd -tt ./main\n' } });
  const main = path.join(dir, 'log', 'main');
  mkdirSync(main);
  chownSync(main, nobody.uid, nobody.gid);
  const rs = startRunsv(t, dir);
  await waitFor(() => existsSync(path.join(main, 'current')) && readFileSync(path.join(main, 'current'), 'utf8').includes('hello'), 'logged');
  for (const f of ['current', 'lock']) t.match(statSync(path.join(main, f)), { uid: nobody.uid, gid: nobody.gid }, `${f} owned by nobody`);
  control(dir, 'x');
  await rs.exited;

  // the user plants a symlink, then a hard link, as `current`
  const { rmSync } = await import('node:fs');
  for (const plant of ['symlink', 'hardlink'] as const) {
    rmSync(path.join(main, 'current'), { force: true });
    rmSync(path.join(dir, 'supervise'), { recursive: true, force: true });
    rmSync(path.join(dir, 'log', 'supervise'), { recursive: true, force: true });
    if (plant === 'symlink') symlinkSync(outside, path.join(main, 'current'));
    else linkSync(outside, path.join(main, 'current'));
    const r2 = startRunsv(t, dir);
    await waitFor(() => /svlogd: (warning|pausing|fatal): .*current/.test(r2.stderr()), `${plant} reported`, 20000);
    t.equal(readFileSync(outside, 'utf8'), 'untouched\n', `${plant}: nothing written outside the log folder`);
    t.match(statSync(outside), { uid: 0 }, `${plant}: ownership of the target unchanged`);
    control(dir, 'x');
    await r2.exited;
  }
  void observe;
  void readLines;
});
