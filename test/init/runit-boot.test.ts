// runit as PID 1 of a PID namespace: the stages in order, stage 2 supervised,
// CTRL-ALT-DEL and runit-init, and the final reboot(2), which in a namespace
// ends it: its init dies of SIGINT for a power off, SIGHUP for a reboot.
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import t from 'tap';
import { waitFor } from '../helpers/proc';
import { bin, boot, consoleShows, inOrder, namespaceSkip, openTemp, read, script } from './init-helpers';

const skip = namespaceSkip();

// A template stage folder: nosync keeps the final sync(2) off the host's disks.
function stages(dir: string, s1: string, s2: string, s3: string): { template: string; stage: string; out: string } {
  const template = path.join(dir, 'template');
  const out = path.join(dir, 'out');
  script(path.join(template, '1'), s1);
  script(path.join(template, '2'), s2);
  script(path.join(template, '3'), s3);
  script(path.join(template, 'nosync'), '');
  script(path.join(out, '.keep'), '');
  return { template, stage: path.join(dir, 'stage'), out };
}

t.test('boot 1 -> 2 -> 3 with runsvdir, a service and its log; runit-init 0 powers off', { skip }, async (t) => {
  const dir = openTemp(t);
  const svdir = path.join(dir, 'service');
  script(path.join(svdir, 'hello', 'run'), 'echo hello from the service\nexec sleep 3600');
  script(path.join(svdir, 'hello', 'log', 'run'), `exec ${bin('svlogd')} ./main`);
  mkdirSync(path.join(svdir, 'hello', 'log', 'main'));
  const out = path.join(dir, 'out');
  const { template, stage } = stages(
    dir,
    `echo stage one > ${out}/1.done`,
    `exec env RUNITD_STOP_DEADLINE=3000 ${bin('runsvdir')} -P ${svdir}`,
    `${bin('sv')} status ${svdir}/hello > ${out}/3.status 2>&1; echo stage three > ${out}/3.done`,
  );
  const b = boot(t, dir, [bin('runit')], { template, stage });
  await b.initPid();
  const logFile = path.join(svdir, 'hello', 'log', 'main', 'current');
  await waitFor(() => read(logFile).includes('hello from the service'), 'the service line in its log', 30000);
  t.equal(read(path.join(out, '1.done')), 'stage one\n', 'stage 1 ran before stage 2');

  const r = b.enter([bin('runit-init'), '0']);
  t.equal(r.status, 0, `runit-init 0 exits 0 ${r.stderr}`);
  const ended = await waitFor(() => Promise.race([b.ended, new Promise<null>((res) => setTimeout(() => res(null), 200))]), 'the namespace to end', 30000);
  t.same(ended, { code: null, signal: 'SIGINT' }, 'reboot(2) power off ended the namespace (its init died of SIGINT)');
  const want = [
    '- runit: $Id: runitd $: booting.',
    `- runit: enter stage: ${stage}/1`,
    `- runit: leave stage: ${stage}/1`,
    `- runit: enter stage: ${stage}/2`,
    `- runit: leave stage: ${stage}/2`,
    `- runit: enter stage: ${stage}/3`,
    `- runit: leave stage: ${stage}/3`,
    '- runit: sending KILL signal to all processes...',
    '- runit: power off...',
  ];
  t.same(inOrder(b.console(), want), want, `runit's messages in order on the console:\n${b.console()}`);
  t.equal(read(path.join(out, '3.done')), 'stage three\n', 'stage 3 ran');
  t.match(read(path.join(out, '3.status')), /^(down|fail|warning)/, 'stage 2 (runsvdir) had stopped the service before stage 3');
});

t.test('stage 2 exiting 111, then crashing, is started again; its process group is killed first', { skip }, async (t) => {
  const dir = openTemp(t);
  const out = path.join(dir, 'out');
  const { template, stage } = stages(
    dir,
    'exit 0',
    [
      `n=$(cat ${out}/runs 2>/dev/null | wc -l); echo run >> ${out}/runs`,
      `if [ "$n" = 0 ]; then sleep 3600 & echo $! > ${out}/straggler; exit 111; fi`,
      `if [ "$n" = 1 ]; then if kill -0 $(cat ${out}/straggler) 2>/dev/null; then echo alive; else echo gone; fi > ${out}/straggler.after; kill -KILL $$; fi`,
      'exit 0',
    ].join('\n'),
    'exit 0',
  );
  const b = boot(t, dir, [bin('runit')], { template, stage });
  await b.initPid();
  const ended = await waitFor(() => Promise.race([b.ended, new Promise<null>((res) => setTimeout(() => res(null), 200))]), 'the namespace to end', 40000);
  t.same(ended, { code: null, signal: 'SIGINT' }, 'the boot went on to stage 3 and powered off');
  t.equal(read(path.join(out, 'runs')), 'run\nrun\nrun\n', 'stage 2 ran three times');
  t.equal(read(path.join(out, 'straggler.after')), 'gone\n', "the first run's background child was killed with its process group");
  const want = [
    `- runit: warning: child failed: ${stage}/2`,
    '- runit: warning: killing all processes in stage 2...',
    '- runit: warning: restarting.',
    `- runit: enter stage: ${stage}/2`,
    `- runit: warning: child crashed: ${stage}/2`,
    '- runit: warning: killing all processes in stage 2...',
    '- runit: warning: restarting.',
    `- runit: enter stage: ${stage}/2`,
    `- runit: leave stage: ${stage}/2`,
    `- runit: enter stage: ${stage}/3`,
  ];
  t.same(inOrder(b.console(), want), want, `restarts on the console:\n${b.console()}`);
});

t.test('CTRL-ALT-DEL (SIGINT) runs ctrlaltdel, which asks for a reboot', { skip }, async (t) => {
  const dir = openTemp(t);
  const out = path.join(dir, 'out');
  const { template, stage } = stages(dir, 'exit 0', `echo stage two up > ${out}/2.up\nexec sleep 3600`, `stat -c %a ${'$RUNIT_DIR'}/stopit ${'$RUNIT_DIR'}/reboot > ${out}/modes`);
  script(path.join(template, 'ctrlaltdel'), `exec ${bin('runit-init')} 6`);
  const b = boot(t, dir, [bin('runit')], { template, stage });
  const init = await b.initPid();
  await waitFor(() => existsSync(path.join(out, '2.up')), 'stage 2 to run', 30000);
  // runit catches SIGINT only once it runs; the console line says it does
  await consoleShows(b, `enter stage: ${stage}/2`);
  process.kill(init, 'SIGINT');
  const ended = await waitFor(() => Promise.race([b.ended, new Promise<null>((res) => setTimeout(() => res(null), 200))]), 'the namespace to end', 30000);
  t.same(ended, { code: null, signal: 'SIGHUP' }, 'reboot(2) restart ended the namespace (its init died of SIGHUP)');
  t.equal(read(path.join(out, 'modes')), '0\n100\n', 'runit disarmed stopit; reboot stayed armed (mode 100)');
  const want = [
    '- runit: ctrl-alt-del request...',
    `- runit: enter stage: ${stage}/ctrlaltdel`,
    `- runit: leave stage: ${stage}/ctrlaltdel`,
    `- runit: leave stage: ${stage}/2`,
    `- runit: enter stage: ${stage}/3`,
    '- runit: system reboot.',
  ];
  t.same(inOrder(b.console(), want), want, `ctrl-alt-del on the console:\n${b.console()}`);
});

t.test('runit refuses to run as anything but process 1', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(bin('runit'), { encoding: 'utf8' });
  t.equal(r.status, 111);
  t.equal(r.stderr, '- runit: fatal: must be run as process no 1.\n');
});
