// Recognising a log/run that only execs svlogd, so the daemon can run the svlogd
// engine itself instead of one Node process per logger. Accepted, with comments
// and blank lines anywhere:
//
//   #!/bin/sh
//   exec svlogd [options] dir...
//   exec chpst -u user[:group] svlogd [options] dir...
//
// optionally after lines whose meaning is just as plain:
//
//   exec 2>&1           svlogd's own messages to stdout (in-process: reported as always)
//   mkdir -p dir...     the log folders made first (done by the daemon, as root)
//
// Anything a shell would expand or redirect ($, quotes, globs, >, ;, ...) makes the
// script ordinary, and it is started as a process as before.
import { parseArgs } from '../svlogd/args';
import type { EngineOptions } from '../svlogd/engine';

export interface InlineLog {
  /** svlogd's options and directories (relative to log/) */
  options: EngineOptions;
  dirs: string[];
  /** chpst -u's argument, when the logger runs as another user */
  user?: string;
  /** `mkdir -p` before the exec: folders to make (relative to log/) */
  mkdirs: string[];
}

const STDERR_TO_STDOUT = /^exec\s+2>&1$/;
const MKDIR_P = /^mkdir\s+-p\s+/;

const SHEBANG = /^#!\s*\/bin\/sh(\s+-[a-z]+)?\s*$/;
const SHELL_SPECIAL = /[$`'"\\|&;<>(){}*?[\]~=#]/;

export function parseInlineLog(script: string): InlineLog | null {
  const lines = script.split('\n');
  if (!SHEBANG.test(lines[0] ?? '')) return null;
  const commands = lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const mkdirs: string[] = [];
  while (commands.length > 1) {
    const line = commands.shift() as string;
    if (STDERR_TO_STDOUT.test(line)) continue;
    if (!MKDIR_P.test(line) || SHELL_SPECIAL.test(line)) return null;
    const dirs = line.replace(MKDIR_P, '').split(/\s+/);
    // an option after -p (-m MODE, -v ...) is not the plain case
    if (dirs.some((d) => d.startsWith('-'))) return null;
    mkdirs.push(...dirs);
  }
  if (commands.length !== 1 || SHELL_SPECIAL.test(commands[0])) return null;
  const words = commands[0].split(/\s+/);
  if (words.shift() !== 'exec') return null;
  let user: string | undefined;
  if (isProgram(words[0], 'chpst')) {
    words.shift();
    const opt = words.shift();
    if (opt === '-u') user = words.shift();
    else if (opt !== undefined && opt.startsWith('-u') && opt.length > 2) user = opt.slice(2);
    else return null;
    if (!user) return null;
  }
  if (!isProgram(words.shift(), 'svlogd')) return null;
  const parsed = parseArgs(words);
  if (!parsed.ok || parsed.dirs.length === 0) return null;
  return { options: parsed.options, dirs: parsed.dirs, user, mkdirs };
}

function isProgram(word: string | undefined, name: string): boolean {
  return word === name || (word !== undefined && word.endsWith(`/${name}`));
}
