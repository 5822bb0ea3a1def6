// From a command line to the ordered list of changes chpst makes before it execs.
// Pure: no syscalls here, so every option and personality can be unit-tested; the
// applier (apply.ts) carries the steps out.
import { Getopt, getoptMessage } from './getopt';
import { HARD, LimitValues, limitsToApply, LimitName, noLimits } from './limits';
import { asLong, scanWhole } from './scan';

export type Step =
  | { op: 'setsid' }
  | { op: 'envdir'; dir: string; skipSubdirs: boolean }
  | { op: 'chroot'; root: string }
  | { op: 'nice'; inc: number }
  /** put UID= and GID= into PROG's environment; ext = chpst's USER syntax, else a plain account */
  | { op: 'envuidgid'; user: string; ext: boolean }
  | { op: 'setuidgid'; user: string; ext: boolean }
  /** quiet: setlock -x, a failure exits 0 without a word */
  | { op: 'lock'; file: string; wait: boolean; quiet: boolean }
  | { op: 'close'; fd: 0 | 1 | 2 }
  | { op: 'limit'; name: LimitName; value: bigint };

export interface Plan {
  kind: 'plan';
  steps: Step[];
  /** the program to search and execute */
  file: string;
  /** its argv, argv[0] possibly replaced (-b) */
  argv: string[];
  verbose: boolean;
  /** setlock -x: exec failure exits 0 silently */
  quietExecFailure: boolean;
}

export interface Usage {
  kind: 'usage';
  /** everything to write on stderr; exit 100 */
  text: string;
}

export const PERSONALITIES = ['setuidgid', 'envuidgid', 'envdir', 'pgrphack', 'setlock', 'softlimit'] as const;
export type Personality = (typeof PERSONALITIES)[number];

const CHPST_USAGE =
  ' [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog';
const PERSONALITY_USAGE: Record<Personality, string> = {
  setuidgid: ' account child',
  envuidgid: ' account child',
  envdir: ' dir child',
  pgrphack: ' child',
  setlock: ' [ -nNxX ] file program [ arg ... ]',
  softlimit:
    ' [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child',
};
const CHPST_LIMIT_OPTS: Record<string, LimitName> = { d: 'DATA', o: 'NOFILE', p: 'NPROC', f: 'FSIZE', c: 'CORE', r: 'RSS', t: 'CPU' };
const SOFTLIMIT_OPTS: Record<string, LimitName> = {
  a: 'AS', c: 'CORE', d: 'DATA', f: 'FSIZE', l: 'MEMLOCK', o: 'NOFILE', p: 'NPROC', r: 'RSS', s: 'STACK', t: 'CPU',
};
export const VERSION_ID = '$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $';

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** The name runit dispatches on and prints in `usage:`: basename, one leading 'd' dropped. */
export function programName(argv0: string): string {
  const b = basename(argv0);
  return b.startsWith('d') ? b.slice(1) : b;
}

export function personalityOf(argv0: string): Personality | null {
  const n = programName(argv0);
  return (PERSONALITIES as readonly string[]).includes(n) ? (n as Personality) : null;
}

const usage = (name: string, synopsis: string, before = ''): Usage => ({ kind: 'usage', text: `${before}usage: ${name}${synopsis}\n\n` });

function limitSteps(v: LimitValues): Step[] {
  return limitsToApply(v).map(({ name, value }) => ({ op: 'limit', name, value }));
}

/** Parses a command line (argv[0] included) in chpst mode or in the personality argv[0] names. */
export function planFor(argv: readonly string[]): Plan | Usage {
  const argv0 = argv[0] ?? 'chpst';
  const p = personalityOf(argv0);
  return p ? personalityPlan(p, argv) : chpstPlan(argv);
}

function chpstPlan(argv: readonly string[]): Plan | Usage {
  const name = programName(argv[0] ?? 'chpst');
  const base = basename(argv[0] ?? 'chpst');
  const bad = (before = ''): Usage => usage(name, CHPST_USAGE, before);
  const g = new Getopt(argv, 'u:U:b:e:m:d:o:p:f:c:r:t:/:n:l:L:vP012V');
  let setUser: string | null = null;
  let envUser: string | null = null;
  let argv0: string | null = null;
  let envDir: string | null = null;
  let root: string | null = null;
  let nice = 0n;
  let lock: { file: string; wait: boolean } | null = null;
  let verbose = false;
  let pgrp = false;
  const close = [false, false, false];
  const lim = noLimits();
  for (;;) {
    const r = g.next();
    if (r.kind === 'done') break;
    if (r.kind !== 'opt') return bad(getoptMessage(base, r));
    const arg = r.arg ?? '';
    const num = (): bigint | null => {
      const v = scanWhole(arg);
      return v === null ? null : asLong(v);
    };
    switch (r.opt) {
      case 'u': setUser = arg; break;
      case 'U': envUser = arg; break;
      case 'b': argv0 = arg; break;
      case 'e': envDir = arg; break;
      case '/': root = arg; break;
      case 'm': {
        const v = num();
        if (v === null) return bad();
        lim.STACK = lim.MEMLOCK = lim.AS = lim.DATA = v;
        break;
      }
      case 'd': case 'o': case 'p': case 'f': case 'c': case 'r': case 't': {
        const v = num();
        if (v === null) return bad();
        lim[CHPST_LIMIT_OPTS[r.opt]] = v;
        break;
      }
      case 'n': {
        const neg = arg.startsWith('-');
        const v = scanWhole(neg || arg.startsWith('+') ? arg.slice(1) : arg);
        if (v === null) return bad();
        nice = asLong(neg ? -v : v);
        break;
      }
      case 'l': case 'L':
        if (lock) return bad();
        lock = { file: arg, wait: r.opt === 'l' };
        break;
      case 'v': verbose = true; break;
      case 'P': pgrp = true; break;
      case '0': close[0] = true; break;
      case '1': close[1] = true; break;
      case '2': close[2] = true; break;
      case 'V': return bad(`${VERSION_ID}\n`);
    }
  }
  const rest = g.rest();
  if (rest.length === 0) return bad();

  const steps: Step[] = [];
  if (pgrp) steps.push({ op: 'setsid' });
  if (envDir !== null) steps.push({ op: 'envdir', dir: envDir, skipSubdirs: true });
  if (root !== null) steps.push({ op: 'chroot', root });
  // nice() takes an int: C keeps the low 32 bits of the long
  if (nice !== 0n) steps.push({ op: 'nice', inc: Number(BigInt.asIntN(32, nice)) });
  if (envUser !== null) steps.push({ op: 'envuidgid', user: envUser, ext: true });
  if (setUser !== null) steps.push({ op: 'setuidgid', user: setUser, ext: true });
  if (lock) steps.push({ op: 'lock', file: lock.file, wait: lock.wait, quiet: false });
  for (const fd of [0, 1, 2] as const) if (close[fd]) steps.push({ op: 'close', fd });
  steps.push(...limitSteps(lim));
  const args = [...rest];
  if (argv0 !== null) args[0] = argv0;
  return { kind: 'plan', steps, file: rest[0], argv: args, verbose, quietExecFailure: false };
}

function personalityPlan(p: Personality, argv: readonly string[]): Plan | Usage {
  const name = programName(argv[0]);
  const base = basename(argv[0]);
  const bad = (before = ''): Usage => usage(name, PERSONALITY_USAGE[p], before);
  const plan = (steps: Step[], prog: string[], quiet = false): Plan => ({
    kind: 'plan',
    steps,
    file: prog[0],
    argv: prog,
    verbose: false,
    quietExecFailure: quiet,
  });
  switch (p) {
    case 'setuidgid':
    case 'envuidgid':
    case 'envdir': {
      // no option parsing at all: `setuidgid -x prog` looks up the account "-x"
      if (argv.length < 3) return bad();
      const step: Step =
        p === 'envdir'
          ? { op: 'envdir', dir: argv[1], skipSubdirs: false }
          : { op: p, user: argv[1], ext: false };
      return plan([step], argv.slice(2));
    }
    case 'pgrphack':
      if (argv.length < 2) return bad();
      return plan([{ op: 'setsid' }], argv.slice(1));
    case 'setlock': {
      const g = new Getopt(argv, 'nNxX');
      let wait = false;
      let quiet = false;
      for (;;) {
        const r = g.next();
        if (r.kind === 'done') break;
        if (r.kind !== 'opt') return bad(getoptMessage(base, r));
        if (r.opt === 'n') wait = true;
        else if (r.opt === 'N') wait = false;
        else if (r.opt === 'x') quiet = true;
        else quiet = false;
      }
      const rest = g.rest();
      if (rest.length < 2) return bad();
      return plan([{ op: 'lock', file: rest[0], wait, quiet }], rest.slice(1), quiet);
    }
    case 'softlimit': {
      const g = new Getopt(argv, 'a:c:d:f:l:m:o:p:r:s:t:');
      const lim = noLimits();
      for (;;) {
        const r = g.next();
        if (r.kind === 'done') break;
        if (r.kind !== 'opt') return bad(getoptMessage(base, r));
        const arg = r.arg ?? '';
        let v: bigint;
        if (arg === '=') v = HARD;
        else {
          const s = scanWhole(arg);
          // runit's quirk: a bad number prints chpst's usage, under softlimit's name
          if (s === null) return usage(name, CHPST_USAGE);
          v = asLong(s);
        }
        if (r.opt === 'm') lim.DATA = lim.STACK = lim.MEMLOCK = lim.AS = v;
        else lim[SOFTLIMIT_OPTS[r.opt]] = v;
      }
      const rest = g.rest();
      if (rest.length === 0) return bad();
      return plan(limitSteps(lim), rest);
    }
  }
}
