// runsv DIR: supervise one service folder (and its log/) until told to exit.
// runsv has no options at all (`runsv -V` supervises a folder named -V), so there
// is nothing for commander to parse: the argument count is the whole syntax.
import { writeSync } from 'node:fs';
import { SetupError, Supervisor } from '../runsv/supervisor';
import { collectWhenSettled } from '../runsvdir/settle-gc';
import { answerOwnFlag, ownFlag } from './own-flags';

const HELP = `usage: runsv dir
Supervises the service in dir (and dir/log), as runit's runsv: starts ./run and restarts
it when it ends, runs ./finish, takes commands through dir/supervise/control (sv),
publishes state in dir/supervise/ for sv, svstat and runit's own clients.
TERM stops the service (and its log service) and exits.
`;

const argv0 = process.env.RUNITD_ARGV0 ?? 'runsv';
delete process.env.RUNITD_ARGV0;

function say(line: string): void {
  try {
    writeSync(2, line + '\n');
  } catch {
    // stderr gone: nothing else to tell
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // a folder named --help or --version is not something runsv is given
  const own = ownFlag(args);
  if (own) answerOwnFlag(own, 'runsv', HELP);
  if (args.length !== 1) {
    say(`usage: ${argv0} dir\n`);
    return 1;
  }
  const dir = args[0];
  let supervisor: Supervisor | undefined;
  let termPending = false;
  // TERM (and INT, e.g. Ctrl-C) stop the service and exit as runsv does on TERM.
  // runit's runsv dies on HUP, QUIT, USR1, USR2 and ALRM and leaves its service
  // running unsupervised; here they are ignored so that can never happen.
  const term = (): void => {
    if (supervisor) supervisor.term();
    else termPending = true;
  };
  process.on('SIGTERM', term);
  process.on('SIGINT', term);
  for (const sig of ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const) process.on(sig, () => undefined);

  try {
    // RUNITD_INLINE_LOGS=no: every log/run is started as a process, as runit does
    const inlineLogs = process.env.RUNITD_INLINE_LOGS !== 'no';
    delete process.env.RUNITD_INLINE_LOGS;
    supervisor = await Supervisor.start({ dir, name: dir, report: say, inlineLogs });
  } catch (err) {
    if (err instanceof SetupError) {
      say(`runsv ${dir}: fatal: ${err.message}`);
      return 111;
    }
    throw err;
  }
  if (termPending) supervisor.term();
  // the launcher runs it without V8's memory reducer, as runsvdir
  void supervisor.firstStarted.then(collectWhenSettled);
  await supervisor.exited;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(`runsv: fatal: ${(err as Error).stack ?? String(err)}`);
    process.exit(111);
  },
);
