// svlogd [-tttv] [-r c] [-R xyz] [-l len] [-b buflen] dir ...
// Thin wrapper: parse, wire the real signals and stdin to the engine, exit.
// Options are runit's sgetopt rules by hand (lib/svlogd/args.ts), not commander:
// bundled values (-ttb1024), `svlogd: illegal option -- X`, usage exit 111, and
// a start-up cost paid by every logger that starts.
import * as path from 'node:path';
import { LogEngine, parseArgs, usageText } from '../svlogd';
import { answerOwnFlag, ownFlag } from './own-flags';

const HELP = `usage: svlogd [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...
Reads lines on stdin and writes them to each log folder's current, rotating it (runit's svlogd).
  -t / -tt / -ttt  prefix each line with a TAI64N label / a UTC time / an ISO time
  -r c        replace non-printable characters with c
  -R abc      replace these characters too
  -l len      cut lines at len characters (1000)
  -b buflen   read buflen bytes at a time (1024)
  -v          verbose
Each folder's config file sets size (s), count (n N), time (t), selection (+ - e E),
a processor (!) and a UDP target (u U p); HUP re-reads it, ALRM rotates, TERM ends.
`;

const argv0 = process.env.RUNITD_ARGV0 ?? 'svlogd';
delete process.env.RUNITD_ARGV0;

function say(s: string): void {
  process.stderr.write(s);
}

const own = ownFlag(process.argv.slice(2));
if (own) answerOwnFlag(own, 'svlogd', HELP);

const parsed = parseArgs(process.argv.slice(2), path.basename(argv0));
if (!parsed.ok) {
  say(parsed.messages.join('') + usageText(argv0));
  process.exit(111);
}

// A process of its own: it may block on its disk, as runit's does, and so writes
// what it read before reading more than -b bytes ahead (a SIGKILL costs at most
// that read and the start of the line it cut).
const engine = new LogEngine({ dirs: parsed.dirs, options: { ...parsed.options, blockingIo: true }, input: 0 });
const verbose = parsed.options.verbose === true;
engine.on('message', (kind: string, text: string) => say(`svlogd: ${kind}: ${text}\n`));

function onSignal(sig: NodeJS.Signals, what: string, act: () => void): void {
  process.on(sig, () => {
    if (verbose) say(`svlogd: info: ${what} received.\n`);
    act();
  });
}
onSignal('SIGTERM', 'sigterm', () => engine.stop());
onSignal('SIGHUP', 'sighangup', () => engine.reopen());
onSignal('SIGALRM', 'sigalarm', () => engine.rotate());

engine.done.then((code) => process.exit(code));
engine.start().catch((err) => {
  say(`svlogd: fatal: ${String(err)}\n`);
  process.exit(111);
});
