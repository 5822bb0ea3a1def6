// --help and --version for our runit-compatible commands. runit has neither, so
// they are taken only alone on the command line, where runit just prints its
// usage (or, for runsv, takes the word for a folder name): every other command
// line, runit's own options included, keeps runit's output byte for byte.
import { writeSync } from 'node:fs';

export function ownFlag(argv: readonly string[]): 'help' | 'version' | null {
  if (argv.length !== 1) return null;
  if (argv[0] === '--help') return 'help';
  if (argv[0] === '--version') return 'version';
  return null;
}

/** Prints the help or `NAME (runitd) VERSION` on stdout and exits 0. */
export function answerOwnFlag(flag: 'help' | 'version', name: string, help: string): never {
  // loaded only here: reading package.json is not on the commands' start path
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { packageVersion } = require('../version') as typeof import('../version');
  writeSync(1, flag === 'help' ? help : `${name} (runitd) ${packageVersion()}\n`);
  process.exit(0);
}
