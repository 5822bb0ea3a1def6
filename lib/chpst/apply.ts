// Carries out a chpst plan on this very process and ends in exec (same pid), or
// throws Fatal with runit's message. Only what lib/native offers, plus node:fs.
import * as fs from 'node:fs';
import * as native from '../native';
import { EnvChange, EnvdirError, mergeEnv, readEnvdir } from './envdir';
import { errnoOf, errorStr } from './errstr';
import { newSoft } from './limits';
import { candidates, pathexecRun } from './pathexec';
import { Plan, Step } from './plan';
import { Lookups, resolveAccount, resolveUserSpec, UidGids } from './uidgid';

const FATAL = 'chpst: fatal: ';
const WARNING = 'chpst: warning: ';

/** A reason to stop: `text` goes to stderr as is, then exit with `code`. */
export class Fatal extends Error {
  constructor(
    readonly text: string,
    readonly code: number,
  ) {
    super(text);
  }
}

/** strerr_die...sys: message, ": ", errno text. */
const sys = (m: string, err: unknown): Fatal => new Fatal(`${FATAL}${m}: ${errorStr(errnoOf(err))}\n`, 111);
/** strerr_die...x: message without errno. */
const plain = (m: string): Fatal => new Fatal(`${FATAL}${m}\n`, 111);

export function writeStderr(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // fd 2 closed (-2) or gone: runit's write fails just as silently
  }
}

// NSS lookups through the addon; the empty name, which the addon refuses, is simply unknown.
const lookups: Lookups = {
  user: (name) => (name === '' ? null : native.getpwnam(name)),
  group: (name) => (name === '' ? null : (native.getgrnam(name)?.gid ?? null)),
};

function lookupIds(user: string, ext: boolean): UidGids {
  let r;
  try {
    r = ext ? resolveUserSpec(user, lookups) : resolveAccount(user, lookups);
  } catch (err) {
    throw sys(ext ? 'unable to get password/group file entry' : 'unable to get password file entry', err);
  }
  if (r.ok) return r.ids;
  if (!ext) throw plain(`unknown account: ${user}`);
  if (user.startsWith(':')) throw plain(`invalid uid/gids: ${user.slice(1)}`);
  throw plain(`unknown user/group: ${user}`);
}

interface State {
  /** fds 0-2 that were closed when chpst started (Node reopened them on /dev/null) */
  closedAtStart: Set<number>;
  env: EnvChange[];
  /** chpst itself set RLIMIT_NOFILE: exec must not put the original back */
  nofileSet: boolean;
}

function applyStep(step: Step, st: State, plan: Plan): void {
  switch (step.op) {
    case 'setsid':
      try {
        native.setsid();
      } catch {
        // runit ignores it: already a group leader is fine
      }
      return;
    case 'envdir':
      try {
        const warn = plan.verbose
          ? (errno: number, name: string) => writeStderr(`${WARNING}unable to read ${step.dir}/${name}: ${errorStr(errno)}\n`)
          : undefined;
        st.env.push(...readEnvdir(step.dir, { skipSubdirs: step.skipSubdirs, warn }));
      } catch (err) {
        if (err instanceof EnvdirError) throw new Fatal(`${FATAL}${err.message}: ${errorStr(err.errno)}\n`, 111);
        throw err;
      }
      return;
    case 'chroot':
      try {
        process.chdir(step.root);
      } catch (err) {
        throw sys(`unable to change directory: ${step.root}`, err);
      }
      try {
        native.chroot('.');
      } catch (err) {
        throw sys('unable to change root directory', err);
      }
      return;
    case 'nice':
      try {
        native.nice(step.inc);
      } catch (err) {
        throw sys('unable to set nice level', err);
      }
      return;
    case 'envuidgid': {
      const ids = lookupIds(step.user, step.ext);
      st.env.push(`GID=${ids.gids[0]}`, `UID=${ids.uid}`);
      return;
    }
    case 'setuidgid': {
      const ids = lookupIds(step.user, step.ext);
      try {
        native.setgroups(ids.gids);
      } catch (err) {
        throw sys('unable to setgroups', err);
      }
      try {
        native.setgid(ids.gids[0]);
      } catch (err) {
        throw sys('unable to setgid', err);
      }
      try {
        native.setuid(ids.uid);
      } catch (err) {
        throw sys('unable to setuid', err);
      }
      return;
    }
    case 'lock': {
      const fail = (m: string, err: unknown): Fatal => (step.quiet ? new Fatal('', 0) : sys(`${m}: ${step.file}`, err));
      let fd: number;
      try {
        const c = fs.constants;
        fd = fs.openSync(step.file, c.O_WRONLY | c.O_NONBLOCK | c.O_APPEND | c.O_CREAT, 0o600);
        // the program inherits the descriptor, and with it the lock
        native.setCloexec(fd, false);
      } catch (err) {
        throw fail('unable to open lock', err);
      }
      try {
        native.flock(fd, 'ex', !step.wait);
      } catch (err) {
        throw fail('unable to lock', err);
      }
      return;
    }
    case 'close':
      try {
        if (st.closedAtStart.delete(step.fd)) throw Object.assign(new Error('EBADF'), { errno: -9 });
        fs.closeSync(step.fd);
      } catch (err) {
        throw sys(`unable to close ${['stdin', 'stdout', 'stderr'][step.fd]}`, err);
      }
      return;
    case 'limit': {
      let cur;
      try {
        cur = native.getrlimit(step.name);
      } catch (err) {
        throw sys('unable to getrlimit()', err);
      }
      try {
        native.setrlimit(step.name, newSoft(step.value, cur.hard), cur.hard);
      } catch (err) {
        throw sys('unable to setrlimit()', err);
      }
      if (step.name === 'NOFILE') st.nofileSet = true;
      return;
    }
  }
}

/** The environment chpst was started with, as `NAME=value` strings. */
function environList(): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out.push(`${k}=${v}`);
  return out;
}

export interface ApplyOptions {
  /**
   * The descriptors open when the launcher exec'd Node, if it said (RUNITD_FDS).
   * Node reopens a closed fd 0-2 on /dev/null and marks inherited descriptors
   * close-on-exec; runit's chpst hands on exactly what it was given, so must we.
   */
  inheritedFds?: readonly number[] | null;
}

/** Applies every step, then execs. Returns never; throws Fatal. */
export function applyPlan(plan: Plan, opts: ApplyOptions = {}): never {
  const inherited = opts.inheritedFds ?? null;
  const closedAtStart = new Set(inherited ? [0, 1, 2].filter((fd) => !inherited.includes(fd)) : []);
  const st: State = { closedAtStart, env: [], nofileSet: false };
  const limits = plan.steps.filter((s) => s.op === 'limit');
  for (const step of plan.steps) if (step.op !== 'limit') applyStep(step, st, plan);
  for (const fd of st.closedAtStart) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
  for (const fd of inherited ?? []) {
    if (fd < 3) continue;
    try {
      native.setCloexec(fd, false);
    } catch {
      // gone meanwhile
    }
  }

  // Everything exec needs is computed before the limits are set: -m or -d may leave
  // Node little room to allocate in (runit applies them last, and so do we).
  const env = mergeEnv(environList(), st.env);
  // runit searches the PATH chpst was started with, not one an envdir sets
  const tries = candidates(plan.file, process.env.PATH);
  for (const step of limits) applyStep(step, st, plan);
  const nofile = st.nofileSet ? null : undefined;
  const errno = pathexecRun(tries, (candidate) => {
    try {
      native.execInPlace(candidate, plan.argv, { env, nofile });
    } catch (err) {
      return errnoOf(err);
    }
  });
  if (plan.quietExecFailure) throw new Fatal('', 0);
  throw new Fatal(`${FATAL}unable to run: ${plan.argv[0]}: ${errorStr(errno)}\n`, 111);
}
