// svlog's command line. Parsed by hand like sv's (commander would double the
// start-up time of a command people run all day): short options bundle (-fn20),
// long ones take `--opt value` or `--opt=value`, options may follow operands,
// `--` ends them.
import { TimeRange, hasRange } from './lines';
import { parseTimeArg } from './stamps';

export const USAGE = 'usage: svlog [-f] [-n N] [--since TIME] [--until TIME] [--raw] service|logdir ...\n\n';

export interface SvlogArgs {
  follow: boolean;
  lines: number | null;
  range: TimeRange;
  raw: boolean;
  targets: string[];
}

export type ParseResult =
  | { kind: 'ok'; args: SvlogArgs }
  | { kind: 'help' }
  /** bad usage: `message` (may be empty) goes before the usage text; exit 100 */
  | { kind: 'usage'; message: string };

const LONG_WITH_VALUE = new Set(['lines', 'since', 'until']);

export function parseSvlogArgs(argv: string[], nowMs: number): ParseResult {
  const args: SvlogArgs = { follow: false, lines: null, range: {}, raw: false, targets: [] };
  const bad = (message: string): ParseResult => ({ kind: 'usage', message });
  const setValue = (name: string, value: string): string | null => {
    if (name === 'lines') {
      if (!/^\d+$/.test(value)) return `svlog: fatal: invalid number of lines: ${value}\n`;
      args.lines = Number(value);
      return null;
    }
    const t = parseTimeArg(value, nowMs);
    if (t === null) return `svlog: fatal: invalid time: ${value}\n`;
    if (name === 'since') args.range.sinceMs = t;
    else args.range.untilMs = t;
    return null;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.targets.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name === 'help' && eq < 0) return { kind: 'help' };
      if ((name === 'follow' || name === 'raw') && eq < 0) {
        if (name === 'follow') args.follow = true;
        else args.raw = true;
        continue;
      }
      if (!LONG_WITH_VALUE.has(name)) return bad(`svlog: illegal option -- ${a}\n`);
      let value: string;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else return bad(`svlog: option requires an argument -- ${name}\n`);
      const err = setValue(name, value);
      if (err) return bad(err);
      continue;
    }
    if (a.length < 2 || a[0] !== '-') {
      args.targets.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === 'f') args.follow = true;
      else if (c === 'h') return { kind: 'help' };
      else if (c === 'n') {
        let value: string;
        if (k + 1 < a.length) value = a.slice(k + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        else return bad('svlog: option requires an argument -- n\n');
        const err = setValue('lines', value);
        if (err) return bad(err);
        break;
      } else return bad(`svlog: illegal option -- ${c}\n`);
    }
  }
  if (args.targets.length === 0) return bad('');
  // like tail -f: following starts with the last 10 lines, unless told otherwise
  // by -n or a time range
  if (args.follow && args.lines === null && !hasRange(args.range)) args.lines = 10;
  return { kind: 'ok', args };
}
