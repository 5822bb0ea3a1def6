// Re-exec in place: the daemon replaces its own image (same pid, so services stay
// its children and no exit status is lost) on request (an upgrade) or after a
// fatal internal error. What the next image needs is on disk (the status files,
// flushed first) or handed over: the fds (supervise/handover.ts) and the exits
// reaped while preparing (RUNITD_HANDOVER_EXITS).
import { decodeStatus, Exit, execInPlace, originalNofile, spawn, waitExit } from '../native';
import { beginTakeover, endTakeover, freezeExits, thawExits } from '../runsv/children';
import { abortExec, cameFromReexec, closeUntaken, prepareExec } from '../supervise/handover';
import { ScanDir } from './daemon';

const EXITS_ENV = 'RUNITD_HANDOVER_EXITS';
/** Set in the environment of a probe: load everything, then exit 0. */
export const PROBE_ENV = 'RUNITD_PROBE';

export interface ReexecContext {
  scandir: ScanDir;
  /** runsvdir's message prefix, `runsvdir DIR` */
  prefix: string;
  report: (line: string) => void;
  /** the environment the next image must start with (what this one was given) */
  env: NodeJS.ProcessEnv;
  /** true when the re-exec must not happen after all (the daemon is stopping) */
  cancelled: () => boolean;
}

let current: Promise<void> | null = null;

/** Resolves once no re-exec is under way (one that gives up returns here). */
export async function reexecSettled(): Promise<void> {
  while (current) await current;
}

// when this image started: a fault soon after a fault-driven re-exec is not
// answered by another one (an error that recurs at every start would loop)
const AT_ENV = 'RUNITD_REEXEC_AT';
const startedAfterFault = Number(process.env[AT_ENV] ?? 0);
delete process.env[AT_ENV];
const FAULT_REEXEC_GAP_MS = 10_000;

/**
 * Re-executes the daemon. Returns only when that was impossible: the new image
 * failed its probe or execve failed; then this image carries on as before.
 */
export function reexec(ctx: ReexecContext, reason: string, fault = false): Promise<void> {
  if (current) return current;
  current = attempt(ctx, reason, fault).finally(() => (current = null));
  return current;
}

async function attempt(ctx: ReexecContext, reason: string, fault: boolean): Promise<void> {
  if (fault && Date.now() - startedAfterFault < FAULT_REEXEC_GAP_MS) {
    ctx.report(`${ctx.prefix}: warning: re-exec: not again within ${FAULT_REEXEC_GAP_MS / 1000} s of the last one: ${reason}`);
    return;
  }
  ctx.report(`${ctx.prefix}: info: re-exec: ${reason}`);
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const bad = await probe(argv, ctx.env);
  if (bad) {
    ctx.report(`${ctx.prefix}: warning: re-exec: new image unusable: ${bad}`);
    return;
  }
  const exits = freezeExits();
  await ctx.scandir.freezeAll();
  if (ctx.cancelled()) {
    thawExits();
    ctx.scandir.thawAll();
    ctx.report(`${ctx.prefix}: info: re-exec: given up, stopping`);
    return;
  }
  const [key, fds] = prepareExec();
  const env = {
    ...ctx.env,
    [key]: fds,
    [EXITS_ENV]: JSON.stringify(exits.map((e) => [e.pid, e.status])),
    RUNITD_NOFILE_SOFT: String(originalNofile),
  };
  if (fault) env[AT_ENV] = String(Date.now());
  try {
    execInPlace(process.execPath, argv, { env });
  } catch (err) {
    abortExec();
    thawExits();
    ctx.scandir.thawAll();
    ctx.report(`${ctx.prefix}: warning: re-exec: unable to exec ${process.execPath}: ${(err as Error).message}`);
  }
}

// The new image must at least load: a broken install must not cost the daemon.
async function probe(argv: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  let pid: number;
  try {
    pid = spawn({ file: argv[0], argv, env: { ...env, [PROBE_ENV]: '1' }, stdio: ['null', 'null', 'null'] });
  } catch (err) {
    return (err as Error).message;
  }
  const exit = await waitExit(pid);
  if (exit.code === 0) return null;
  return exit.code !== null ? `probe exited ${exit.code}` : `probe died of ${exit.signal}`;
}

/** In a new image: whether it came from a re-exec, and if so, start taking over. */
export function startTakeover(): boolean {
  const text = process.env[EXITS_ENV];
  delete process.env[EXITS_ENV];
  if (!cameFromReexec() && text === undefined) return false;
  let exits: Exit[] = [];
  try {
    exits = (JSON.parse(text ?? '[]') as [number, number][]).map(([pid, status]) => decodeStatus(pid, status));
  } catch {
    // none usable
  }
  beginTakeover(exits);
  return true;
}

/** Every service of the first scan has started: what was handed over and not claimed is closed. */
export function finishTakeover(): void {
  endTakeover();
  closeUntaken();
}
