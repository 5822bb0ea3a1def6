// sv's command line, parsed the way runit's sv parses it (djb sgetopt, option
// string "w:vV"). Not commander: sgetopt stops at the first non-option word,
// treats ANY word starting with "--" as the end of options (runit accepts
// `sv --foo status x`), bundles value options (`-vw5`, `-wv` = wait "v"),
// and reports `sv: illegal option -- X` per character before the usage text,
// exit 100. Commander can express none of these exactly, and loading it costs
// start-up time that scripts calling sv in loops pay on every call.

/** djb scan_ulong: leading decimal digits, no sign or space, wraps modulo 2^64; no digits = 0. */
export function scanUlong(s: string): number {
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = (n * 10n + BigInt(c - 48)) & 0xffffffffffffffffn;
  }
  return Number(n);
}

export interface SvArgs {
  verbose: boolean;
  /** from -w, when given */
  waitSec: number | undefined;
  /** our extension (`--json` before the command or right after `status`) */
  json: boolean;
  /** the words after the options: command, then services */
  rest: string[];
}

export type ParsedArgs =
  | { kind: 'ok'; args: SvArgs }
  /** message lines to print before the usage text (already ending in \n) */
  | { kind: 'usage'; before: string };

/** The version line `sv -V` prints (runit 2.1.2's source id). */
export const SV_VERSION = '$Id: 900314260c6d52c986c5357673bea2f3bd3f4698 $';

/** `argv` without the program name; `progname` is the basename used in messages. */
export function parseSvArgs(argv: string[], progname: string): ParsedArgs {
  const args: SvArgs = { verbose: false, waitSec: undefined, json: false, rest: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      args.json = true;
      continue;
    }
    if (a.length < 2 || a[0] !== '-') break;
    if (a[1] === '-') {
      i++;
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'v') {
        args.verbose = true;
      } else if (c === 'w') {
        let val: string;
        if (j + 1 < a.length) val = a.slice(j + 1);
        else if (i + 1 < argv.length) val = argv[++i];
        else return { kind: 'usage', before: `${progname}: option requires an argument -- w\n` };
        args.waitSec = scanUlong(val);
        args.verbose = true;
        break;
      } else if (c === 'V') {
        return { kind: 'usage', before: SV_VERSION + '\n' };
      } else {
        return { kind: 'usage', before: `${progname}: illegal option -- ${c}\n` };
      }
    }
  }
  args.rest = argv.slice(i);
  // `sv status --json a b`: the form the issue asks for. runit would take
  // "--json" as a service name there, which no real service is called.
  const cmd = args.rest[0];
  if (args.rest.length > 1 && args.rest[1] === '--json' && cmd[0] === 's' && cmd !== 'start' && cmd !== 'stop' && cmd !== 'shutdown') {
    args.json = true;
    args.rest.splice(1, 1);
  }
  return { kind: 'ok', args };
}
