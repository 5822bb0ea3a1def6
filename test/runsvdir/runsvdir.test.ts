// runsvdir: one daemon for a scan folder — scanning, pickup, removal, the title
// log, -P, signals.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { alive, procStat, readIfThere, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';
import { makeService, observe, waitStatus } from '../runsv/runsv-helpers';
import { startRunsvdir } from './runsvdir-helpers';

t.test('usage', async (t) => {
  const r = spawnSync(ourBin('runsvdir'), [], { encoding: 'utf8' });
  t.equal(r.status, 1);
  t.equal(r.stderr, `usage: ${ourBin('runsvdir')} [-P] dir\n\n`);
  const p = spawnSync(ourBin('runsvdir'), ['-P'], { encoding: 'utf8' });
  t.equal(p.status, 1, '-P alone has no dir');
});

t.test('which entries are services; new ones picked up at once, removed ones stopped', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  makeService(sv, 'a', { run: 'exec sleep 1000' });
  makeService(sv, '.hidden', { run: 'exec sleep 1000' });
  makeService(root, 'ext', { run: 'exec sleep 1000' });
  symlinkSync(path.join(root, 'ext'), path.join(sv, 'ext'));
  symlinkSync(path.join(root, 'ext'), path.join(sv, 'ext-again'));
  symlinkSync(path.join(root, 'missing'), path.join(sv, 'dangling'));
  writeFileSync(path.join(sv, 'afile'), '');
  const d = startRunsvdir(t, sv);
  await waitStatus(path.join(sv, 'a'), (o) => o.state === 1, 'a up');
  await waitStatus(path.join(root, 'ext'), (o) => o.state === 1, 'ext up through the symlink');
  t.equal(observe(path.join(sv, '.hidden')), null, 'dot entries are not services');
  await waitFor(() => d.stderr().includes('unable to stat dangling: file does not exist'), 'dangling warning');
  t.match(d.stderr(), `runsvdir ${sv}: warning: unable to stat dangling: file does not exist\n`);

  // pickup: no 5-second wait as with runit
  const t0 = Date.now();
  makeService(sv, 'b', { run: 'exec sleep 1000' });
  await waitStatus(path.join(sv, 'b'), (o) => o.state === 1, 'b picked up');
  t.comment(`pickup latency ${Date.now() - t0} ms`);

  // rename keeps the supervisor; a dot-rename removes the service
  const b = observe(path.join(sv, 'b'))!;
  renameSync(path.join(sv, 'b'), path.join(sv, 'b2'));
  renameSync(path.join(sv, 'a'), path.join(sv, '.a-off'));
  await waitStatus(path.join(sv, '.a-off'), (o) => o.state === 0 && o.want === 'd', 'a stopped after dot-rename');
  t.equal(observe(path.join(sv, 'b2'))!.pid, b.pid, 'renamed service keeps its process');
  t.ok(alive(b.pid));
  rmSync(path.join(sv, 'ext'));
  rmSync(path.join(sv, 'ext-again'));
  await waitStatus(path.join(root, 'ext'), (o) => o.state === 0, 'ext stopped when both links are gone');
  renameSync(path.join(sv, '.a-off'), path.join(sv, 'a'));
  await waitStatus(path.join(sv, 'a'), (o) => o.state === 1, 'a back');
});

t.test('an empty scan folder, at start or once its last service is gone, keeps runsvdir running', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const d = startRunsvdir(t, sv);
  // nothing to observe in an empty folder: a while of being alive, then a pickup
  const aliveFor = async (ms: number): Promise<boolean> => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (d.proc.exitCode !== null || d.proc.signalCode !== null) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  t.ok(await aliveFor(2500), 'still running 2.5 s after starting on an empty folder');
  makeService(sv, 'late', { run: 'exec sleep 1000' });
  await waitStatus(path.join(sv, 'late'), (o) => o.state === 1, 'a service added later is picked up');
  renameSync(path.join(sv, 'late'), path.join(sv, '.late-off'));
  await waitStatus(path.join(sv, '.late-off'), (o) => o.state === 0 && o.want === 'd', 'the last service stopped');
  t.ok(await aliveFor(2500), 'still running 2.5 s after its last service went');
  renameSync(path.join(sv, '.late-off'), path.join(sv, 'late'));
  await waitStatus(path.join(sv, 'late'), (o) => o.state === 1, 'and picks up the next');
});

t.test('the title log: short LOG disabled with runit warnings; messages rotate into the title', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  makeService(sv, 'noisy', { run: 'echo "noisy says hello" >&2; exec sleep 1000' });
  const short = startRunsvdir(t, sv, ['log:'], process.env);
  await waitFor(() => short.stderr().includes('log service disabled'), 'disabled');
  t.match(short.stderr(), `runsvdir ${sv}: warning: log must have at least seven characters.\nrunsvdir ${sv}: warning: log service disabled.\n`);
  process.kill(short.pid, 'SIGTERM');
  await short.exited;

  const dots = 'log: ' + '.'.repeat(60);
  const d = startRunsvdir(t, sv, [dots]);
  const cmdline = (): string => readFileSync(`/proc/${d.pid}/cmdline`, 'latin1').replace(/\0+$/, '');
  await waitFor(() => cmdline().includes('noisy says hello'), 'service stderr in the title');
  const title = cmdline();
  t.match(title, new RegExp(`^runsvdir ${sv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} log: \\.+`));
  t.equal(title.length, `runsvdir ${sv} `.length + dots.length, 'the window keeps its size');
  t.ok(title.endsWith('noisy says hello\n'), 'newest bytes at the end');
  t.match(d.stderr(), 'noisy says hello\n', 'and on stderr too');
});

t.test('-P: every service process leads its own session; without it they share ours', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  makeService(sv, 's', { run: 'exec sleep 1000', log: { run: 'exec cat >/dev/null' } });
  const d = startRunsvdir(t, sv, ['-P']);
  const o = await waitStatus(path.join(sv, 's'), (o) => o.state === 1, 'up');
  const l = await waitStatus(path.join(sv, 's', 'log'), (o) => o.state === 1, 'log up');
  for (const pid of [o.pid, l.pid]) t.match(procStat(pid), { session: pid, pgrp: pid });
  process.kill(d.pid, 'SIGTERM');
  await d.exited;

  const sv2 = path.join(root, 'sv2');
  mkdirSync(sv2);
  makeService(sv2, 's', { run: 'exec sleep 1000' });
  const d2 = startRunsvdir(t, sv2);
  const o2 = await waitStatus(path.join(sv2, 's'), (o) => o.state === 1, 'up');
  t.equal(procStat(o2.pid).session, procStat(d2.pid).session, 'same session as the daemon');
});

t.test('SIGTERM stops every service (log drained) and exits 0; SIGHUP exits 111', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  makeService(sv, 'a', { run: 'echo bye-a; exec sleep 1000', log: { run: 'exec cat > out' } });
  makeService(sv, 'b', { run: 'exec sleep 1000' });
  const d = startRunsvdir(t, sv);
  const a = await waitStatus(path.join(sv, 'a'), (o) => o.state === 1, 'a up');
  const b = await waitStatus(path.join(sv, 'b'), (o) => o.state === 1, 'b up');
  await waitFor(() => readIfThere(path.join(sv, 'a', 'log', 'out')) === 'bye-a\n', 'logged');
  process.kill(d.pid, 'SIGTERM');
  t.same(await d.exited, { code: 0, signal: null });
  t.notOk(alive(a.pid));
  t.notOk(alive(b.pid));
  t.equal(observe(path.join(sv, 'a'))!.stat, 'down\n');
  t.equal(observe(path.join(sv, 'a', 'log'))!.state, 0, 'log service ended too');

  const d2 = startRunsvdir(t, sv);
  const a2 = await waitStatus(path.join(sv, 'a'), (o) => o.state === 1, 'a up again');
  process.kill(d2.pid, 'SIGHUP');
  t.same(await d2.exited, { code: 111, signal: null });
  t.notOk(alive(a2.pid));
});

t.test('a scan folder reached through symlinks follows their retargeting (runsvchdir), with no periodic look', async (t) => {
  const root = tempDir(t);
  // /etc/service -> runsvdir/current -> runsvdir/default, as runit's layout
  const rd = path.join(root, 'runsvdir');
  mkdirSync(rd);
  for (const level of ['default', 'single']) mkdirSync(path.join(rd, level));
  const a = makeService(path.join(rd, 'default'), 'a', { run: 'exec sleep 1000' });
  const b = makeService(path.join(rd, 'single'), 'b', { run: 'exec sleep 1000' });
  symlinkSync('default', path.join(rd, 'current'));
  symlinkSync(path.join(rd, 'current'), path.join(root, 'service'));
  startRunsvdir(t, path.join(root, 'service'));
  await waitStatus(a, (o) => o.state === 1, 'a up');
  // runsvchdir: a new link renamed over `current`
  symlinkSync('single', path.join(rd, 'current.new'));
  renameSync(path.join(rd, 'current.new'), path.join(rd, 'current'));
  await waitStatus(b, (o) => o.state === 1, 'b up after the switch');
  await waitStatus(a, (o) => o.state === 0, 'a stopped after the switch');
  // and the outer link too
  const other = path.join(root, 'other');
  mkdirSync(other);
  const c = makeService(other, 'c', { run: 'exec sleep 1000' });
  symlinkSync(other, path.join(root, 'service.new'));
  renameSync(path.join(root, 'service.new'), path.join(root, 'service'));
  await waitStatus(c, (o) => o.state === 1, 'c up after the outer link changed');
  await waitStatus(b, (o) => o.state === 0, 'b stopped');
  // a service added to the new folder is picked up: the new target is watched
  const d = makeService(other, 'd', { run: 'exec sleep 1000' });
  await waitStatus(d, (o) => o.state === 1, 'd picked up in the new folder');
});

t.test('a service whose supervisor ends (sv x) is started again', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const s = makeService(sv, 's', { run: 'exec sleep 1000' });
  startRunsvdir(t, sv);
  const first = await waitStatus(s, (o) => o.state === 1, 'up');
  const { control } = await import('../runsv/runsv-helpers');
  control(s, 'x');
  await waitStatus(s, (o) => o.state === 1 && o.pid !== first.pid, 'restarted by runsvdir', 20000);
});

t.test("runit's sv and daemontools' svc/svstat drive services under our runsvdir", referenceSkip('sv', 'svc', 'svstat'), async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const s = makeService(sv, 's', { run: 'exec sleep 1000', log: { run: '#!/bin/sh\nexec cat >/dev/null\n' } });
  startRunsvdir(t, sv);
  await waitStatus(s, (o) => o.state === 1, 'up');
  const run = (bin: string, ...args: string[]): { out: string; code: number | null } => {
    const r = spawnSync(referenceBin(bin)!, args, { encoding: 'utf8', env: { ...process.env, SVDIR: sv } });
    return { out: (r.stdout + r.stderr).replace(/\(pid \d+\)/g, '(pid N)').replace(/\d+s\b/g, 'Ns').replace(/\d+ seconds/g, 'N seconds'), code: r.status };
  };
  t.same(run('sv', 'status', 's'), { out: 'run: s: (pid N) Ns; run: log: (pid N) Ns\n', code: 0 });
  t.same(run('svstat', s), { out: `${s}: up (pid N) N seconds\n`, code: 0 });
  t.same(run('svc', '-d', s), { out: '', code: 0 });
  await waitStatus(s, (o) => o.state === 0, 'down by svc -d');
  t.match(run('svstat', s).out, `${s}: down N seconds, normally up\n`);
  t.same(run('sv', '-w', '10', 'up', 's'), { out: 'ok: run: s: (pid N) Ns\n', code: 0 });
  t.same(run('svc', '-p', s), { out: '', code: 0 });
  await waitStatus(s, (o) => o.paused, 'paused by svc -p');
  t.match(run('svstat', s).out, `${s}: up (pid N) N seconds, paused\n`);
  t.same(run('sv', 'cont', 's'), { out: '', code: 0 }, 'without -v sv says nothing');
  await waitStatus(s, (o) => !o.paused, 'continued by sv cont');
  t.same(run('sv', '-w', '10', 'down', 's'), { out: 'ok: down: s: Ns, normally up\n', code: 0 });
});
