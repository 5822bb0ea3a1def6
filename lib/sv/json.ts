// `sv --json status` (or `sv status --json`): the facts of a status line as one
// JSON object per service and line, for tools. Same reads, same exit code as
// the text form; runit's quirks that only make sense as text (the bogus log line
// after an unreadable log/supervise, the stderr ./down warning) become fields.
import { readLifecycleRecord } from '../supervise/lifecycle-record';
import { STATUS_OFFSET, SUPERVISE_FILES, decodeStatus } from '../supervise/status';
import { errorText } from '../errstr';
import { enterLog, normallyUp, probeStatus } from './read';
import { statusAge, statusPid } from './statusline';

export interface JsonStatus {
  /** the argument as typed ("log" for the log part) */
  service: string;
  /** "down" | "run" | "finish"; null for an unknown state byte */
  state?: string | null;
  /** the run or finish process, null when none */
  pid?: number | null;
  /** seconds in this state, as the status line's `Ns` */
  seconds?: number;
  /** unix time (seconds, microsecond precision) the state began */
  since?: number;
  /** no ./down file; null when ./down could not be checked */
  normallyUp?: boolean | null;
  paused?: boolean;
  /** "up" or "down" (exit is recorded as down); null for an unknown byte */
  want?: string | null;
  gotTerm?: boolean;
  /** ready (docs/lifecycle.md): said so through its readiness file; without one, while it runs */
  ready?: boolean;
  /** unix time it became ready, null when not ready */
  readySince?: number | null;
  /** taken out of rotation after repeated fast failures, until sv up */
  maintenance?: boolean;
  maintenanceReason?: string | null;
  /** the log service; null when there is none */
  log?: JsonStatus | null;
  /** set instead of the facts when they could not be read: runit's message text */
  error?: string;
  /** "fail" (e.g. runsv not running) or "warning" (e.g. no supervise/ folder) */
  level?: 'fail' | 'warning';
}

const STATES = ['down', 'run', 'finish'];

function facts(service: string, buf: Buffer, nowTai: bigint): JsonStatus {
  const rec = decodeStatus(buf);
  const up = normallyUp();
  const want = buf[STATUS_OFFSET.want];
  const pid = statusPid(buf);
  return {
    service,
    state: STATES[buf[STATUS_OFFSET.state]] ?? null,
    pid: pid || null,
    seconds: Number(statusAge(buf, nowTai)),
    since: rec.time.sec + Math.floor(rec.time.nsec / 1000) / 1e6,
    normallyUp: typeof up === 'boolean' ? up : null,
    paused: rec.paused,
    want: want === 0x75 ? 'up' : want === 0x64 ? 'down' : null,
    gotTerm: rec.termSent,
  };
}

function lifecycleFacts(f: JsonStatus): Pick<JsonStatus, 'ready' | 'readySince' | 'maintenance' | 'maintenanceReason'> {
  const rec = readLifecycleRecord(SUPERVISE_FILES.dir);
  const maintenance = { maintenance: rec?.maintenance ?? false, maintenanceReason: rec?.maintenanceReason ?? null };
  if (rec && rec.method !== null) {
    const ready = rec.ready && rec.pid === f.pid && f.state === 'run';
    return { ready, readySince: ready ? rec.readySince : null, ...maintenance };
  }
  const running = f.state === 'run';
  return { ready: running, readySince: running ? (f.since ?? null) : null, ...maintenance };
}

/** Reads the service in the current directory (and its log/). `fails` counts as runit's rc does. */
export function jsonStatus(
  service: string,
  nowTai: bigint,
  buf: Buffer,
): { line: string; fails: number; lsbCode: number | null } {
  let fails = 0;
  const probe = probeStatus(buf);
  if (probe.r !== 1) {
    fails++;
    const error = probe.r === 0 ? 'runsv not running' : probe.msg + (probe.err !== undefined ? ': ' + errorText(probe.err) : '');
    const level = probe.r === 0 ? 'fail' : 'warning';
    return { line: JSON.stringify({ service, error, level }), fails, lsbCode: probe.r === 0 ? null : 4 };
  }
  const main = facts(service, buf, nowTai);
  Object.assign(main, lifecycleFacts(main));
  const lsbCode = main.normallyUp === null ? 4 : main.pid ? 0 : 3;
  const log = enterLog();
  if (log === 'none') main.log = null;
  if (log !== 'ok') {
    if (log !== 'none') {
      fails++;
      main.log = { service: 'log', error: 'unable to change directory: ' + errorText(log.err), level: 'warning' };
    }
    return { line: JSON.stringify(main), fails, lsbCode };
  }
  const lp = probeStatus(buf);
  if (lp.r === 1) main.log = facts('log', buf, nowTai);
  else {
    fails++;
    const error = lp.r === 0 ? 'runsv not running' : lp.msg + (lp.err !== undefined ? ': ' + errorText(lp.err) : '');
    main.log = { service: 'log', error, level: lp.r === 0 ? 'fail' : 'warning' };
  }
  return { line: JSON.stringify(main), fails, lsbCode };
}
