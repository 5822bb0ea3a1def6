// A service writing numbered lines into a log service whose svlogd process is
// SIGKILLed again and again: the service folder, the kills, and the reading of
// what reached the log folder, loss measured in bytes.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Test } from 'tap';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { makeService, readPid, startRunsv } from '../runsv/runsv-helpers';
import { startRunsvdir } from '../runsvdir/runsvdir-helpers';

/** Every line is this long, newline included: `%08d %030d\n`, the number twice. */
export const LINE_LEN = 40;
export const lineText = (n: number): string => `${String(n).padStart(8, '0')} ${String(n).padStart(30, '0')}\n`;
const AWK_LINES = (from: string, to: string): string => `awk -v a=${from} -v b=${to} 'BEGIN { for (n = a; n < b; n++) printf "%08d %030d\\n", n, n }'`;

export type Writer = { kind: 'busy'; lines: number } | { kind: 'idle'; lines: number; phases: number };

/**
 * Phase ends for the idle writer: it writes lines [end(k-1), end(k)), touches
 * `paused.k` and waits for `go.k` before the next phase.
 */
export function phaseEnd(w: { lines: number; phases: number }, k: number): number {
  return Math.floor(((k + 1) * w.lines) / w.phases);
}

/** A service whose run writes the lines once (then sleeps) and whose log/run execs `svlogd` on ./main. */
export function killService(root: string, name: string, svlogd: string, w: Writer): { dir: string; main: string } {
  let body: string;
  if (w.kind === 'busy') body = `${AWK_LINES('0', String(w.lines))}\ntouch done\nexec sleep 100000`;
  else {
    const steps: string[] = [];
    for (let k = 0; k < w.phases; k++) {
      const from = k === 0 ? 0 : phaseEnd(w, k - 1);
      steps.push(AWK_LINES(String(from), String(phaseEnd(w, k))));
      if (k < w.phases - 1) steps.push(`touch paused.${k}`, `while [ ! -e go.${k} ]; do sleep 0.02; done`);
    }
    body = `${steps.join('\n')}\ntouch done\nexec sleep 100000`;
  }
  const dir = makeService(root, name, {
    run: `[ -e done ] && exec sleep 100000\n${body}`,
    log: { run: `#!/bin/sh\nexec ${svlogd} ./main\n` },
  });
  const main = path.join(dir, 'log', 'main');
  mkdirSync(main);
  // keep every file: the check needs all lines ever written
  writeFileSync(path.join(main, 'config'), 'n0\n');
  return { dir, main };
}

/** The log folder's files, oldest first (TAI64N names sort by time), `current` last. */
function logFileNames(main: string): string[] {
  const names = readdirSync(main)
    .filter((f) => f.startsWith('@'))
    .sort();
  if (existsSync(path.join(main, 'current'))) names.push('current');
  return names;
}

/** Bytes in the log folder's log files; a file renamed under our feet reads as 0 until the next look. */
export function logBytes(main: string): number {
  let n = 0;
  for (const f of logFileNames(main)) {
    try {
      n += statSync(path.join(main, f)).size;
    } catch {
      // rotated between the listing and the stat
    }
  }
  return n;
}

/** Contents of the log files, oldest first; retried when a rotation races with the reading. */
export async function readLog(main: string): Promise<string[]> {
  const files = await waitFor(() => {
    try {
      return logFileNames(main).map((f) => readFileSync(path.join(main, f), 'latin1'));
    } catch {
      return null;
    }
  }, `a stable listing of ${main}`);
  return files as string[];
}

export interface Gap {
  /** the last line before the gap (-1: none) */
  after: number;
  missingLines: number;
  /** bytes of the missing lines not found as a fragment: what the killed logger had read and lost */
  lostBytes: number;
  /** a tail of the last missing line, found at the start of the next file */
  fragment: number;
}

export interface LogCheck {
  /** broken promises: a line twice, out of order, mangled, a fragment where none can be */
  errors: string[];
  gaps: Gap[];
  lines: number;
  last: number;
}

/**
 * Reads lines 0..total-1 back from the files. A line is either exactly as written,
 * numbers strictly increasing, or, as the first line of a file, the tail of the
 * line just before the next complete one: the part of a line cut by a kill that
 * the next logger read.
 */
export function checkLog(files: string[], total: number): LogCheck {
  const errors: string[] = [];
  const gaps: Gap[] = [];
  let last = -1;
  let lines = 0;
  let fragment: string | null = null;
  const gapTo = (next: number): void => {
    const missing = next - last - 1;
    let frag = 0;
    if (fragment !== null) {
      if (missing < 1 || !lineText(next - 1).endsWith(fragment + '\n') || fragment.length + 1 >= LINE_LEN) errors.push(`fragment ${JSON.stringify(fragment)} is not the tail of line ${next - 1}`);
      else frag = fragment.length + 1;
    }
    if (missing > 0) gaps.push({ after: last, missingLines: missing, lostBytes: missing * LINE_LEN - frag, fragment: frag });
    fragment = null;
  };
  files.forEach((text, fi) => {
    if (text.length > 0 && !text.endsWith('\n')) errors.push(`file ${fi} ends inside a line`);
    const ls = text.split('\n');
    ls.pop();
    ls.forEach((l, li) => {
      const n = /^\d{8} /.test(l) ? Number(l.slice(0, 8)) : NaN;
      if (!Number.isNaN(n) && l + '\n' === lineText(n)) {
        if (n <= last) errors.push(`line ${n} after line ${last} (file ${fi})`);
        else {
          gapTo(n);
          last = n;
          lines++;
        }
        return;
      }
      if (li === 0 && fragment === null) fragment = l;
      else errors.push(`mangled line ${JSON.stringify(l)} (file ${fi}, line ${li})`);
    });
  });
  if (fragment !== null) errors.push(`fragment ${JSON.stringify(fragment)} at the end`);
  if (last < total - 1) gaps.push({ after: last, missingLines: total - 1 - last, lostBytes: (total - 1 - last) * LINE_LEN, fragment: 0 });
  return { errors, gaps, lines, last };
}

/** The log/run process now, once it is a live one other than `not`. */
export async function loggerPid(dir: string, not = 0): Promise<number> {
  return waitFor(() => {
    const p = readPid(path.join(dir, 'log'));
    return p && p !== not && alive(p) ? p : 0;
  }, `a running logger other than ${not}`, 30000);
}

export interface KillRun {
  kills: number;
  /** each kill's logger pid */
  pids: number[];
}

/**
 * Busy: kills the logger `kills` times mid-stream, each time once the log has grown
 * by another share of the whole since that logger started (the writer, faster than
 * any logger, keeps the pipe full, so every logger is busy reading when it dies).
 * Stops early if the writer is done: then later kills could not be busy ones.
 */
export async function killWhileBusy(dir: string, main: string, total: number, kills: number): Promise<KillRun> {
  const pids: number[] = [];
  let pid = await loggerPid(dir);
  for (let k = 0; k < kills; k++) {
    // an equal share of what is left for each kill still to come, and some after the
    // last: a fast logger writes a lot while its restart is being waited for
    const now = logBytes(main);
    const target = now + Math.floor((total * LINE_LEN - now) / (kills - k + 1));
    const done = path.join(dir, 'done');
    // a listing that races with a rotation reads low: decide on the look that ended the wait
    const why = await waitFor(() => (logBytes(main) >= target ? 'grown' : existsSync(done) ? 'done' : null), `log past ${target} bytes before kill ${k + 1}`, 30000, 5);
    if (why === 'done') break;
    killPid(pid);
    pids.push(pid);
    pid = await loggerPid(dir, pid);
  }
  return { kills, pids };
}

/**
 * Idle: at each pause of the writer, waits until every line written so far is in
 * the log folder (the logger has nothing left to read), then kills the logger and
 * lets the writer go on.
 */
export async function killWhileIdle(dir: string, main: string, w: { lines: number; phases: number }): Promise<KillRun> {
  const pids: number[] = [];
  let pid = await loggerPid(dir);
  for (let k = 0; k < w.phases - 1; k++) {
    await waitFor(() => existsSync(path.join(dir, `paused.${k}`)), `writer pause ${k}`, 30000, 10);
    const want = phaseEnd(w, k) * LINE_LEN;
    const got = await waitFor(() => {
      const n = logBytes(main);
      return n >= want ? n : 0;
    }, `all ${phaseEnd(w, k)} lines of phase ${k} logged (have ${logBytes(main)} of ${want} bytes)`, 30000, 10);
    if (got !== want) throw new Error(`phase ${k}: ${got} bytes logged, ${want} written`);
    killPid(pid);
    pids.push(pid);
    writeFileSync(path.join(dir, `go.${k}`), '');
    pid = await loggerPid(dir, pid);
  }
  return { kills: w.phases - 1, pids };
}

/** Waits until the writer is done and its last line is logged; the log, checked. */
export async function waitAllLogged(dir: string, main: string, total: number): Promise<LogCheck> {
  await waitFor(() => existsSync(path.join(dir, 'done')), 'the writer finished', 60000);
  let c: LogCheck | null = null;
  await waitFor(async () => {
    c = checkLog(await readLog(main), total);
    return c.last === total - 1;
  }, `line ${total - 1} logged`, 60000, 200);
  return c as unknown as LogCheck;
}

export function describeGaps(c: LogCheck): string {
  if (c.gaps.length === 0) return 'nothing lost';
  return c.gaps.map((g) => `${g.missingLines} lines (${g.lostBytes} bytes${g.fragment ? ` + a ${g.fragment}-byte tail kept` : ''}) after line ${g.after}`).join('; ');
}

// ------------------------------------------------------------ the runs

export const LINES = 200000;
export const KILLS = 10;
/** svlogd's default -b: what one busy kill may cost, with the start of the line it cut */
export const BUFLEN = 1024;

function setup(t: Test, svlogd: string, under: 'runsv' | 'runsvdir', w: Writer): { dir: string; main: string } {
  const root = tempDir(t);
  const scan = path.join(root, 'sv');
  mkdirSync(scan);
  const s = killService(scan, 'writer', svlogd, w);
  if (under === 'runsv') startRunsv(t, s.dir);
  else startRunsvdir(t, scan);
  return s;
}

const who = (svlogd: string): string => (svlogd.includes('.reference') ? "runit's svlogd" : 'our svlogd');
const worst = (c: LogCheck): number => Math.max(0, ...c.gaps.map((g) => g.lostBytes));

/** Ten kills mid-stream: each loses at most -b bytes and the cut line; order kept. */
export async function busyRun(t: Test, svlogd: string, under: 'runsv' | 'runsvdir'): Promise<void> {
  const { dir, main } = setup(t, svlogd, under, { kind: 'busy', lines: LINES });
  const t0 = Date.now();
  const run = await killWhileBusy(dir, main, LINES, KILLS);
  t.equal(new Set(run.pids).size, KILLS, `${KILLS} loggers killed mid-stream, each one restarted`);
  const c = await waitAllLogged(dir, main, LINES);
  t.same(c.errors, [], 'every line at most once, in order, none mangled');
  t.ok(c.gaps.length <= KILLS, `at most one gap per kill (${c.gaps.length} gaps)`);
  for (const g of c.gaps) t.ok(g.lostBytes <= BUFLEN + LINE_LEN, `a kill lost ${g.lostBytes} bytes (${g.missingLines} lines): at most -b ${BUFLEN} and one ${LINE_LEN}-byte line`);
  const lost = c.gaps.reduce((a, g) => a + g.lostBytes, 0);
  t.comment(`${who(svlogd)} under ${under}, ${KILLS} busy kills: ${LINES - c.lines} of ${LINES} lines lost (${lost} bytes), worst kill ${worst(c)} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t.comment(describeGaps(c));
}

/** Ten kills while the logger has nothing left to read: nothing lost. */
export async function idleRun(t: Test, svlogd: string, under: 'runsv' | 'runsvdir'): Promise<void> {
  const w = { lines: LINES, phases: KILLS + 1 };
  const { dir, main } = setup(t, svlogd, under, { kind: 'idle', ...w });
  const t0 = Date.now();
  const run = await killWhileIdle(dir, main, w);
  t.equal(new Set(run.pids).size, KILLS, `${KILLS} idle loggers killed, each one restarted`);
  const c = await waitAllLogged(dir, main, LINES);
  t.same(c.errors, [], 'every line at most once, in order, none mangled');
  t.same(c.gaps, [], 'no line lost');
  t.equal(c.lines, LINES, `all ${LINES} lines logged`);
  t.comment(`${who(svlogd)} under ${under}, ${KILLS} idle kills: ${LINES - c.lines} lines lost, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
