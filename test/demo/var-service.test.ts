// End to end: the example services of var_service/ under our daemon (a copy in a
// temp folder), each pattern checked the way a user sees it (files, `sv status`,
// svlog, /proc), then the shutdown; and `npm start` (dist/cli/demo.js) stopped by
// Ctrl-C. Intervals are shortened through the daemon's environment.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { alive, procStat, procStatus, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip, repoRoot } from '../helpers/reference';
import {
  ProcessTracker,
  binDir,
  childrenOf,
  cmdline,
  copyVarService,
  count,
  envWithBin,
  lines,
  pidOf,
  procState,
  readText,
  run,
  services,
  startDaemon,
  stat,
  sv,
  within,
} from './demo-helpers';

// Short intervals; the silence limit keeps a margin over the 1 s tick so that a
// loaded machine does not make the watchdog restart clock on its own.
const MAX_SILENCE = 4;
const INTERVALS = { CLOCK_SECONDS: '1', DHCP_RENEW_SECONDS: '2', WATCHDOG_SECONDS: '1', WATCHDOG_MAX_SILENCE: String(MAX_SILENCE) };

const LOG_LINE = /^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} (clock starting|tick \d\d:\d\d:\d\d)$/;
const APPLIED_LINE = /^\d\d:\d\d:\d\d rules applied for lease: (10\.0\.0\.\d+|none)$/;
const ENDED_LINE = /^\d\d:\d\d:\d\d run ended: exit=(-?\d+) signal=(\d+)$/;
const WATCHDOG_SAID = /watchdog: clock silent for (\d+) s, restarting it/g;

const nowSec = () => Math.floor(Date.now() / 1000);

t.test('var_service: every example behaves as its README line says', async (t) => {
  const svdir = copyVarService(tempDir(t, 'runitd-var-service-'));
  const dir = (name: string) => path.join(svdir, name);
  const tracker = new ProcessTracker();
  const daemon = startDaemon(t, [ourBin('runsvdir'), '-P', svdir], envWithBin(INTERVALS), tracker);
  const out = () => daemon.stdout();

  // every supervised pid ever seen, to check at the end that none outlives the daemon
  const supervised = new Map<number, string>();
  const note = (name: string): number => {
    const pid = pidOf(dir(name));
    if (pid) supervised.set(pid, name);
    tracker.snapshot();
    return pid;
  };
  const heartbeat = () => Number(readText(path.join(dir('clock'), 'heartbeat')).trim()) || 0;

  await waitFor(
    () => ['clock', 'clock/log', 'dhcp', 'flaky', 'watchdog', 'nobody-web'].every((n) => stat(dir(n)) === 'run'),
    'the normally-up services running',
    30000,
  );
  for (const n of services) note(n);

  await t.test('sv status lines are the ones runit’s sv prints for the same folder', referenceSkip('sv'), async (t) => {
    const env = envWithBin({ SVDIR: svdir });
    const norm = (s: string) => s.replace(/\b\d+s\b/g, 'Ns');
    let ours = '';
    let theirs = '';
    // pids change (flaky, firewall) between the two calls: retry until one quiet moment
    await waitFor(
      async () => {
        ours = (await run(ourBin('sv'), ['status', ...services], env)).stdout;
        theirs = (await run(referenceBin('sv')!, ['status', ...services], env)).stdout;
        return norm(ours) === norm(theirs);
      },
      'a moment where nothing restarts',
      15000,
    ).catch(() => undefined);
    t.equal(norm(ours), norm(theirs), 'our sv status == runit sv status (seconds aside)');
    t.equal(ours.split('\n').length, services.length + 1, 'one line per service');
  });

  await t.test('clock: runs, its log service svlogd -tt writes timestamped lines, svlog shows them', async (t) => {
    const log = path.join(dir('clock'), 'log', 'main', 'current');
    await waitFor(() => count(readText(log), /tick /) >= 3, 'three ticks in clock/log/main/current', 20000);
    const logged = lines(log);
    t.ok(logged.length >= 4, `${logged.length} lines logged`);
    for (const l of logged) t.match(l, LOG_LINE, 'a -tt timestamp, then the line clock printed');
    t.ok(logged.some((l) => l.endsWith(' clock starting')), 'the first line of clock is there');
    const stamps = logged.map((l) => l.slice(0, 25));
    t.same([...stamps].sort(), stamps, 'timestamps in order');

    const st = await sv(svdir, 'status', 'clock');
    t.equal(st.code, 0, 'sv status exits 0');
    const m = /^run: clock: \(pid (\d+)\) \d+s; run: log: \(pid (\d+)\) \d+s\n$/.exec(st.stdout);
    t.ok(m, `sv status clock: run, and the log service runs: ${JSON.stringify(st.stdout)}`);
    if (m) {
      supervised.set(Number(m[1]), 'clock');
      t.equal(Number(m[2]), daemon.pid, 'exec svlogd runs inside the daemon: the log service’s pid is the daemon’s');
    }
    const cmds = tracker.snapshot().map(cmdline);
    t.notOk(cmds.some((c) => /svlogd/.test(c)), 'no svlogd process');

    const paged = await run(ourBin('svlog'), ['clock'], envWithBin({ SVDIR: svdir }));
    t.equal(paged.code, 0, 'svlog clock exits 0');
    const shown = new Set(paged.stdout.split('\n'));
    t.same(logged.filter((l) => !shown.has(l)), [], 'svlog clock prints every line of current');
  });

  await t.test('nobody-web: runs as nobody, and the supervised pid is the program chpst exec’d', async (t) => {
    const uid = execFileSync('id', ['-u', 'nobody']).toString().trim();
    const gid = execFileSync('id', ['-g', 'nobody']).toString().trim();
    await waitFor(() => /^sh -c while/.test(cmdline(pidOf(dir('nobody-web')))), 'chpst to exec the program', 20000);
    const pid = note('nobody-web');
    const st = procStatus(pid);
    t.same(st.Uid.split(/\s+/), [uid, uid, uid, uid], 'real, effective, saved and fs uid of nobody');
    t.same(st.Gid.split(/\s+/), [gid, gid, gid, gid], 'and its gid');
    t.equal(st.Groups, gid, 'supplementary groups: only nobody’s');
    t.equal(procStat(pid).ppid, daemon.pid, 'a direct child of the daemon: no chpst or sh in between');
    const s = await sv(svdir, 'status', 'nobody-web');
    t.match(s.stdout, new RegExp(`^run: nobody-web: \\(pid ${pid}\\) \\d+s\\n$`), 'sv status shows that pid');
    await waitFor(() => out().includes('serving as nobody\n'), 'its output', 10000);
    t.pass('it says it serves as nobody');
  });

  let oncePid = 0;
  await t.test('maintenance: down at start; sv once runs it', async (t) => {
    t.equal(stat(dir('maintenance')), 'down', 'supervise/stat: down');
    const s = await sv(svdir, 'status', 'maintenance');
    // runit prints ", normally down" only while it runs, ", normally up" only while down
    t.match(s.stdout, /^down: maintenance: \d+s\n$/, 'sv status: down, no "normally" (the down file agrees)');
    t.notOk(out().includes('maintenance: running a job'), 'it did not run');

    const o = await sv(svdir, 'once', 'maintenance');
    t.equal(o.code, 0, 'sv once exits 0');
    // once = run with want down (runsv's stat says so, as runit's)
    await waitFor(() => stat(dir('maintenance')) === 'run, want down', 'maintenance to run', 20000);
    oncePid = note('maintenance');
    const r = await sv(svdir, 'status', 'maintenance');
    t.match(r.stdout, new RegExp(`^run: maintenance: \\(pid ${oncePid}\\) \\d+s, normally down, want down\\n$`), 'run, normally down, want down');
  });

  await t.test('firewall: a one-shot, run again at each dhcp renewal, down in between', async (t) => {
    const applied = path.join(dir('firewall'), 'applied');
    await waitFor(() => lines(applied).length >= 3 && stat(dir('firewall')) === 'down', 'three runs of firewall', 30000);
    const got = lines(applied);
    for (const l of got) t.match(l, APPLIED_LINE, 'a line per run');
    const leases = new Set(got.map((l) => l.replace(/.*lease: /, '')));
    t.ok(leases.size >= 2, `rules applied for successive leases: ${[...leases].join(' ')}`);
    t.ok(count(out(), /dhcp: new lease 10\.0\.0\.\d+\n/) >= 2, 'dhcp renewed');

    // stop the renewals: the firewall must then stay down (a restart would take 1 s)
    const dhcpPid = note('dhcp');
    t.equal((await sv(svdir, 'p', 'dhcp')).code, 0, 'sv p dhcp');
    await waitFor(
      () => procState(dhcpPid) === 'T' && childrenOf(dhcpPid).every((c) => !/\bsv\b|sv\.js/.test(cmdline(c))),
      'dhcp stopped, no `sv u` of it in flight',
      20000,
    );
    // down, and no restart owed to a `sv u` that came after its `sv o .` (sv would say ", want up")
    await waitFor(
      async () => stat(dir('firewall')) === 'down' && /^down: firewall: \d+s, normally up\n$/.test((await sv(svdir, 'status', 'firewall')).stdout),
      'firewall down for good',
      20000,
    );
    const p = await sv(svdir, 'status', 'dhcp');
    t.match(p.stdout, /^run: dhcp: \(pid \d+\) \d+s, paused\n$/, 'sv status dhcp: paused');
    const held = lines(applied).length;
    const fwStates = new Set<string>();
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      fwStates.add(stat(dir('firewall')));
      await new Promise((r) => setTimeout(r, 50));
    }
    t.same([...fwStates], ['down'], 'no renewal, no run: firewall stayed down for 3 s');
    t.equal(lines(applied).length, held, 'and applied nothing');
    const s = await sv(svdir, 'status', 'firewall');
    const m = /^down: firewall: (\d+)s, normally up\n$/.exec(s.stdout);
    t.ok(m, `sv status firewall: down, normally up (it has no down file): ${JSON.stringify(s.stdout)}`);
    if (m) t.ok(Number(m[1]) >= 2, `down for ${m[1]} s`);

    t.equal((await sv(svdir, 'c', 'dhcp')).code, 0, 'sv c dhcp');
    await waitFor(() => lines(applied).length > held && stat(dir('firewall')) === 'down', 'the next renewal to run firewall once more', 20000);
    t.pass('renewals resumed, firewall ran and went down again');
  });

  await t.test('flaky: each end recorded by ./finish, and it is restarted', async (t) => {
    const ended = path.join(dir('flaky'), 'ended');
    note('flaky');
    await waitFor(() => lines(ended).some((l) => l.endsWith(' run ended: exit=3 signal=0')), 'flaky to crash by itself', 30000);
    t.ok(out().includes('flaky: crashing\n'), 'it said so');
    await waitFor(() => stat(dir('flaky')) === 'run', 'flaky restarted', 20000);

    // sv k: finish then gets -1 and the signal; a natural crash can win the race, so retry
    let killedLine = '';
    for (let attempt = 0; attempt < 3 && !killedLine; attempt++) {
      await waitFor(() => stat(dir('flaky')) === 'run' && pidOf(dir('flaky')), 'flaky running', 20000);
      const pid = note('flaky');
      const before = lines(ended).length;
      t.equal((await sv(svdir, 'k', 'flaky')).code, 0, 'sv k flaky');
      await waitFor(() => !alive(pid) && lines(ended).length > before, 'the killed run to be recorded', 20000);
      killedLine = lines(ended).slice(before).find((l) => l.endsWith(' run ended: exit=-1 signal=9')) ?? '';
    }
    t.ok(killedLine, `finish got exit=-1 signal=9: ${killedLine}`);
    for (const l of lines(ended)) {
      const m = ENDED_LINE.exec(l);
      t.ok(m && ((m[1] === '3' && m[2] === '0') || (m[1] === '-1' && m[2] === '9')), `a recorded end: ${l}`);
    }
    await waitFor(() => stat(dir('flaky')) === 'run', 'flaky restarted after the kill', 20000);
    note('flaky');
    t.pass('restarted');
  });

  await t.test('watchdog: clock hung (its sleep stopped) is restarted with sv t', async (t) => {
    await waitFor(() => stat(dir('clock')) === 'run' && nowSec() - heartbeat() <= 2, 'a fresh heartbeat', 20000);
    // stop the `sleep` clock's shell waits on: the shell hangs, its heartbeat goes stale
    let hung = 0;
    let clockPid = 0;
    await waitFor(
      async () => {
        const cp = pidOf(dir('clock'));
        const sleeper = childrenOf(cp).find((c) => cmdline(c).startsWith('sleep'));
        if (!sleeper) return false;
        tracker.add(sleeper);
        try {
          process.kill(sleeper, 'SIGSTOP');
        } catch {
          return false;
        }
        // it may have ended just before the signal: then try the next one
        const st = await waitFor(() => (['T', 'Z', ''].includes(procState(sleeper)) ? procState(sleeper) : ''), 'the sleep to stop', 5000).catch(() => '');
        if (st !== 'T' || childrenOf(cp).indexOf(sleeper) < 0) return false;
        hung = sleeper;
        clockPid = cp;
        return true;
      },
      'to stop clock’s sleep',
      20000,
    );
    supervised.set(clockPid, 'clock');
    const said = count(out(), WATCHDOG_SAID);
    const beat = heartbeat();

    await waitFor(() => pidOf(dir('clock')) !== clockPid && stat(dir('clock')) === 'run', 'the watchdog to restart clock', 30000);
    t.notOk(alive(clockPid), 'the hung clock is gone');
    const msgs = [...out().matchAll(WATCHDOG_SAID)];
    t.ok(msgs.length > said, 'the watchdog said it restarts clock');
    if (msgs.length) t.ok(Number(msgs[msgs.length - 1][1]) > MAX_SILENCE, `after ${msgs[msgs.length - 1][1]} s of silence (limit ${MAX_SILENCE})`);
    t.equal(procState(hung), 'T', 'sv t signalled the supervised pid only (its stopped sleep is orphaned, as with runit)');
    process.kill(hung, 'SIGKILL');
    note('clock');

    await waitFor(() => heartbeat() > beat && nowSec() - heartbeat() <= 2, 'the heartbeat to resume', 20000);
    t.ok(count(readText(path.join(dir('clock'), 'log', 'main', 'current')), / clock starting\n/g) >= 2, 'the new clock logs through the same log service');
    const s = await sv(svdir, 'status', 'clock');
    t.match(s.stdout, new RegExp(`^run: clock: \\(pid \\d+\\) \\d+s; run: log: \\(pid ${daemon.pid}\\) \\d+s\\n$`), 'run, log untouched');
  });

  await t.test('watchdog on a paused clock: TERM stays pending until sv c, then clock restarts', async (t) => {
    await waitFor(() => stat(dir('clock')) === 'run' && nowSec() - heartbeat() <= 2, 'a fresh heartbeat', 20000);
    // The watchdog's sv t from the last test may still be on its way (it read the
    // heartbeat before the restart; sv is slow to start on a loaded machine). If it
    // lands before the pause it ends this clock and the pause goes to nobody, or to
    // the next clock: follow the pid that is stopped and flagged paused, asking again.
    let cp = 0;
    await waitFor(
      async () => {
        const pid = note('clock');
        const st = (await sv(svdir, 'status', 'clock')).stdout;
        if (pid && new RegExp(`^run: clock: \\(pid ${pid}\\) \\d+s, paused`).test(st) && procState(pid) === 'T') {
          cp = pid;
          return true;
        }
        if (!/, paused/.test(st)) t.equal((await sv(svdir, 'p', 'clock')).code, 0, 'sv p clock');
        return false;
      },
      'clock to be paused (stopped, flagged paused)',
      20000,
    );
    // runsv's `t` sends TERM without CONT (only down/exit add CONT), as runit does
    let last = '';
    await waitFor(
      async () => {
        last = (await sv(svdir, 'status', 'clock')).stdout;
        return new RegExp(`^run: clock: \\(pid ${cp}\\) \\d+s, paused, got TERM; run: log:`).test(last);
      },
      'the watchdog to TERM the paused clock',
      30000,
    ).catch(() => undefined);
    t.match(last, /, paused, got TERM; /, `sv status clock: ${JSON.stringify(last)}`);
    t.ok(alive(cp) && procState(cp) === 'T', 'still there, stopped: the TERM is pending');
    t.equal(pidOf(dir('clock')), cp, 'not restarted');

    t.equal((await sv(svdir, 'c', 'clock')).code, 0, 'sv c clock');
    await waitFor(() => pidOf(dir('clock')) !== cp && stat(dir('clock')) === 'run', 'the pending TERM to end clock and runitd to restart it', 20000);
    note('clock');
    t.notOk(alive(cp), 'the old clock is gone');
    await waitFor(() => nowSec() - heartbeat() <= 2, 'the heartbeat to resume', 20000);
    // the watchdog may still act once on a heartbeat it read before the restart
    // (its sv t then costs the new clock a throttled restart): wait for the state
    let s = '';
    await waitFor(
      async () => {
        s = (await sv(svdir, 'status', 'clock')).stdout;
        return /^run: clock: /.test(s);
      },
      'clock to run',
      20000,
    ).catch(() => undefined);
    t.match(s, /^run: clock: \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s\n$/, 'running, no longer paused');
  });

  await t.test('maintenance: the once run ends by itself and stays down; sv up starts it', async (t) => {
    await waitFor(() => stat(dir('maintenance')) === 'down', 'the once run to end (5 s job)', 30000);
    t.ok(oncePid > 0 && !alive(oncePid), 'its process is gone');
    t.ok(out().includes('maintenance: done\n'), 'it finished its job');
    let last = '';
    await waitFor(
      async () => {
        last = (await sv(svdir, 'status', 'maintenance')).stdout;
        const m = /^down: maintenance: (\d+)s\n$/.exec(last);
        return m && Number(m[1]) >= 2;
      },
      'maintenance down for 2 s',
      20000,
    ).catch(() => undefined);
    t.match(last, /^down: maintenance: \d+s\n$/, `not restarted: ${JSON.stringify(last)}`);
    t.equal(count(out(), /maintenance: running a job\n/g), 1, 'it ran exactly once');

    t.equal((await sv(svdir, 'up', 'maintenance')).code, 0, 'sv up maintenance');
    await waitFor(() => stat(dir('maintenance')) === 'run', 'maintenance to run', 20000);
    const pid = note('maintenance');
    t.not(pid, oncePid, 'a new process');
    const s = await sv(svdir, 'status', 'maintenance');
    t.match(s.stdout, new RegExp(`^run: maintenance: \\(pid ${pid}\\) \\d+s, normally down\\n$`), 'run, normally down');
  });

  await t.test('SIGTERM: the daemon stops every service and exits 0', async (t) => {
    for (const n of services) note(n);
    const pids = [...supervised.keys()];
    process.kill(daemon.pid, 'SIGTERM');
    // generous: on a 2-core machine under a load of 15-20 the stop took more than 30 s once
    const done = await within(daemon.exited, 90000);
    if (done === null) t.comment(`still running after SIGTERM; states: ${[...services, 'clock/log'].map((n) => `${n}=${JSON.stringify(stat(dir(n)))}`).join(' ')}; stderr: ${daemon.stderr()}`);
    t.same(done, { code: 0, signal: null }, 'exit code 0');
    for (const n of [...services, 'clock/log']) t.equal(stat(dir(n)), 'down', `${n}: supervise/stat down`);
    t.same(
      pids.filter((p) => alive(p)).map((p) => `${supervised.get(p)} ${p}`),
      [],
      `no supervised process left (${pids.length} seen during the test)`,
    );
    const orphans = tracker.left();
    if (orphans.length) t.comment(`orphaned by their stopped shells (as under runit), killed now: ${orphans.map((o) => o.cmd).join(', ')}`);
    tracker.killLeft();
    t.equal(daemon.stderr(), '', 'nothing on stderr');
  });
});

t.test('npm start (dist/cli/demo.js): instructions, services up, Ctrl-C stops it cleanly', async (t) => {
  const parent = tempDir(t, 'runitd-demo-start-');
  const tracker = new ProcessTracker();
  const demo = startDaemon(
    t,
    [process.execPath, path.join(repoRoot, 'dist', 'cli', 'demo.js')],
    { ...process.env, RUNITD_DEMO_DIR: parent },
    tracker,
    true,
  );
  const m = (await waitFor(() => /one daemon supervising (\S+)\n/.exec(demo.stdout()), 'the instructions', 20000)) as RegExpExecArray;
  const svdir = m[1];
  t.equal(path.dirname(path.dirname(svdir)), parent, 'a fresh copy under RUNITD_DEMO_DIR');
  t.ok(demo.stdout().includes(`export PATH=${binDir}:$PATH SVDIR=${svdir}\n`), 'how to reach it with our sv');
  t.match(demo.stdout(), /stop: Ctrl-C/, 'how to stop it');
  const dir = (name: string) => path.join(svdir, name);
  await waitFor(
    () => ['clock', 'clock/log', 'dhcp', 'flaky', 'watchdog', 'nobody-web'].every((n) => stat(dir(n)) === 'run') && lines(path.join(dir('firewall'), 'applied')).length >= 1,
    'the services up, firewall applied',
    30000,
  );
  const st = await sv(svdir, 'status', ...services);
  t.equal(st.code, 0, 'sv status through the printed SVDIR');
  t.equal(st.stdout.split('\n').filter((l) => /^(run|down): /.test(l)).length, services.length, 'a status line per service');
  t.ok(cmdline(demo.pid).startsWith(`runsvdir -P ${svdir} log: `), `the demo became the daemon, same pid: ${cmdline(demo.pid).slice(0, 60)}...`);
  t.equal(procStat(pidOf(dir('clock'))).ppid, demo.pid, 'which supervises the services');
  const pids = services.map((n) => pidOf(dir(n))).filter((p) => p > 0);
  tracker.snapshot();

  process.kill(-demo.pid, 'SIGINT'); // what Ctrl-C does: the terminal's process group
  const done = await within(demo.exited, 30000);
  t.same(done, { code: 0, signal: null }, 'exit code 0');
  for (const n of [...services, 'clock/log']) t.equal(stat(dir(n)), 'down', `${n}: down`);
  t.same(pids.filter((p) => alive(p)), [], 'no supervised process left');
  tracker.killLeft();
});
