// runsvdir [-P] DIR [LOG]: supervise every service folder in DIR, in this one
// process. runsvdir's argument syntax is hand-made (only the second character of
// a first word starting with '-' counts), which commander cannot express.
// Before anything touches the threadpool: starting 1000 services is a few
// thousand small metadata operations, which a slow disk serves better in parallel.
const ownPoolSize = process.env.UV_THREADPOOL_SIZE === undefined;
if (ownPoolSize) process.env.UV_THREADPOOL_SIZE = '16';
import { constants, promises as fsp, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import * as path from 'node:path';
import { getrlimit, pipe, setrlimit } from '../native';
import { ScanDir } from '../runsvdir/daemon';
import { TitleLog } from '../runsvdir/title';
import { formatLabel, taiNow } from '../tai64';

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
      const [r, w] = pipe({ nonblockRead: true });
      stderrPipe = w;
      const sock = new Socket({ fd: r, readable: true, writable: false });
      sock.on('data', (chunk: Buffer) => {
        writeErr(chunk.toString('latin1'));
        title?.feed(chunk);
      });
      title.feed('.');
      setInterval(() => title?.feed('.'), 900_000).unref();
    }
  }

  // RUNITD_INLINE_LOGS=no: every log/run is started as a process, as runit does
  const inlineLogs = process.env.RUNITD_INLINE_LOGS !== 'no';
  delete process.env.RUNITD_INLINE_LOGS;
  const env = { ...process.env };
  if (ownPoolSize) delete env.UV_THREADPOOL_SIZE;
  const scandir = new ScanDir({ dir, newSessions: args.newSessions, report, stderr: stderrPipe, env, inlineLogs });

  process.on('uncaughtException', (err) => {
    // one service's trouble must never take the others down with the daemon
    report(`runsvdir ${dir}: warning: internal error: ${err.stack ?? String(err)}`);
  });

  let stopping = false;
  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    void scandir.stopAll().then(() => process.exit(code));
  };
  // runit's runsvdir exits on TERM leaving its runsv processes (and so the
  // services) running: here the supervisors live in this process, so TERM stops
  // the services first (as runsv does on TERM). HUP does the same and exits 111.
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGHUP', () => stopAll(111));
  process.on('SIGALRM', () => void forcedRescan(scandir, dir, report));
  for (const sig of ['SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const) process.on(sig, () => undefined);

  await scandir.start();
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
