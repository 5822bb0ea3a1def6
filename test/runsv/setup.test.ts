// runsv start-up: supervise/ and its files, symlinks, the lock, fatal errors.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, waitFor } from '../helpers/proc';
import { ourBin } from '../helpers/reference';
import { control, makeService, observe, startRunsv, waitStatus } from './runsv-helpers';

t.test('usage: no argument or two arguments', async (t) => {
  for (const args of [[], ['a', 'b']]) {
    const r = spawnSync(ourBin('runsv'), args, { encoding: 'utf8' });
    t.equal(r.status, 1);
    t.equal(r.stderr, `usage: ${ourBin('runsv')} dir\n\n`);
    t.equal(r.stdout, '');
  }
});

t.test('a missing folder is fatal with exit 111', async (t) => {
  const r = spawnSync(ourBin('runsv'), ['/nonexistent-runitd'], { encoding: 'utf8' });
  t.equal(r.status, 111);
  t.equal(r.stderr, 'runsv /nonexistent-runitd: fatal: unable to change to directory: file does not exist\n');
});

t.test('supervise/ is created with runit modes and files', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000', log: { run: 'exec cat >/dev/null' } });
  const old = process.umask(0o022);
  t.teardown(() => process.umask(old));
  const rs = startRunsv(t, dir);
  const o = await waitStatus(dir, (o) => o.state === 1 && o.pid > 0, 'run');
  for (const sup of [path.join(dir, 'supervise'), path.join(dir, 'log', 'supervise')]) {
    await waitFor(() => observe(path.dirname(sup))?.state === 1, 'both running');
    t.equal(statSync(sup).mode & 0o777, 0o700, `${sup} is 0700`);
    t.ok(statSync(path.join(sup, 'control')).isFIFO(), 'control is a FIFO');
    t.ok(statSync(path.join(sup, 'ok')).isFIFO(), 'ok is a FIFO');
    t.equal(statSync(path.join(sup, 'control')).mode & 0o777, 0o600);
    t.equal(statSync(path.join(sup, 'ok')).mode & 0o777, 0o600);
    t.equal(statSync(path.join(sup, 'lock')).mode & 0o777, 0o600);
    t.equal(statSync(path.join(sup, 'lock')).size, 0);
    for (const f of ['status', 'stat', 'pid']) t.equal(statSync(path.join(sup, f)).mode & 0o777, 0o644, `${f} 0644`);
    t.equal(statSync(path.join(sup, 'status')).size, 20, 'status is 20 bytes');
  }
  t.equal(o.stat, 'run\n');
  t.equal(o.pidFile, `${o.pid}\n`);
  t.equal(o.want, 'u');
  // up means spawned: ./run's shell may not have exec'd sleep yet
  await waitFor(() => readFileSync(`/proc/${o.pid}/cmdline`, 'utf8') === 'sleep\x001000\x00', 'run execs sleep');
  control(dir, 'x');
  t.same(await rs.exited, { code: 0, signal: null });
  const after = observe(dir)!;
  t.equal(after.stat, 'down\n', 'files stay after exit');
  t.equal(after.pidFile, '');
  t.equal(after.want, 'd', 'want exit is written as d');
});

t.test('supervise as a symlink is followed (relative target for log/supervise)', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000', log: { run: 'exec cat >/dev/null' } });
  mkdirSync(path.join(root, 'sup'));
  symlinkSync(path.join(root, 'sup', 'main'), path.join(dir, 'supervise'));
  symlinkSync('../../sup/log', path.join(dir, 'log', 'supervise'));
  startRunsv(t, dir);
  await waitStatus(dir, (o) => o.state === 1, 'run');
  t.ok(lstatSync(path.join(dir, 'supervise')).isSymbolicLink(), 'the symlink is kept');
  t.equal(statSync(path.join(root, 'sup', 'main')).mode & 0o777, 0o700, 'its target was created 0700');
  t.ok(statSync(path.join(root, 'sup', 'main', 'control')).isFIFO());
  await waitFor(() => observe(path.join(dir, 'log'))?.state === 1, 'log running');
  t.ok(statSync(path.join(root, 'sup', 'log', 'status')).isFile(), 'log target relative to log/');
});

t.test('a second runsv on the same folder fails on the lock', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000' });
  startRunsv(t, dir);
  await waitStatus(dir, (o) => o.state === 1, 'run');
  const r = spawnSync(ourBin('runsv'), ['s'], { cwd: root, encoding: 'utf8', timeout: 20000 });
  t.equal(r.status, 111);
  t.equal(r.stderr, 'runsv s: fatal: unable to lock supervise/lock: temporary failure\n');
});

t.test('control that is not a FIFO is fatal; for log/ too (as runit 2.3.0)', async (t) => {
  const root = tempDir(t);
  const a = makeService(root, 'a', { run: 'exec sleep 1000' });
  mkdirSync(path.join(a, 'supervise'));
  writeFileSync(path.join(a, 'supervise', 'control'), '');
  let r = spawnSync(ourBin('runsv'), ['a'], { cwd: root, encoding: 'utf8', timeout: 20000 });
  t.equal(r.status, 111);
  t.equal(r.stderr, 'runsv a: fatal: supervise/control exists but is not a fifo\n');

  const b = makeService(root, 'b', { run: 'exec sleep 1000', log: { run: 'exec cat' } });
  mkdirSync(path.join(b, 'log', 'supervise'));
  writeFileSync(path.join(b, 'log', 'supervise', 'control'), '');
  r = spawnSync(ourBin('runsv'), ['b'], { cwd: root, encoding: 'utf8', timeout: 20000 });
  t.equal(r.status, 111);
  t.equal(r.stderr, 'runsv b: fatal: log/supervise/control exists but is not a fifo\n');
  t.notOk(observe(b)?.pid, 'nothing was started');
});

t.test('log that is not a folder: warning, no log service', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', { run: 'exec sleep 1000' });
  writeFileSync(path.join(dir, 'log'), '');
  const rs = startRunsv(t, dir);
  await waitStatus(dir, (o) => o.state === 1, 'run');
  await waitFor(() => rs.stderr().includes('\n'), 'warning');
  t.equal(rs.stderr(), 'runsv s: warning: ./log: not a directory.\n');
});

t.test('a missing or non-executable ./run: runit message once a second, runsv stays up', async (t) => {
  const root = tempDir(t);
  const dir = makeService(root, 's', {});
  const rs = startRunsv(t, dir);
  const msg = 'runsv s: fatal: unable to start ./run: file does not exist\n';
  await waitFor(() => rs.stderr().split(msg).length - 1 >= 2, 'two attempts', 20000);
  t.match(rs.stderr(), new RegExp(`^(${msg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})+$`), 'only that message');
  const o = observe(dir)!;
  t.equal(o.state, 0);
  t.equal(o.want, 'u');
  t.equal(o.pidFile, '');
  writeFileSync(path.join(dir, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o644 });
  await waitFor(() => rs.stderr().includes('unable to start ./run: access denied'), 'access denied');
  writeFileSync(path.join(dir, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  const { chmodSync } = await import('node:fs');
  chmodSync(path.join(dir, 'run'), 0o755);
  await waitStatus(dir, (o) => o.state === 1 && o.pid > 0, 'started once fixed');
  t.equal(rs.proc.exitCode, null, 'runsv still running');
});
