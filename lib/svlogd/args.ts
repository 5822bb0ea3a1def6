// svlogd's command line, parsed like djb's sgetopt with "R:r:l:b:tvV".
import { EngineOptions } from './engine';
import { scanUlong } from './scan';

export const VERSION_ID = '$Id: 5e55a90e0a1b35ec47fed3021453c50675ea1117 $';

export type ParsedArgs =
  | { ok: true; options: EngineOptions; dirs: string[] }
  /** `messages` go to stderr before the usage text; exit 111 */
  | { ok: false; messages: string[] };

export function usageText(argv0: string): string {
  return `usage: ${argv0} [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...\n\n`;
}

export function parseArgs(args: readonly string[], progName = 'svlogd'): ParsedArgs {
  const opts: EngineOptions = {};
  let timestamp = 0;
  let replaceChar: string | null = null;
  let replaceBytes: string | null = null;
  let lineMax = 1000;
  let bufLen = 1024;
  const messages: string[] = [];
  let usage = false;
  let i = 0;
  outer: while (i < args.length) {
    const a = args[i];
    // runit's sgetopt ends options at any word starting with "--" (`svlogd --x dir`
    // logs to dir), not only at "--"
    if (a.startsWith('--')) {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    i++;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'R' || c === 'r' || c === 'l' || c === 'b') {
        let val: string;
        if (j + 1 < a.length) val = a.slice(j + 1);
        else if (i < args.length) val = args[i++];
        else {
          messages.push(`${progName}: option requires an argument -- ${c}\n`);
          return { ok: false, messages };
        }
        switch (c) {
          case 'R':
            replaceBytes = val;
            if (replaceChar === null) replaceChar = '_';
            break;
          case 'r':
            if (Buffer.byteLength(val) !== 1) usage = true;
            replaceChar = val;
            break;
          case 'l':
            lineMax = scanUlong(val).value || 1000;
            break;
          case 'b':
            bufLen = scanUlong(val).value || 1024;
            break;
        }
        continue outer;
      }
      if (c === 't') {
        if (++timestamp > 3) timestamp = 3;
      } else if (c === 'v') {
        opts.verbose = true;
      } else if (c === 'V') {
        messages.push(`${VERSION_ID}\n`);
        usage = true;
      } else {
        messages.push(`${progName}: illegal option -- ${c}\n`);
        return { ok: false, messages };
      }
    }
  }
  const dirs = args.slice(i);
  if (usage || dirs.length === 0 || bufLen <= lineMax) return { ok: false, messages };
  opts.timestamp = timestamp;
  opts.lineMax = lineMax;
  opts.bufLen = bufLen;
  if (replaceChar !== null) opts.replaceChar = replaceChar;
  if (replaceBytes !== null) opts.replaceBytes = replaceBytes;
  return { ok: true, options: opts, dirs };
}
