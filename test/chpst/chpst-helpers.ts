// Running our chpst and runit's side by side under any argv[0] name, with an exact
// environment, and comparing what a user sees: exit code, stdout, stderr.
import { Test as Tap } from 'tap';
import { spawnSync, StdioOptions } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { ourBin, referenceBin } from '../helpers/reference';

export const PERSONALITIES = ['setuidgid', 'envuidgid', 'envdir', 'pgrphack', 'setlock', 'softlimit'];

export type Result = { status: number | null; stdout: string; stderr: string };

export interface RunOpts {
  cwd?: string;
  /** the program's whole environment (default: ours) */
  env?: NodeJS.ProcessEnv;
  /** run through `sh -c 'ulimit -Sn 1000; exec "$@"'` so a changed NOFILE soft limit shows */
  lowNofile?: boolean;
  /** fds from 3 on for the child (stdin is /dev/null, stdout/stderr are pipes) */
  extraFds?: (number | 'ignore')[];
  /** stdin closed: started through `sh -c 'exec "$@" <&-'` */
  noStdin?: boolean;
}

export function run(cmd: string, args: readonly string[], opts: RunOpts = {}): Result {
  let argv = [cmd, ...args];
  if (opts.lowNofile) argv = ['/bin/sh', '-c', 'ulimit -Sn 1000; exec "$@"', 'sh', ...argv];
  if (opts.noStdin) argv = ['/bin/sh', '-c', 'exec "$@" <&-', 'sh', ...argv];
  // through `env -i`: tap adds its own variables to the environment of every child
  // it sees spawned; env execs the command with exactly the environment given
  const env = Object.entries(opts.env ?? process.env).map(([k, v]) => `${k}=${v}`);
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...(opts.extraFds ?? [])];
  const r = spawnSync('/usr/bin/env', ['-i', ...env, ...argv], { cwd: opts.cwd, encoding: 'utf8', stdio, timeout: 60000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type SameOpts = RunOpts & {
  /** argv[0]'s name: chpst (default), a personality, or any other name */
  as?: string;
  /** what is compared and checked: e.g. stdout without the parts that differ per run */
  normalize?: (r: Result) => Result;
  check?: (r: Result) => void;
};

export interface SideBySide {
  /** our program and runit's, invoked as `name` (symlinks made on demand) */
  bins(name: string): [ours: string, runit: string];
  /** runs ours and runit's with the same arguments: same status, stdout, stderr */
  same(name: string, args: readonly string[], opts?: SameOpts): Result;
  /**
   * And what runit's answer is known to be, so that both cannot be equally wrong:
   * a string or number must be equal, a RegExp must match.
   */
  expect(want: Partial<Record<keyof Result, string | number | RegExp>>): (r: Result) => void;
}

/**
 * Side-by-side helpers reporting through `t`. runit's personalities are its chpst
 * under the other names (daemontools' own envdir, setlock ... in the reference
 * folder are different programs), linked in `dir`.
 */
export function sideBySide(t: Tap, dir: string): SideBySide {
  const ref = referenceBin('chpst') as string;
  const bins = (name: string): [string, string] => {
    const links = [path.join(dir, 'as', 'ours', name), path.join(dir, 'as', 'runit', name)];
    const ours = existsSync(ourBin(name)) ? ourBin(name) : links[0];
    if (!existsSync(links[1])) {
      mkdirSync(path.dirname(links[0]), { recursive: true });
      mkdirSync(path.dirname(links[1]), { recursive: true });
      if (ours === links[0]) symlinkSync(path.resolve(ourBin('chpst')), links[0]);
      symlinkSync(ref, links[1]);
    }
    return [ours, links[1]];
  };
  return {
    bins,
    same(name, args, opts = {}) {
      const as = opts.as ?? 'chpst';
      const [ours, theirs] = bins(as).map((bin) => (opts.normalize ?? ((r: Result) => r))(run(bin, args, opts)));
      t.strictSame(ours, theirs, `${name}: ${as} ${args.join(' ')}`);
      opts.check?.(ours);
      return ours;
    },
    expect: (want) => (r) => {
      for (const [k, v] of Object.entries(want) as [keyof Result, string | number | RegExp][]) {
        if (v instanceof RegExp) t.match(r[k], v, `${k} matches ${v}`);
        else t.equal(r[k], v, `${k} is ${JSON.stringify(v)}`);
      }
    },
  };
}
