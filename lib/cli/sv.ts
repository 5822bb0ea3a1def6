// sv [-v] [-w sec] command service ...   (runit's control client)
// /etc/init.d/NAME [-w sec] command      (LSB mode: any program name but "sv")
//
// Options are parsed by hand (lib/sv/options.ts), not with commander: runit's
// sgetopt semantics (stop at the first non-option, any "--word" ends options,
// bundled values like -vw5, `sv: illegal option -- X`) are not expressible
// with it, and sv's start-up time matters (scripts call it in loops): this file
// loads only node:fs/node:path and lib/sv; child_process only when a ./check
// script has to run. Never the native addon.
import { writeSync } from 'node:fs';
import { parseCommand } from '../sv/commands';
import { CheckRun, SvEngine, SvHost } from '../sv/engine';
import { parseSvArgs, scanUlong } from '../sv/options';
import { answerOwnFlag, ownFlag } from './own-flags';

const HELP = `usage: sv [-v] [-w sec] command service ...
Controls and reports services run by runsv or runsvdir (runit's sv).
  status                                  state, pid, seconds; --json: one JSON object a line
  up down once                            want it up, down, or run it once
  pause cont hup alarm interrupt quit 1 2 term kill
                                          send the signal (STOP CONT HUP ALRM INT QUIT USR1 USR2 TERM KILL)
  exit                                    stop the service, then its supervisor
  start stop reload restart shutdown force-stop force-reload force-restart force-shutdown try-restart check
                                          LSB style: wait, then report like an init script
  -v        wait for the command to take effect (7 s, or $SVWAIT), and report
  -w sec    wait that long
A service is a folder path or a name in $SVDIR (default ${'/etc/service/'}).
Exit code: the number of services that failed (99 at most); 100 usage, 151 fatal.
`;

/** Debian's runit build; upstream uses /service/. */
const DEFAULT_SVDIR = '/etc/service/';

function writeAll(fd: number, s: string): void {
  let buf = Buffer.from(s);
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      // EPIPE: runit would die of SIGPIPE, which Node ignores; stop writing
      return;
    }
  }
}

function runCheck(timeoutMs: number): CheckRun {
  // loaded here, not at start-up: only ./check needs it
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  // runit closes fd 1 in the child; Node cannot start a child with a closed
  // fd 1, /dev/null is the nearest (the check's output is discarded either way)
  const r = spawnSync('./check', [], {
    argv0: './check',
    stdio: ['inherit', 'ignore', 'inherit'],
    timeout: Math.max(1, Math.ceil(timeoutMs)),
    killSignal: 'SIGKILL',
  });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { timedOut: true, code: null };
    return { error: r.error, code: null };
  }
  return { code: r.status };
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function main(): void {
  // Node keeps a symlink's own path in argv[1]: /etc/init.d/foo -> bin/sv gives "foo"
  let progname = basename(process.argv[1] ?? 'sv');
  // `node dist/cli/sv.js` is sv itself, not an init script called sv.js
  if (progname === 'sv.js') progname = 'sv';
  const lsb = progname !== 'sv';
  const argv = process.argv.slice(2);
  const own = lsb ? null : ownFlag(argv);
  if (own) answerOwnFlag(own, 'sv', HELP);
  const usage = (before: string): never => {
    writeAll(2, before + (lsb ? `usage: ${progname} [-w sec] command\n\n` : `usage: ${progname} [-v] [-w sec] command service ...\n\n`));
    process.exit(lsb ? 2 : 100);
  };

  const parsed = parseSvArgs(argv, progname);
  if (parsed.kind === 'usage') return usage(parsed.before);
  const { args } = parsed;
  const action = args.rest[0];
  if (action === undefined) return usage('');
  const services = lsb ? [progname] : args.rest.slice(1);
  if (services.length === 0) return usage('');
  const command = parseCommand(action, lsb);
  if (!command) return usage('');
  // --json describes status; with any other command it would be silently ignored
  if (args.json && command.act !== 'status') return usage('');

  const env = process.env;
  let waitSec = env.SVWAIT !== undefined ? scanUlong(env.SVWAIT) : 7;
  if (args.waitSec !== undefined) waitSec = args.waitSec;

  const host: SvHost = {
    writeOut: (s) => writeAll(1, s),
    writeErr: (s) => writeAll(2, s),
    runCheck,
  };
  const engine = new SvEngine(
    {
      progname,
      lsb,
      command,
      services,
      verbose: args.verbose,
      waitSec,
      svdir: env.SVDIR ?? DEFAULT_SVDIR,
      json: args.json,
    },
    host,
  );
  engine.run().then(
    (code) => process.exit(code),
    (err) => {
      writeAll(2, `fatal: ${String((err as Error)?.stack ?? err)}\n`);
      process.exit(lsb ? 151 : 100);
    },
  );
}

main();
