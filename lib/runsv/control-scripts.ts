// runsv's control/X scripts: `control/<letter>` in the service folder, run instead
// of (or before) what the control byte would do. A slow script delays only its
// own service: the caller awaits it, the event loop does not.
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { spawn, StdioSpec, waitExit } from '../native';

// runsv runs them with TERM and CHLD blocked
const CONTROL_SIGMASK = ['SIGTERM', 'SIGCHLD'];

export interface ControlScriptContext {
  /** the service folder (as this process reaches it) */
  base: string;
  env: NodeJS.ProcessEnv;
  setsid: boolean;
  stdout: StdioSpec;
  stderr: StdioSpec;
  warn: (msg: string) => void;
  fatal: (msg: string) => void;
}

/** control/<c>: true when it exists, is owner-executable and exits 0 (or dies by a signal). */
export async function runControlScript(ctx: ControlScriptContext, letter: string): Promise<boolean> {
  const rel = `control/${letter}`;
  let mode: number;
  try {
    mode = (await fsp.stat(path.join(ctx.base, rel))).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') ctx.warn(`unable to stat ${rel}: ${errorText(err)}`);
    return false;
  }
  if (!(mode & constants.S_IXUSR)) return false;
  let pid: number;
  try {
    pid = spawn({
      file: rel,
      argv: [rel],
      cwd: ctx.base,
      env: ctx.env,
      setsid: ctx.setsid,
      stdio: ['inherit', ctx.stdout, ctx.stderr],
      sigmask: CONTROL_SIGMASK,
    });
  } catch (err) {
    if ((err as { syscall?: string }).syscall === 'execve') ctx.fatal(`unable to run control/?: ${errorText(err)}`);
    else ctx.warn(`unable to setup stdout for ${rel}: ${errorText(err)}`);
    return false;
  }
  const exit = await waitExit(pid);
  return exit.status >> 8 === 0;
}
