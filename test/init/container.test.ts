// runsvdir -P as PID 1 of a container (a fresh PID namespace): every orphan is
// reaped without disturbing the services, SIGTERM stops every service within
// RUNITD_STOP_DEADLINE (KILL for what ignores TERM) and exits 0, and a scan
// folder that cannot be used at start is an exit 111.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import t from 'tap';
import { waitFor } from '../helpers/proc';
import { bin, boot, childrenOf, namespaceSkip, openTemp, read, script } from './init-helpers';

const skip = namespaceSkip();

const endedWithin = (b: { ended: Promise<unknown> }, ms: number) =>
  waitFor(() => Promise.race([b.ended, new Promise<null>((res) => setTimeout(() => res(null), 100))]), 'the container to end', ms);

t.test('a service that double-forks 1000 times leaves no zombie behind', { skip }, async (t) => {
  const dir = openTemp(t);
  const svdir = path.join(dir, 'service');
  const out = path.join(dir, 'out');
  script(path.join(out, '.keep'), '');
  script(
    path.join(svdir, 'forker', 'run'),
    [
      `echo start >> ${out}/starts`,
      // each subshell exits at once, leaving its sleep to PID 1
      'i=0; while [ $i -lt 1000 ]; do (sleep 0.05 &); i=$((i+1)); done',
      `echo done > ${out}/done`,
      'exec sleep 3600',
    ].join('\n'),
  );
  const b = boot(t, dir, [bin('runsvdir'), '-P', svdir]);
  const init = await b.initPid();
  await waitFor(() => existsSync(path.join(out, 'done')), 'the 1000 double forks', 60000);
  // the last orphans live 50 ms; all of them must be gone, not left as zombies
  const kids = await waitFor(
    () => {
      const k = childrenOf(init);
      return k.length === 1 && k[0].state !== 'Z' ? k : null;
    },
    `PID 1 to have only its service left as a child (now: ${JSON.stringify(childrenOf(init))})`,
    20000,
  );
  t.equal(kids.length, 1, 'no zombie and no orphan left: only the service');
  t.equal(read(path.join(out, 'starts')), 'start\n', 'the orphans exits did not restart (or confuse) the service');
  t.equal(read(path.join(svdir, 'forker', 'supervise', 'stat')), 'run\n', 'the service is still up');
  t.equal(b.proc.exitCode, null, 'runsvdir still runs');
});

t.test('SIGTERM: every service stopped, KILL after the deadline, exit 0', { skip }, async (t) => {
  const dir = openTemp(t);
  const svdir = path.join(dir, 'service');
  const out = path.join(dir, 'out');
  script(path.join(out, '.keep'), '');
  script(path.join(svdir, 'polite', 'run'), `echo up > ${out}/polite.up\nexec sleep 3600`);
  script(path.join(svdir, 'polite', 'finish'), `echo "$1 $2" > ${out}/polite.finish`);
  script(path.join(svdir, 'stubborn', 'run'), `echo up > ${out}/stubborn.up\ntrap '' TERM\nexec sleep 3600`);
  const deadline = 1500;
  const b = boot(t, dir, [bin('runsvdir'), '-P', svdir], { env: { RUNITD_STOP_DEADLINE: String(deadline) } });
  const init = await b.initPid();
  await waitFor(() => existsSync(path.join(out, 'polite.up')) && existsSync(path.join(out, 'stubborn.up')), 'both services up', 30000);
  await waitFor(() => read(path.join(svdir, 'stubborn', 'supervise', 'stat')) === 'run\n', 'stubborn published as up', 20000);
  const t0 = Date.now();
  process.kill(init, 'SIGTERM');
  const ended = await endedWithin(b, 20000);
  const took = Date.now() - t0;
  t.same(ended, { code: 0, signal: null }, `runsvdir exited 0 ${b.stderr()}`);
  t.ok(took >= deadline - 50, `the stubborn service was given the deadline (${took} ms)`);
  // the promise is deadline + 1 s; the margin here is for a loaded test machine
  t.ok(took < deadline + 4000, `ended soon after the deadline: ${took} ms (deadline ${deadline} ms)`);
  t.comment(`SIGTERM to exit: ${took} ms with a ${deadline} ms deadline`);
  t.equal(read(path.join(out, 'polite.finish')), '-1 15\n', 'the polite service got TERM');
});

t.test('an unusable scan folder at start: exit 111', { skip }, async (t) => {
  const dir = openTemp(t);
  const file = path.join(dir, 'not-a-folder');
  writeFileSync(file, '');
  for (const scan of [path.join(dir, 'missing'), file]) {
    const own = path.join(dir, `boot-${path.basename(scan)}`);
    mkdirSync(own);
    const b = boot(t, own, [bin('runsvdir'), '-P', scan]);
    const ended = await endedWithin(b, 20000);
    t.same(ended, { code: 111, signal: null }, `exit 111 for ${path.basename(scan)}`);
    t.match(b.stderr(), `runsvdir ${scan}: fatal: unable to open ${scan}: `, 'says why');
  }
});
