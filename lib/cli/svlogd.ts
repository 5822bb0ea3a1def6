// svlogd [-tttv] [-r c] [-R xyz] [-l len] [-b buflen] dir ...
// Thin wrapper: parse, wire the real signals and stdin to the engine, exit.
import * as path from 'node:path';
import { LogEngine, parseArgs, usageText } from '../svlogd';

const argv0 = process.env.RUNITD_ARGV0 ?? 'svlogd';
delete process.env.RUNITD_ARGV0;

function say(s: string): void {
  process.stderr.write(s);
}

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
