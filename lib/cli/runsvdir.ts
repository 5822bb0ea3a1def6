// runsvdir [-P] DIR [LOG]: supervise every service folder in DIR, in this one
// process. runsvdir's argument syntax is hand-made (only the second character of
// a first word starting with '-' counts), which commander cannot express, and
// commander would be one more module on the daemon's start path.
// What this image was started with, for the next image after a re-exec; the
// hand-over variables are for one image only.
const startEnv: NodeJS.ProcessEnv = { ...process.env };
for (const k of ['RUNITD_HANDOVER', 'RUNITD_HANDOVER_EXITS', 'RUNITD_PROBE', 'RUNITD_REEXEC_AT']) delete startEnv[k];
// Before anything touches the threadpool: starting 1000 services is a few
// thousand small metadata operations, which a slow disk serves better in parallel.
const ownPoolSize = process.env.UV_THREADPOOL_SIZE === undefined;
if (ownPoolSize) process.env.UV_THREADPOOL_SIZE = '16';
import { closeSync, constants, openSync, promises as fsp, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { getrlimit, pipe, setChildOomScoreAdj, setrlimit, watchRead } from '../native';
import { keep, take } from '../supervise/handover';
import { ScanDir } from '../runsvdir/daemon';
import { finishTakeover, PROBE_ENV, reexec, reexecSettled, startTakeover } from '../runsvdir/reexec';
import { stopDeadlineMs, stopWithin } from '../runsvdir/stop-deadline';
import { TitleLog } from '../runsvdir/title';
import { scanFolderProblem } from '../runsvdir/usable';
import { formatLabel, taiNow } from '../tai64';
import { answerOwnFlag, ownFlag } from './own-flags';

const HELP = `usage: runsvdir [-P] dir [log]
Supervises every service folder in dir, all in this one process (runit's runsvdir
and a runsv per service): picks up new folders, stops removed ones.
  -P    start each service in a session of its own
  log   at least seven characters: the process title shows them, then the
        latest errors (ps shows them)
TERM (or INT) stops every service and exits 0; HUP does so and exits 111;
ALRM rescans; USR2 re-executes in place, keeping every service.
`;

const argv0 = process.env.RUNITD_ARGV0 ?? 'runsvdir';
delete process.env.RUNITD_ARGV0;

function writeErr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // stderr gone: the title still shows it
  }
}

interface Args {
  newSessions: boolean;
  dir: string;
  log?: string;
  /** the words before LOG, for the process title */
  lead: string[];
}

function parseArgs(argv: string[]): Args | null {
  let i = 0;
  let newSessions = false;
  const first = argv[0];
  if (first !== undefined && first.startsWith('-')) {
    if (first[1] === 'P') {
      newSessions = true;
      i++;
    } else if (first[1] === '-') {
      i++;
    }
  }
  const dir = argv[i];
  if (dir === undefined) return null;
  return { newSessions, dir, log: argv[i + 1], lead: argv.slice(0, i + 1) };
}

async function main(): Promise<void> {
  // a re-exec's check that this image loads at all
  if (process.env[PROBE_ENV] === '1') process.exit(0);
  const own = ownFlag(process.argv.slice(2));
  if (own) answerOwnFlag(own, 'runsvdir', HELP);
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    writeErr(`usage: ${argv0} [-P] dir\n\n`);
    process.exit(1);
  }
  const { dir } = args;

  // 1000 services hold several thousand fds; the services get the original limit back.
  const nofile = getrlimit('NOFILE');
  if (nofile.soft < nofile.hard) setrlimit('NOFILE', nofile.hard, nofile.hard);

  let title: TitleLog | undefined;
  let stderrPipe: number | undefined;
  const report = (line: string): void => {
    writeErr(line + '\n');
    title?.feed(line + '\n');
  };
  if (args.log !== undefined) {
    if (Buffer.byteLength(args.log) < TitleLog.minimumLength) {
      report(`runsvdir ${dir}: warning: log must have at least seven characters.`);
      report(`runsvdir ${dir}: warning: log service disabled.`);
    } else {
      title = new TitleLog(`${path.basename(argv0)} ${args.lead.join(' ')} `, args.log, (t) => (process.title = t));
      // The services' stderr goes through us: into the title, and on to our stderr.
      const [r, w] = titlePipe();
      stderrPipe = w;
      watchRead(
        r,
        (text) => {
          // the services' bytes as they are, not re-encoded
          const bytes = Buffer.from(text, 'latin1');
          try {
            writeSync(2, bytes);
          } catch {
            // stderr gone: the title still shows it
          }
          title?.feed(bytes);
        },
        // never: the pipe's write end is held open
        () => undefined,
        false,
      );
      title.feed('.');
      setInterval(() => title?.feed('.'), 900_000).unref();
    }
  }

  // RUNITD_INLINE_LOGS=no: every log/run is started as a process, as runit does
  const inlineLogs = process.env.RUNITD_INLINE_LOGS !== 'no';
  delete process.env.RUNITD_INLINE_LOGS;
  // before the services' environment is taken: it removes the hand-over variables
  const takingOver = startTakeover();
  if (!takingOver) {
    const problem = scanFolderProblem(dir);
    if (problem !== null) {
      report(`runsvdir ${dir}: fatal: ${problem}`);
      process.exit(111);
    }
  }
  const stopDeadline = stopDeadlineMs(process.env, process.pid === 1, (m) => report(`runsvdir ${dir}: warning: ${m}`));
  const env = { ...process.env };
  if (ownPoolSize) delete env.UV_THREADPOOL_SIZE;
  delete env.RUNITD_OOM_SCORE_ADJ;
  delete env.RUNITD_TEST_FAULTS;
  delete env.RUNITD_STOP_DEADLINE;
  shieldFromOom(report, dir);
  const scandir = new ScanDir({ dir, newSessions: args.newSessions, report, stderr: stderrPipe, env, inlineLogs });

  // runsvdir runs until a signal ends it, also while its folder holds no
  // service: then nothing else holds the event loop (the folder watches do not).
  // Once in 24 days: no idle wake-up to speak of.
  setInterval(() => undefined, 0x7fffffff);

  let stopping = false;
  const ctx = { scandir, prefix: `runsvdir ${dir}`, report, env: startEnv, cancelled: () => stopping };
  // A fault leaves state half-changed in memory; the status files on disk and
  // the processes are the truth, so a fresh image takes over from them.
  const fault = (err: unknown): void => {
    report(`runsvdir ${dir}: warning: internal error: ${(err as Error)?.stack ?? String(err)}`);
    if (!stopping) void reexec(ctx, `internal error: ${(err as Error)?.message ?? String(err)}`, true);
  };
  process.on('uncaughtException', fault);
  process.on('unhandledRejection', fault);

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    // a re-exec under way sees `stopping` and gives up before its exec
    void reexecSettled()
      .then(() => stopWithin(scandir, stopDeadline))
      .then(() => process.exit(code));
  };
  // runit's runsvdir exits on TERM leaving its runsv processes (and so the
  // services) running: here the supervisors live in this process, so TERM stops
  // the services first (as runsv does on TERM); as PID 1 (or with
  // RUNITD_STOP_DEADLINE) KILLing what is left after a deadline (./stop-deadline.ts). HUP does the same and exits 111.
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGHUP', () => stopAll(111));
  process.on('SIGALRM', () => void forcedRescan(scandir, dir, report));
  // USR2: re-exec in place (after an upgrade), taking every service over
  // (not while stopping: the next image would take over services on their way down)
  process.on('SIGUSR2', () => {
    if (!stopping) void reexec(ctx, 'requested');
  });
  process.on('SIGQUIT', () => undefined);
  const faults = process.env.RUNITD_TEST_FAULTS === '1';
  process.on('SIGUSR1', () => {
    if (faults) {
      // a test hook: an exception thrown from an event handler
      setImmediate(() => {
        throw new Error('injected fault');
      });
    }
  });

  await scandir.start();
  if (takingOver) {
    await scandir.startsSettled();
    finishTakeover();
    report(`runsvdir ${dir}: info: re-exec: took over ${scandir.list().length} services`);
  } else {
    await scandir.startsSettled();
    const n = scandir.adoptedCount();
    if (n > 0) report(`runsvdir ${dir}: info: adopted ${n} running processes`);
  }
}

// The title pipe, handed over across a re-exec. Its write end (the services'
// stderr) is opened read-write through /proc, so that the pipe always has a
// reader: a service writing to stderr while no daemon runs must not die of SIGPIPE.
function titlePipe(): [number, number] {
  const r = take('title-r');
  const w = take('title-w');
  if (r !== undefined && w !== undefined) {
    keep('title-r', r);
    keep('title-w', w);
    return [r, w];
  }
  const [pr, pw] = pipe({ nonblockRead: true });
  let rw = pw;
  try {
    rw = openSync(`/proc/self/fd/${pw}`, constants.O_RDWR);
    closeSync(pw);
  } catch {
    // no /proc: a plain write end
  }
  keep('title-r', pr);
  keep('title-w', rw);
  return [pr, rw];
}

// As root, the daemon holding every service is the last process the OOM killer
// should choose: its death costs supervision of everything. The services it
// starts get the ordinary score back.
function shieldFromOom(report: (line: string) => void, dir: string): void {
  const want = process.env.RUNITD_OOM_SCORE_ADJ ?? '-1000';
  if (want === 'off' || process.getuid?.() !== 0) return;
  if (!/^-?\d+$/.test(want) || Number(want) < -1000 || Number(want) > 1000) {
    report(`runsvdir ${dir}: warning: RUNITD_OOM_SCORE_ADJ must be a number from -1000 to 1000 or off`);
    return;
  }
  try {
    writeFileSync('/proc/self/oom_score_adj', want);
    setChildOomScoreAdj(0);
  } catch (err) {
    // EACCES: no CAP_SYS_RESOURCE (a container): nothing to shield with
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') report(`runsvdir ${dir}: warning: unable to set oom_score_adj: ${(err as Error).message}`);
  }
}

// Debian's runsvdir: SIGALRM rescans at once and leaves a TAI64N stamp behind.
async function forcedRescan(scandir: ScanDir, dir: string, report: (line: string) => void): Promise<void> {
  await scandir.forceRescan();
  const file = path.join(dir, '.forced-rescan');
  let fh;
  try {
    fh = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o644);
  } catch {
    report(`runsvdir ${dir}: warning: failed to open ${file}`);
    return;
  }
  try {
    await fh.write(formatLabel(taiNow()));
  } catch {
    report(`runsvdir ${dir}: warning: failed to write ${file}`);
  } finally {
    await fh.close();
  }
}

main().catch((err) => {
  writeErr(`runsvdir: fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(100);
});
