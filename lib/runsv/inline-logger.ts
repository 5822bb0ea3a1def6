// The in-process logger of a service whose log/run only execs svlogd: finding
// out whether log/run is such a script, making the svlogd engine for it, and
// what each signal a log service can be sent means to that engine.
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { dup, getgrnam, getpwnam } from '../native';
import type { LogEngine } from '../svlogd/engine';
import { INLINE_RUN_MAX, InlineLog, parseInlineLog } from './inline-log';

export interface InlineLogPlan {
  plan: InlineLog;
  /** the real log/ folder: relative log folders are relative to it */
  cwd: string;
}

/** log/run, read at every start as runsv execs it anew: the plan when it can run in-process. */
export async function readInlineLog(logDir: string): Promise<InlineLogPlan | null> {
  try {
    const flag = await fsp.readFile(path.join(logDir, 'inline'), 'latin1').catch(() => '');
    if (flag.trim() === 'no') return null;
    const run = path.join(logDir, 'run');
    const st = await fsp.stat(run);
    if (!st.isFile() || !(st.mode & constants.S_IXUSR) || st.size > INLINE_RUN_MAX) return null;
    const plan = parseInlineLog(await fsp.readFile(run, 'latin1'));
    if (!plan) return null;
    // not /proc/self/fd/N/log: that path means nothing to the engine's processors
    const cwd = await fsp.realpath(logDir);
    // the script's `mkdir -p`; a failure shows when the engine opens the folder, as with the script
    for (const d of plan.mkdirs) await fsp.mkdir(path.resolve(cwd, d), { recursive: true }).catch(() => undefined);
    return { plan, cwd };
  } catch {
    return null;
  }
}

/** uid/gid for chpst -u's `user[:group...]` argument. */
function ownerOf(spec: string): { uid: number; gid: number } {
  const [userName, groupName] = spec.split(':');
  const pw = getpwnam(userName);
  if (!pw) throw new Error(`unknown user: ${userName}`);
  if (!groupName) return { uid: pw.uid, gid: pw.gid };
  const gr = getgrnam(groupName);
  if (!gr) throw new Error(`unknown group: ${groupName}`);
  return { uid: pw.uid, gid: gr.gid };
}

/**
 * The engine for a plan, reading a dup of `pipeRead`; throws what a svlogd
 * process would have died of (bad user, bad option). `report` gets its stderr lines.
 */
export function createInlineEngine(p: InlineLogPlan, pipeRead: number, report: (line: string) => void): LogEngine {
  const owner = p.plan.user ? ownerOf(p.plan.user) : null;
  const stderr = { write: (b: Buffer) => report(b.toString('latin1').replace(/\n$/, '')) };
  // loaded on first use: the daemon's start path (first payload up) does not wait for the svlogd engine
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { LogEngine: Engine } = require('../svlogd/engine') as typeof import('../svlogd/engine');
  const engine = new Engine({ dirs: p.plan.dirs, options: { ...p.plan.options, cwd: p.cwd, owner, stderr }, input: dup(pipeRead) });
  engine.on('message', (kind: string, text: string) => report(`svlogd: ${kind}: ${text}`));
  return engine;
}

/** What svlogd does on each signal, for an engine running in this process. */
export function signalEngine(engine: LogEngine, sig: NodeJS.Signals): void {
  if (sig === 'SIGHUP') engine.reopen();
  else if (sig === 'SIGALRM') engine.rotate();
  else if (sig === 'SIGSTOP' || sig === 'SIGCONT') return;
  // TERM, and the signals that would kill a svlogd process: stop reading,
  // write out what was read, end. Nothing is lost: the rest stays in the pipe.
  else engine.stop();
}
