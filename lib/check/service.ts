// Lints one service folder the way runsv will use it: the scripts it runs, the
// files that change its behaviour (down, log/, control/, check), and the
// permissions that decide who else can control it.
import { existsSync, readdirSync, readFileSync, Stats, statSync } from 'node:fs';
import * as path from 'node:path';
import { INLINE_RUN_MAX, inlineLogVerdict } from '../runsv/inline-log';
import { LIFECYCLE_FILES, parseNumber, parseSignal } from '../runsv/lifecycle-files';
import type { Finding } from './findings';
import { checkScript, lstatSafe, othersCanWrite } from './script';

/** The control bytes runsv acts on, each of which may have a control/X script. */
const CONTROL_BYTES = 'udoxtkpchaiq12';

export function checkService(dir: string): Finding[] {
  const out: Finding[] = [];
  const at = (rel: string) => (rel === '' ? dir : path.join(dir, rel));
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (err) {
    return [{ level: 'error', path: dir, message: `cannot be read (${(err as NodeJS.ErrnoException).code})` }];
  }
  if (!st.isDirectory()) return [{ level: 'error', path: dir, message: 'is not a folder' }];
  if (path.basename(path.resolve(dir)).startsWith('.')) out.push({ level: 'notice', path: dir, message: 'runsvdir ignores folders whose name starts with a dot' });
  if (othersCanWrite(st)) out.push({ level: 'error', path: dir, message: 'is writable by others: any user can replace its scripts' });

  const noRun = looksLikeScanDir(dir) ? 'does not exist: this looks like a scan folder (runitd check --scandir)' : 'does not exist: nothing to start';
  out.push(...checkScript(at('run'), at('run'), 'error', 'error', noRun));
  out.push(...checkScript(at('finish'), at('finish'), null, 'warning'));
  out.push(...checkScript(at('check'), at('check'), null, 'warning'));
  if (existsSync(at('down'))) out.push({ level: 'notice', path: at('down'), message: 'the service is normally down: it does not start with the daemon (sv up or sv once start it)' });
  out.push(...checkControlDir(at('control')));
  out.push(...checkSupervise(at('supervise')));
  out.push(...checkLifecycleFiles(dir));

  const log = lstatSafe(at('log'));
  if (log) {
    if (!statSafe(at('log'))?.isDirectory()) out.push({ level: 'warning', path: at('log'), message: 'is not a folder: no log service' });
    else out.push(...checkLog(at('log')));
  }
  return out;
}

function checkLog(log: string): Finding[] {
  const run = path.join(log, 'run');
  const out = checkScript(run, run, 'error', 'error', 'does not exist: the service\'s output has no reader');
  out.push(...checkScript(path.join(log, 'finish'), path.join(log, 'finish'), null, 'warning'));
  if (existsSync(path.join(log, 'down'))) out.push({ level: 'notice', path: path.join(log, 'down'), message: 'the log service is normally down: the service blocks once the pipe is full' });
  out.push(...checkControlDir(path.join(log, 'control')));
  out.push(...checkSupervise(path.join(log, 'supervise')));
  if (out.some((f) => f.level === 'error' && f.path === run)) return out;
  out.push(...inlineFindings(log));
  return out;
}

/** Whether the daemon runs log/run's svlogd in-process, and if not, why (the rules of lib/runsv/inline-log.ts). */
function inlineFindings(log: string): Finding[] {
  const run = path.join(log, 'run');
  const asProcess = (why: string): Finding[] => [{ level: 'notice', path: run, message: `started as a process, not run in the daemon: ${why}` }];
  const flag = readSafe(path.join(log, 'inline'));
  if (flag !== null && flag.trim() === 'no') return asProcess('log/inline says no');
  const st = statSafe(run);
  if (!st) return [];
  if (st.size > INLINE_RUN_MAX) return asProcess(`it is larger than ${INLINE_RUN_MAX} bytes`);
  const v = inlineLogVerdict(readFileSync(run, 'latin1'));
  if ('why' in v) return asProcess(v.why);
  const out: Finding[] = [];
  for (const d of v.plan.dirs) {
    const abs = path.resolve(log, d);
    const made = v.plan.mkdirs.some((m) => path.resolve(log, m) === abs);
    if (!made && !statSafe(abs)?.isDirectory()) out.push({ level: 'warning', path: run, message: `its log folder ${d} does not exist (svlogd does not make it; add mkdir -p ${d})` });
  }
  return out;
}

/** The files of docs/lifecycle.md, judged by the daemon's own parsers: a value it would ignore is a warning. */
function checkLifecycleFiles(dir: string): Finding[] {
  const out: Finding[] = [];
  for (const name of LIFECYCLE_FILES) {
    if (name === 'notify-socket' || name === 'stop-group') continue;
    const file = path.join(dir, name);
    const text = readSafe(file);
    if (text === null) continue;
    const r = name === 'down-signal' ? parseSignal(text) : parseNumber(name, text);
    if (!r.ok) out.push({ level: 'warning', path: file, message: `ignored by the daemon: ${r.why}${text.trim() ? ': ' + text.trim() : ''}` });
  }
  if (readSafe(path.join(dir, 'maintenance-window')) !== null && readSafe(path.join(dir, 'maintenance-after')) === null) {
    out.push({ level: 'notice', path: path.join(dir, 'maintenance-window'), message: 'has no effect without maintenance-after' });
  }
  return out;
}

function checkControlDir(control: string): Finding[] {
  if (!statSafe(control)?.isDirectory()) return [];
  const out: Finding[] = [];
  for (const name of readdirSync(control).sort()) {
    const file = path.join(control, name);
    if (name.length !== 1 || !CONTROL_BYTES.includes(name)) {
      out.push({ level: 'notice', path: file, message: `never run: not a control character (${CONTROL_BYTES.split('').join(' ')})` });
      continue;
    }
    out.push(...checkScript(file, file, null, 'warning'));
  }
  return out;
}

/** supervise/ and its control FIFO: who can start, stop and signal the service. */
function checkSupervise(supervise: string): Finding[] {
  const l = lstatSafe(supervise);
  if (!l) return [];
  const st = statSafe(supervise);
  if (!st) return [{ level: 'warning', path: supervise, message: 'is a symbolic link to nothing: its target folder is made at start, its parent must exist' }];
  if (!st.isDirectory()) return [{ level: 'error', path: supervise, message: 'is not a folder: the service cannot be supervised' }];
  const out: Finding[] = [];
  if (othersCanWrite(st)) out.push({ level: 'error', path: supervise, message: 'is writable by others: any user can replace its control FIFO' });
  for (const fifo of ['control', 'ok']) {
    const f = path.join(supervise, fifo);
    const fst = lstatSafe(f);
    if (!fst) continue;
    if (!fst.isFIFO()) out.push({ level: 'error', path: f, message: 'exists but is not a FIFO' });
    else if (fifo === 'control' && othersCanWrite(fst)) out.push({ level: 'error', path: f, message: 'is writable by others: any user can stop, start or signal the service' });
  }
  return out;
}

/** A folder holding no run but service folders: a scan folder given by mistake. */
function looksLikeScanDir(dir: string): boolean {
  try {
    return readdirSync(dir).some((e) => !e.startsWith('.') && existsSync(path.join(dir, e, 'run')));
  } catch {
    return false;
  }
}

function statSafe(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function readSafe(p: string): string | null {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return null;
  }
}
