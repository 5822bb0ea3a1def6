// runit's sv and daemontools' svc/svstat/svok, driving and reading a service
// supervised by OUR runsv, must answer exactly as they do against runit's runsv.
// Every scenario runs on two identical service folders at once, one under each
// runsv; after each command both are polled until settled, then compared.
import t, { Test } from 'tap';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { killPid } from '../helpers/proc';
import { referenceSkip } from '../helpers/reference';
import { both, client, ClientResult, Instance, normalise, Pair, procState, readStatus, readText, settle, snapshot, startPair, Status, ready, statusHex, trappingRun } from './runsv-helpers';

type T = Test;
const skip = referenceSkip('runsv', 'sv', 'svc', 'svstat', 'svok');
const todoOpt = (todo?: string): { todo?: string } => (todo ? { todo } : {});

const NONE: Status = { pid: 0, paused: 0, want: '?', term: 0, state: -1, sec: 0n, nsec: 0 };
const st = (i: Instance, sub = 'supervise'): Status => readStatus(i.dir, sub) ?? NONE;

interface Seen {
  code: number | null;
  stdout: string;
  stderr: string;
}
const seen = (r: ClientResult): Seen => ({ code: r.code, stdout: normalise(r.stdout), stderr: normalise(r.stderr) });

/** Runs one client command against both, compares its normalised output and exit code. */
async function cmd(t: T, pair: Pair, tool: string, args: string[], todo?: string): Promise<void> {
  const r = await both(pair, (i) => client(tool, args, i.cwd));
  t.same(seen(r.ours), seen(r.ref), `${tool} ${args.join(' ')}: same output and exit code`, todoOpt(todo));
}

/** What the clients say about the service right now. */
async function views(i: Instance, names: string[]): Promise<Seen[]> {
  const [sv, svstat, svok] = await Promise.all([client('sv', ['status', ...names.map((n) => './' + n)], i.cwd), client('svstat', names, i.cwd), client('svok', [names[0]], i.cwd)]);
  return [seen(sv), seen(svstat), { code: svok.code, stdout: svok.stdout, stderr: svok.stderr }];
}

/** For a failure's diagnostics: what supervise/ says, and whether runsv is still there. */
function describe(i: Instance, names: string[]): Record<string, unknown> {
  const subs = names.map((n) => (n === 's' ? 'supervise' : n.slice(2) + '/supervise'));
  return { exitInfo: i.exitInfo ?? null, stderr: i.stderr, ...Object.fromEntries(subs.map((sub) => [sub, { ...snapshot(i.dir, sub), raw: statusHex(i.dir, sub) }])) };
}

/**
 * Waits until `pred` holds under both runsvs, then compares `sv status`,
 * `svstat` and `svok` (retrying briefly so a file mid-update does not count).
 */
async function checkpoint(t: T, pair: Pair, what: string, pred: (i: Instance) => boolean, opts: { names?: string[]; todo?: string } = {}): Promise<void> {
  const names = opts.names ?? ['s'];
  const settled = await both(pair, (i) => settle(() => pred(i)));
  t.ok(settled.ref, `${what}: runit's runsv reaches the expected state`, settled.ref ? {} : { ref: describe(pair.ref, names) });
  t.ok(settled.ours, `${what}: our runsv reaches the expected state`, { ...todoOpt(opts.todo), ...(settled.ours ? {} : { ours: describe(pair.ours, names) }) });
  let v = await both(pair, (i) => views(i, names));
  for (let n = 0; n < 10 && JSON.stringify(v.ours) !== JSON.stringify(v.ref); n++) {
    await new Promise((r) => setTimeout(r, 150));
    v = await both(pair, (i) => views(i, names));
  }
  t.same(v.ours, v.ref, `${what}: sv status, svstat and svok agree`, todoOpt(opts.todo));
}

const running = (i: Instance): boolean => st(i).state === 1 && st(i).pid !== 0 && ready(i.dir, st(i).pid);
const down = (i: Instance): boolean => st(i).state === 0 && st(i).pid === 0;
const sigsOf = (i: Instance): string => readText(path.join(i.dir, 'sigs'));
const exited = (i: Instance): boolean => i.exitInfo !== undefined;

t.test('sv drives a plain service: pause, signals, -w up/down, once, term, kill, exit', skip, async (t) => {
  const pair = await startPair(t, { run: trappingRun({ trapTerm: false }) });
  await checkpoint(t, pair, 'started', running);

  await cmd(t, pair, 'sv', ['pause', './s']);
  await checkpoint(t, pair, 'sv pause', (i) => st(i).paused === 1 && procState(st(i).pid) === 'T');
  await cmd(t, pair, 'sv', ['cont', './s']);
  await checkpoint(t, pair, 'sv cont', (i) => st(i).paused === 0 && ['S', 'R'].includes(procState(st(i).pid)));

  for (const [command, word] of [
    ['hup', 'hup'],
    ['alarm', 'alrm'],
    ['interrupt', 'int'],
    ['quit', 'quit'],
    ['2', 'usr2'],
    ['1', 'usr1'],
  ]) {
    await cmd(t, pair, 'sv', [command, './s']);
    await checkpoint(t, pair, `sv ${command}`, (i) => sigsOf(i).includes(word + '\n') && running(i));
  }
  t.same(sigsOf(pair.ours), sigsOf(pair.ref), 'the service received the same signals, in order');

  await cmd(t, pair, 'sv', ['-w', '5', 'down', './s']);
  await checkpoint(t, pair, 'sv -w 5 down', down);
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s']);
  await checkpoint(t, pair, 'sv -w 5 up', running);
  await cmd(t, pair, 'sv', ['once', './s']);
  await checkpoint(t, pair, 'sv once', (i) => running(i) && st(i).want === 'd');
  await cmd(t, pair, 'sv', ['term', './s']);
  await checkpoint(t, pair, 'sv term after once: stays down', (i) => down(i) && st(i).want === 'd');
  await cmd(t, pair, 'sv', ['up', './s']);
  await checkpoint(t, pair, 'sv up', running);

  const before = await both(pair, (i) => st(i).pid);
  await cmd(t, pair, 'sv', ['kill', './s']);
  await checkpoint(t, pair, 'sv kill: restarted', (i) => running(i) && st(i).pid !== before[i.flavour]);
  const before2 = await both(pair, (i) => st(i).pid);
  await cmd(t, pair, 'sv', ['-w', '5', 'term', './s']);
  await checkpoint(t, pair, 'sv -w 5 term: restarted', (i) => running(i) && st(i).pid !== before2[i.flavour]);
  await cmd(t, pair, 'sv', ['status', './s', './nonexistent']);

  await cmd(t, pair, 'sv', ['exit', './s']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'sv exit: both runsvs exited');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  await checkpoint(t, pair, 'after exit', down);
  await cmd(t, pair, 'sv', ['exit', './s']);
  await cmd(t, pair, 'sv', ['up', './s']);
  await cmd(t, pair, 'sv', ['-w', '1', 'down', './s']);
});

t.test('svc and svstat on a normally-down service', skip, async (t) => {
  const pair = await startPair(t, { run: trappingRun({ trapTerm: false }), down: '' });
  await checkpoint(t, pair, 'started: normally down', (i) => down(i) && st(i).want === 'd');

  await cmd(t, pair, 'svc', ['-u', 's']);
  await checkpoint(t, pair, 'svc -u', running);
  await cmd(t, pair, 'svc', ['-p', 's']);
  await checkpoint(t, pair, 'svc -p', (i) => st(i).paused === 1 && procState(st(i).pid) === 'T');
  await cmd(t, pair, 'svc', ['-c', 's']);
  await checkpoint(t, pair, 'svc -c', (i) => st(i).paused === 0 && ['S', 'R'].includes(procState(st(i).pid)));
  for (const [opt, word] of [
    ['-h', 'hup'],
    ['-a', 'alrm'],
    ['-i', 'int'],
  ]) {
    await cmd(t, pair, 'svc', [opt, 's']);
    await checkpoint(t, pair, `svc ${opt}`, (i) => sigsOf(i).includes(word + '\n') && running(i));
  }
  t.same(sigsOf(pair.ours), sigsOf(pair.ref), 'the service received the same signals, in order');

  await cmd(t, pair, 'svc', ['-o', 's']);
  await checkpoint(t, pair, 'svc -o while up', (i) => running(i) && st(i).want === 'd');
  await cmd(t, pair, 'svc', ['-t', 's']);
  await checkpoint(t, pair, 'svc -t after -o: stays down', (i) => down(i) && st(i).want === 'd');
  await cmd(t, pair, 'svc', ['-o', 's']);
  await checkpoint(t, pair, 'svc -o while down: runs once', (i) => running(i) && st(i).want === 'd');
  await cmd(t, pair, 'svc', ['-u', 's']);
  await checkpoint(t, pair, 'svc -u', (i) => running(i) && st(i).want === 'u');
  const before = await both(pair, (i) => st(i).pid);
  await cmd(t, pair, 'svc', ['-k', 's']);
  await checkpoint(t, pair, 'svc -k: restarted', (i) => running(i) && st(i).pid !== before[i.flavour]);
  await cmd(t, pair, 'svc', ['-d', 's']);
  await checkpoint(t, pair, 'svc -d', (i) => down(i) && st(i).want === 'd');
  // (not `sv -w once`: its check passes at once or not depending on whether the
  // service went down in the second sv started, which would make this flaky)
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s']);
  await checkpoint(t, pair, 'sv -w 5 up', running);
  await cmd(t, pair, 'svc', ['-x', 's']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'svc -x: both runsvs exited');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  await checkpoint(t, pair, 'after svc -x', down);
  await cmd(t, pair, 'svc', ['-u', 's']);
});

t.test('a service with a log service: log part of sv status, log commands, exit closes the log', skip, async (t) => {
  const pair = await startPair(t, {
    run: '#!/bin/sh\necho hello\nexec sleep 1000\n',
    'log/run': '#!/bin/sh\nexec cat >>out\n',
  });
  const names = ['s', 's/log'];
  const logUp = (i: Instance): boolean => st(i, 'log/supervise').state === 1 && st(i, 'log/supervise').pid !== 0;
  const logDown = (i: Instance): boolean => st(i, 'log/supervise').state === 0 && st(i, 'log/supervise').pid === 0;
  const out = (i: Instance): string => readText(path.join(i.dir, 'log', 'out'));
  await checkpoint(t, pair, 'started with log', (i) => running(i) && logUp(i) && out(i) === 'hello\n', { names });

  await cmd(t, pair, 'sv', ['down', './s/log']);
  await checkpoint(t, pair, 'sv down ./s/log', (i) => running(i) && logDown(i), { names });
  // x is ignored by a log service; the u behind it shows it was read
  await cmd(t, pair, 'sv', ['exit', './s/log']);
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s/log']);
  await checkpoint(t, pair, 'sv exit ./s/log ignored, sv -w 5 up ./s/log', (i) => running(i) && logUp(i) && !exited(i), { names });
  await cmd(t, pair, 'sv', ['-w', '5', 'down', './s']);
  await checkpoint(t, pair, 'sv -w 5 down ./s', (i) => down(i) && logUp(i), { names });
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s']);
  await checkpoint(t, pair, 'sv -w 5 up ./s', (i) => running(i) && out(i) === 'hello\nhello\n', { names });

  await cmd(t, pair, 'sv', ['exit', './s']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'sv exit: both runsvs exited once the logger saw EOF');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  await checkpoint(t, pair, 'after exit', (i) => down(i) && logDown(i), { names });
  t.equal(out(pair.ours), out(pair.ref), 'the logger got the same bytes');
});

t.test('an `exec svlogd` log service (run in-process by ours): sv and svstat on it, rotation, exit', skip, async (t) => {
  const pair = await startPair(t, {
    run: '#!/bin/sh\necho hello\nexec sleep 1000\n',
    'log/run': '#!/bin/sh\nexec svlogd ./main\n',
    'log/main/config': '',
  });
  const names = ['s', 's/log'];
  const main = (i: Instance): string => path.join(i.dir, 'log', 'main');
  const logUp = (i: Instance): boolean => st(i, 'log/supervise').state === 1 && st(i, 'log/supervise').pid !== 0;
  const logDown = (i: Instance): boolean => st(i, 'log/supervise').state === 0 && st(i, 'log/supervise').pid === 0;
  const rotated = (i: Instance): string[] => readdirSync(main(i)).filter((f) => f.startsWith('@')).sort();
  // the log folder's files in order (rotated ones by name, then current), names normalised
  const logged = (i: Instance): string[] => {
    const files = [...rotated(i), 'current'];
    return files.map((f) => `${f.startsWith('@') ? '@TAI64N' + f.slice(25) : f}: ${readText(path.join(main(i), f))}`);
  };
  await checkpoint(t, pair, 'started', (i) => running(i) && logUp(i) && readText(path.join(main(i), 'current')) === 'hello\n', { names });
  await cmd(t, pair, 'sv', ['alarm', './s/log']);
  await checkpoint(t, pair, 'sv alarm ./s/log: rotated', (i) => rotated(i).length === 1, { names });
  await cmd(t, pair, 'sv', ['-w', '5', 'down', './s/log']);
  await checkpoint(t, pair, 'sv -w 5 down ./s/log', logDown, { names });
  await cmd(t, pair, 'sv', ['-w', '5', 'down', './s']);
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s']);
  await cmd(t, pair, 'sv', ['-w', '5', 'up', './s/log']);
  await checkpoint(t, pair, 'main restarted, then the log', (i) => running(i) && logUp(i) && readText(path.join(main(i), 'current')) === 'hello\n', { names });
  await cmd(t, pair, 'sv', ['exit', './s']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'sv exit: both runsvs exited once the logger saw EOF');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  await checkpoint(t, pair, 'after exit', (i) => down(i) && logDown(i), { names });
  t.same(logged(pair.ours), logged(pair.ref), 'the same log files with the same lines');
});

t.test('a finish script: state finish in sv status, svstat shows it up, its arguments', skip, async (t) => {
  const pair = await startPair(t, {
    run: '#!/bin/sh\nexec sleep 1000\n',
    finish: '#!/bin/sh\necho "$@" >>finish-args\nexec sleep 1000\n',
  });
  const finishing = (i: Instance): boolean => st(i).state === 2 && st(i).pid !== 0;
  const args = (i: Instance): string => readText(path.join(i.dir, 'finish-args'));
  await checkpoint(t, pair, 'started', running);

  await cmd(t, pair, 'sv', ['down', './s']);
  await checkpoint(t, pair, 'sv down: finish runs', (i) => finishing(i) && args(i) === '-1 15\n');
  await cmd(t, pair, 'sv', ['-w', '1', 'down', './s']);
  await both(pair, (i) => killPid(st(i).pid, 'SIGTERM'));
  await checkpoint(t, pair, 'finish exited: down', (i) => down(i) && st(i).want === 'd');

  await cmd(t, pair, 'sv', ['up', './s']);
  await checkpoint(t, pair, 'sv up', running);
  await cmd(t, pair, 'sv', ['kill', './s']);
  await checkpoint(t, pair, 'sv kill: finish runs, want up', (i) => finishing(i) && args(i) === '-1 15\n-1 9\n');
  const fin = await both(pair, (i) => st(i).pid);
  await both(pair, (i) => killPid(fin[i.flavour], 'SIGTERM'));
  await checkpoint(t, pair, 'finish exited: restarted', (i) => running(i) && st(i).pid !== fin[i.flavour]);

  await cmd(t, pair, 'sv', ['exit', './s']);
  await checkpoint(t, pair, 'sv exit: finish runs, runsv waits', (i) => finishing(i) && args(i).split('\n').length === 4 && !exited(i));
  await both(pair, (i) => killPid(st(i).pid, 'SIGTERM'));
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'both runsvs exited after finish');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  t.equal(args(pair.ours), args(pair.ref), 'finish got the same arguments each time');
});

t.test('a TERM-ignoring service: sv timeouts, force-stop, SIGTERM to runsv', skip, async (t) => {
  const pair = await startPair(t, { run: trappingRun({ trapTerm: true }) });
  await checkpoint(t, pair, 'started', running);
  await cmd(t, pair, 'sv', ['-w', '1', 'down', './s']);
  await checkpoint(t, pair, 'sv -w 1 down: TERM ignored', (i) => st(i).term === 1 && sigsOf(i) === 'term\n');
  await cmd(t, pair, 'sv', ['-w', '1', 'force-stop', './s']);
  await checkpoint(t, pair, 'sv -w 1 force-stop: killed after the timeout', down);
  await cmd(t, pair, 'sv', ['start', './s']);
  await checkpoint(t, pair, 'sv start', running);
  await both(pair, (i) => killPid(i.pid, 'SIGTERM'));
  await checkpoint(t, pair, 'SIGTERM to runsv: want exit, got TERM', (i) => st(i).term === 1 && sigsOf(i) === 'term\nterm\n' && !exited(i));
  await cmd(t, pair, 'sv', ['kill', './s']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'sv kill: both runsvs exited');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
});

t.test('control/X scripts: handled signals suppressed, d/x scripts run, u before every start', skip, async (t) => {
  const pair = await startPair(t, {
    run: trappingRun({ trapTerm: false }),
    'control/u': '#!/bin/sh\necho u >>ctl\n',
    'control/t': '#!/bin/sh\necho t >>ctl\nexit 0\n',
    'control/d': '#!/bin/sh\necho d >>ctl\nexit 3\n',
    'control/x': '#!/bin/sh\necho x >>ctl\n',
    'control/h': '#!/bin/sh\necho h >>ctl\nexit 0\n',
    'control/a': '#!/bin/sh\necho a >>ctl\nexit 1\n',
    'control/i': '#!/bin/sh\necho i >>ctl\n',
  });
  const ctl = (i: Instance): string => readText(path.join(i.dir, 'ctl'));
  await checkpoint(t, pair, 'started: control/u ran', (i) => running(i) && ctl(i) === 'u\n');

  await cmd(t, pair, 'sv', ['hup', './s']);
  await checkpoint(t, pair, 'sv hup: control/h exits 0', (i) => ctl(i).endsWith('h\n'));
  await cmd(t, pair, 'sv', ['alarm', './s']);
  await checkpoint(t, pair, 'sv alarm: control/a exits 1, ALRM sent', (i) => ctl(i).endsWith('a\n') && sigsOf(i) === 'alrm\n');
  await cmd(t, pair, 'sv', ['down', './s']);
  await checkpoint(t, pair, 'sv down: control/t handles TERM, control/d runs', (i) => ctl(i).endsWith('t\nd\n') && st(i).want === 'd');
  await cmd(t, pair, 'sv', ['term', './s']);
  await checkpoint(t, pair, 'sv term with want down: control/t, control/d', (i) => ctl(i).endsWith('d\nt\nd\n'));
  await cmd(t, pair, 'sv', ['kill', './s']);
  await checkpoint(t, pair, 'sv kill: no control/k, KILL sent', (i) => down(i));
  await cmd(t, pair, 'sv', ['up', './s']);
  await checkpoint(t, pair, 'sv up: control/u again', (i) => running(i) && ctl(i).endsWith('d\nu\n'));
  await cmd(t, pair, 'sv', ['interrupt', './s']);
  await checkpoint(t, pair, 'sv interrupt: control/i exits 0', (i) => ctl(i).endsWith('i\n'));
  await cmd(t, pair, 'sv', ['exit', './s']);
  await checkpoint(t, pair, 'sv exit: control/t handles TERM, control/x runs', (i) => ctl(i).endsWith('t\nx\n') && running(i) && !exited(i));
  await cmd(t, pair, 'sv', ['kill', './s']);
  const gone = await both(pair, (i) => settle(() => exited(i)));
  t.ok(gone.ref && gone.ours, 'sv kill after exit: both runsvs exited');
  t.same(pair.ours.exitInfo, pair.ref.exitInfo, 'same exit status of runsv');
  t.equal(ctl(pair.ours), ctl(pair.ref), 'the same control scripts ran, in the same order');
  t.equal(sigsOf(pair.ours), sigsOf(pair.ref), 'the service got the same signals (only ALRM)');
});
