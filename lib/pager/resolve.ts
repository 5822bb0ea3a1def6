// Which log folder(s) an svlog argument means.
//
// 1. The argument names a folder like sv's first pass does: a bare name (not
//    empty, no leading `/` or `.`, no trailing `/`) lives in $SVDIR; anything
//    else is relative to the current directory.
// 2. If that folder has a log service (`log/`), or is one itself (has `run`
//    and no `current`):
//      a. its `main/` folder if there is one;
//      b. else the directories of the svlogd command in its `run`, when that is
//         a plain `exec [... ]svlogd [options] DIR...` line (anything in front of
//         svlogd, e.g. `chpst -u log`, is allowed), relative to the log service.
// 3. Else the folder itself, if it looks like a log folder: it holds `current`,
//    a rotated `@...` file, svlogd's `lock` or a `config`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PagerError } from './errors';

export function isBareName(arg: string): boolean {
  return arg !== '' && arg[0] !== '/' && arg[0] !== '.' && arg[arg.length - 1] !== '/';
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

const UNQUOTED_SPECIAL = /[$`*?[\]{}~\\]/;
const REDIRECT = /^\d*(>>?|<|>&|<&)/;
const CONTROL = new Set([';', '&&', '||', '|', '&']);
const SVLOGD_WITH_ARG = 'Rrlb';

interface Word {
  text: string;
  /** something a shell would expand or treat specially (outside single quotes) */
  special: boolean;
}

/** Shell-like words of one line: whitespace splits, quotes group; null on an unclosed quote. */
function words(line: string): Word[] | null {
  const out: Word[] = [];
  let cur: Word | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    if (cur === null) {
      if (c === '#') break;
      cur = { text: '', special: false };
    }
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) return null;
      const inner = line.slice(i + 1, close);
      if (c === '"' && /[$`\\]/.test(inner)) cur.special = true;
      cur.text += inner;
      i = close;
      continue;
    }
    if (UNQUOTED_SPECIAL.test(c)) cur.special = true;
    cur.text += c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The directory arguments of the svlogd started by a log/run script, or null when
 * the script is not the plain `exec ... svlogd [opts] DIR...` form.
 */
export function svlogdDirsOfRun(script: string): string[] | null {
  let found: string[] | null = null;
  for (const rawLine of script.split('\n')) {
    const ws = words(rawLine.trim());
    if (ws === null || ws.length === 0 || ws[0].text !== 'exec') continue;
    const at = ws.findIndex((w) => w.text === 'svlogd' || w.text.endsWith('/svlogd'));
    if (at < 0) continue;
    const args: Word[] = [];
    let skipNext = false;
    for (const w of ws.slice(at + 1)) {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (CONTROL.has(w.text)) break;
      const redir = REDIRECT.exec(w.text);
      if (redir) {
        // `2>&1` or `>file` carry their target; a bare `>` takes the next word
        if (redir[0].length === w.text.length) skipNext = true;
        continue;
      }
      args.push(w);
    }
    const dirs = parseSvlogdArgs(args);
    if (dirs === null) return null;
    found = dirs;
  }
  return found && found.length > 0 ? found : null;
}

/** svlogd's getopt (`R:r:l:b:tvV`): the operands; null if a shell would expand them. */
function parseSvlogdArgs(args: Word[]): string[] | null {
  let i = 0;
  while (i < args.length) {
    const a = args[i].text;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    i++;
    for (let k = 1; k < a.length; k++) {
      if (SVLOGD_WITH_ARG.includes(a[k])) {
        if (k === a.length - 1) i++;
        break;
      }
    }
  }
  const dirs: string[] = [];
  for (const w of args.slice(i)) {
    if (w.special || w.text === '') return null;
    dirs.push(w.text);
  }
  return dirs;
}

const ROTATED = /^@[0-9a-f]{24}\.[su]$/;

function looksLikeLogDir(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((n) => n === 'current' || n === 'lock' || n === 'config' || ROTATED.test(n));
}

/** The folder an argument names (step 1), absolute. */
export function argumentFolder(arg: string, svdir: string, cwd: string): string {
  return isBareName(arg) ? path.resolve(cwd, svdir, arg) : path.resolve(cwd, arg);
}

/** The log folders of one argument (absolute paths); throws PagerError. */
export function resolveLogDirs(arg: string, svdir: string, cwd = process.cwd()): string[] {
  const folder = argumentFolder(arg, svdir, cwd);
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw new PagerError(`unable to open log directory: ${arg}`, err);
  }
  const logService = isDir(path.join(folder, 'log'))
    ? path.join(folder, 'log')
    : exists(path.join(folder, 'run')) && !exists(path.join(folder, 'current'))
      ? folder
      : null;
  if (logService !== null) {
    const main = path.join(logService, 'main');
    if (isDir(main)) return [main];
    let script: string | null = null;
    try {
      script = readFileSync(path.join(logService, 'run'), 'latin1');
    } catch {
      // no readable run: maybe the folder itself holds the log
    }
    const dirs = script === null ? null : svlogdDirsOfRun(script);
    if (dirs) return dirs.map((d) => path.resolve(logService, d));
  }
  if (looksLikeLogDir(folder)) return [folder];
  throw new PagerError(`unable to find log directory: ${arg}`);
}
