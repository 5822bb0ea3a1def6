// What adoption rests on: a process's start time and state from /proc, a pidfd
// that turns readable when a process that is not our child ends, and the OOM
// score a child gets.
import t from 'tap';
import { closeSync, readFileSync } from 'node:fs';
import * as native from '../../lib/native';
import * as path from 'node:path';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';

const statFields = (pid: number): string[] => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
};

t.test('procStat: parent, start time and zombie state as /proc says; null for no process', async (t) => {
  const me = native.procStat(process.pid);
  t.ok(me, 'this process');
  t.equal(me!.ppid, process.ppid);
  t.equal(me!.startTicks, Number(statFields(process.pid)[19]), 'field 22: start time in clock ticks');
  t.equal(me!.zombie, false);

  // a zombie: `sleep 0` whose parent (sh exec'd into sleep 1000) never waits for it
  const parent = native.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'sleep 0 & exec sleep 1000'] });
  t.teardown(() => killPid(parent, 'SIGKILL'));
  let zombie = 0;
  await waitFor(() => {
    const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    zombie = kids.find((k) => statFields(k)[0] === 'Z') ?? 0;
    return zombie > 0;
  }, 'the zombie');
  t.same(native.procStat(zombie), { ppid: parent, startTicks: Number(statFields(zombie)[19]), zombie: true }, 'a zombie, not ours');
  t.equal(native.procStat(parent)!.zombie, false, 'its parent runs');
  t.equal(native.procStat(0x3fffffff), null, 'no such process');
});

t.test('watchPidfd: calls back once the process has ended, whoever its parent is', async (t) => {
  // a process that is not our child: sh starts sleep in the background, says its pid and exits
  const file = path.join(tempDir(t), 'pid');
  const sh = native.spawn({ file: '/bin/sh', argv: ['sh', '-c', `sleep 1000 & echo $! > ${file}`], stdio: ['null', 'null', 'inherit'] });
  await native.waitExit(sh);
  const orphan = Number(readFileSync(file, 'utf8'));
  t.ok(orphan > 0 && native.procStat(orphan)?.ppid !== process.pid, 'an orphan, not our child');
  t.teardown(() => killPid(orphan, 'SIGKILL'));
  const fd = native.pidfdOpen(orphan);
  let called = 0;
  native.watchPidfd(fd, () => called++);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(called, 0, 'not while it runs');
  killPid(orphan, 'SIGTERM');
  await waitFor(() => called === 1, 'the callback');
  t.notOk(alive(orphan) && native.procStat(orphan)?.zombie === false, 'it has ended');
  closeSync(fd);
});

t.test('spawn: oomScoreAdj sets the child\'s score; without it the child inherits ours', async (t) => {
  const own = readFileSync('/proc/self/oom_score_adj', 'utf8').trim();
  const score = async (plan: Partial<native.SpawnPlan>): Promise<string> => {
    const pid = native.spawn({ file: '/bin/sleep', argv: ['sleep', '1000'], ...plan });
    t.teardown(() => killPid(pid, 'SIGKILL'));
    const v = readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim();
    killPid(pid, 'SIGKILL');
    await native.waitExit(pid);
    return v;
  };
  t.equal(await score({}), own, 'inherited');
  t.equal(await score({ oomScoreAdj: 500 }), '500', 'raised: always allowed');
  t.throws(() => native.spawn({ file: '/bin/true', oomScoreAdj: 5000 }), TypeError);
});
