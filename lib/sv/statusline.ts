// The status line of `sv status` and of ok:/timeout: lines, built from the raw
// 20 status bytes exactly as runit does (it looks at raw bytes: a want byte that
// is neither 'u' nor 'd' prints no want, a state byte above 2 prints no state).
import { STATUS_OFFSET, statusTaiSeconds } from '../supervise/status';

const STATE_WORD: Record<number, string> = { 0: 'down: ', 1: 'run: ', 2: 'finish: ' };
const U = 0x75;
const D = 0x64;

/** TAI64 seconds of a unix time, as runit's clocks count (2^62 + 10 + unix). */
export function taiSeconds(unixSec: number): bigint {
  return 0x4000000000000000n + 10n + BigInt(unixSec);
}

export function statusPid(buf: Buffer): number {
  return buf.readUInt32LE(STATUS_OFFSET.pid);
}

/** Seconds since the status was written, never negative, exact as an unsigned long. */
export function statusAge(buf: Buffer, nowTai: bigint): bigint {
  const t = statusTaiSeconds(buf);
  return nowTai < t ? 0n : nowTai - t;
}

/**
 * `<state>: <name>: [(pid N) ]<secs>s[, normally down][, normally up][, paused]
 * [, want up][, want down][, got TERM]`, without a newline. `code` is what runit's
 * svstatus_print returns: 1 with a process, 2 without.
 */
export function formatStatusLine(buf: Buffer, name: string, nowTai: bigint, normallyUp: boolean): { text: string; code: 1 | 2 } {
  const pid = statusPid(buf);
  const state = buf[STATUS_OFFSET.state];
  let s = (STATE_WORD[state] ?? '') + name + ': ';
  // runit holds the pid in a signed int and prints it as an unsigned long
  if (state !== 0) s += `(pid ${pid < 0x80000000 ? pid : (0x10000000000000000n - BigInt(0x100000000 - pid)).toString()}) `;
  s += statusAge(buf, nowTai).toString() + 's';
  if (pid && !normallyUp) s += ', normally down';
  if (!pid && normallyUp) s += ', normally up';
  if (pid && buf[STATUS_OFFSET.paused]) s += ', paused';
  if (!pid && buf[STATUS_OFFSET.want] === U) s += ', want up';
  if (pid && buf[STATUS_OFFSET.want] === D) s += ', want down';
  if (pid && buf[STATUS_OFFSET.termSent]) s += ', got TERM';
  return { text: s, code: pid ? 1 : 2 };
}
