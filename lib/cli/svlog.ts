// svlog [-f] [-n N] [--since TIME] [--until TIME] [--raw] service|logdir ...
//
// Pages and follows svlogd log folders: rotated files then `current`, TAI64N
// labels shown in local time (as `cat @* current | tai64nlocal`). A command of its
// own so that sv stays small; loads neither commander nor the native addon.
//
// Exit codes: 0 done (or the reader went away), 100 bad usage or option value,
// 111 a log folder cannot be found or read.
import { Output } from '../pager/lines';
import { USAGE, parseSvlogArgs } from '../pager/options';
import { runPager } from '../pager/pager';
import { resolveLogDirs } from '../pager/resolve';
import { PagerError } from '../pager/errors';
import { writeSync } from 'node:fs';

/** Debian's runit build; upstream uses /service/. */
const DEFAULT_SVDIR = '/etc/service/';

function writeErr(s: string): void {
  try {
    writeSync(2, s);
  } catch {
    // nowhere left to complain
  }
}

function fatal(err: unknown): never {
  const text = err instanceof PagerError ? err.message : String((err as Error)?.message ?? err);
  writeErr(`svlog: fatal: ${text}\n`);
  process.exit(111);
}

function main(): void {
  const parsed = parseSvlogArgs(process.argv.slice(2), Date.now());
  if (parsed.kind === 'help') {
    writeSync(1, USAGE.slice(0, -1));
    return;
  }
  if (parsed.kind === 'usage') {
    writeErr(parsed.message + USAGE);
    process.exit(100);
  }
  const { args } = parsed;
  const svdir = process.env.SVDIR ?? DEFAULT_SVDIR;
  const out = new Output(1);
  try {
    const dirs: string[] = [];
    for (const t of args.targets) dirs.push(...resolveLogDirs(t, svdir));
    runPager({ dirs, follow: args.follow, lines: args.lines, range: args.range, raw: args.raw }, out, (err) => {
      out.flush();
      fatal(err);
    });
  } catch (err) {
    out.flush();
    fatal(err);
  }
}

main();
