// One service's trouble never reaches another: a hanging control script, a crash
// loop, a megabyte of garbage in a control FIFO and a broken supervise/ symlink,
// all at once, while a healthy service is driven and must answer promptly.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { control, makeService, observe, waitStatus } from '../runsv/runsv-helpers';
import { startRunsvdir } from './runsvdir-helpers';

t.test('trouble in four services does not disturb the fifth', async (t) => {
  const root = tempDir(t);
  const sv = path.join(root, 'sv');
  mkdirSync(sv);
  const hang = makeService(sv, 'hang', { run: 'exec sleep 1000', control: { d: 'echo $$ > ../hang-control.pid; exec sleep 1000' } });
  const crash = makeService(sv, 'crash', { run: 'exit 1', finish: 'exit 0' });
  const garbage = makeService(sv, 'garbage', { run: 'exec sleep 1000' });
  const broken = makeService(sv, 'broken', { run: 'exec sleep 1000' });
  symlinkSync('/nonexistent-runitd/sup', path.join(broken, 'supervise'));
  const healthy = makeService(sv, 'healthy', { run: 'exec sleep 1000' });
  const d = startRunsvdir(t, sv);

  await waitStatus(healthy, (o) => o.state === 1, 'healthy up');
  await waitStatus(hang, (o) => o.state === 1, 'hang up');
  await waitStatus(garbage, (o) => o.state === 1, 'garbage up');
  await waitFor(() => d.stderr().includes('runsv broken: fatal: unable to open supervise/lock'), 'broken reported');

  // start the trouble
  control(hang, 'd'); // control/d never returns: hang's queue is stuck
  await waitFor(() => observe(hang)?.want === 'd' && require('node:fs').existsSync(path.join(sv, 'hang-control.pid')), 'control/d running');
  const writer = spawn('/bin/sh', ['-c', 'head -c 1048576 /dev/urandom > supervise/control'], { cwd: garbage, stdio: 'ignore' });
  t.teardown(() => killPid(writer.pid!));

  // drive the healthy service and time each round trip
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    let t0 = Date.now();
    control(healthy, 'd');
    await waitStatus(healthy, (o) => o.state === 0, 'healthy down', 10000);
    times.push(Date.now() - t0);
    t0 = Date.now();
    control(healthy, 'u');
    await waitStatus(healthy, (o) => o.state === 1, 'healthy up', 10000);
    times.push(Date.now() - t0);
  }
  t.comment(`healthy service round trips (ms): ${times.join(' ')}`);
  t.ok(times.every((ms) => ms < 10000), 'every command answered');
  t.equal(observe(hang)!.want, 'd', 'hang got its d (and is stuck in control/d)');
  t.ok(alive(d.pid), 'the daemon is alive');
  t.equal(d.proc.exitCode, null);
  // end the stuck script: its service carries on with the d it was handling
  const { readFileSync } = await import('node:fs');
  const scriptPid = Number(readFileSync(path.join(sv, 'hang-control.pid'), 'utf8'));
  killPid(scriptPid);
  await waitStatus(hang, (o) => o.state === 0, 'hang down once its control/d returned');
  const crashes = d.stderr().split('\n').filter((l) => l.startsWith('runsv crash')).length;
  t.equal(crashes, 0, 'a crash loop prints nothing (runit prints nothing either)');
});
