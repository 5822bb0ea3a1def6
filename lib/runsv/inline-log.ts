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

// What a daemon that dies can cost a service: at most one pipe's worth of lines
// read but not yet written (plus the start of a line still being read). The engine
// reads that much at a time, once the previous read is written: the pipe itself
// holds what the service writes meanwhile. Writes stay asynchronous.
export const INLINE_UNWRITTEN_MAX = 65536;

/** A larger log/run is never the one-liner: not read, started as a process. */
export const INLINE_RUN_MAX = 4096;

const SHEBANG = /^#!\s*\/bin\/sh(\s+-[a-z]+)?\s*$/;
const SHELL_SPECIAL = /[$`'"\\|&;<>(){}*?[\]~=#]/;

export function parseInlineLog(script: string): InlineLog | null {
  const v = inlineLogVerdict(script);
  return 'plan' in v ? v.plan : null;
}

/**
 * parseInlineLog's decision with its reason: `runitd check` tells users why a
 * log/run is started as a process, from the very rules the daemon applies.
 */
export function inlineLogVerdict(script: string): { plan: InlineLog } | { why: string } {
  const lines = script.split('\n');
  if (!SHEBANG.test(lines[0] ?? '')) return { why: 'its first line is not #!/bin/sh' };
  const commands = lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const mkdirs: string[] = [];
  while (commands.length > 1) {
    const line = commands.shift() as string;
    if (STDERR_TO_STDOUT.test(line)) continue;
    if (!MKDIR_P.test(line)) return { why: `a command other than "exec 2>&1" or "mkdir -p" before the exec: ${line}` };
    if (SHELL_SPECIAL.test(line)) return { why: `shell syntax in: ${line}` };
    const dirs = line.replace(MKDIR_P, '').split(/\s+/);
    // an option after -p (-m MODE, -v ...) is not the plain case
    if (dirs.some((d) => d.startsWith('-'))) return { why: `mkdir with options other than -p: ${line}` };
    mkdirs.push(...dirs);
  }
  if (commands.length !== 1) return { why: 'no command' };
  if (SHELL_SPECIAL.test(commands[0])) return { why: `shell syntax (quotes, $, redirections, globs ...) in: ${commands[0]}` };
  const words = commands[0].split(/\s+/);
  if (words.shift() !== 'exec') return { why: `the command is not an exec: ${commands[0]}` };
  let user: string | undefined;
  if (isProgram(words[0], 'chpst')) {
    words.shift();
    const opt = words.shift();
    if (opt === '-u') user = words.shift();
    else if (opt !== undefined && opt.startsWith('-u') && opt.length > 2) user = opt.slice(2);
    else return { why: 'chpst with options other than -u user' };
    if (!user) return { why: 'chpst -u without a user' };
  }
  const program = words.shift();
  if (!isProgram(program, 'svlogd')) return { why: `it runs ${program ?? 'nothing'}, not svlogd` };
  const parsed = parseArgs(words);
  if (!parsed.ok) {
    const said = parsed.messages.join('').trim();
    return { why: `svlogd would print its usage${said ? `: ${said}` : ''}` };
  }
  if (parsed.dirs.length === 0) return { why: 'svlogd without a log folder' };
  return { plan: { options: { ...parsed.options, unwrittenMax: INLINE_UNWRITTEN_MAX }, dirs: parsed.dirs, user, mkdirs } };
}

function isProgram(word: string | undefined, name: string): boolean {
  return word === name || (word !== undefined && word.endsWith(`/${name}`));
}
