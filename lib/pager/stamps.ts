// Times of log lines and of the user's --since/--until arguments, as unix
// milliseconds (a double: exact to well below a microsecond for our era).
//
// A line's time comes from the stamp svlogd put at its start:
//   -t    @ + 24 lowercase hex digits (TAI64N)
//   -tt   YYYY-MM-DD_HH:MM:SS.xxxxx   (UTC)
//   -ttt  YYYY-MM-DDTHH:MM:SS.xxxxx   (UTC)

const TWO32 = 4294967296;

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function hex8(buf: Buffer, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const h = hexVal(buf[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/** Unix ms of the TAI64N label `@` + 24 hex digits at `at`, or null. */
export function labelTimeMs(buf: Buffer, at = 0): number | null {
  if (buf.length < at + 25 || buf[at] !== 0x40) return null;
  const hi = hex8(buf, at + 1);
  const lo = hex8(buf, at + 9);
  const ns = hex8(buf, at + 17);
  if (hi < 0 || lo < 0 || ns < 0) return null;
  const secs = (hi - 0x40000000) * TWO32 + lo - 10;
  return secs * 1000 + ns / 1e6;
}

function digits(buf: Buffer, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = buf[i] - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Unix ms of a -tt / -ttt stamp at the start of `buf`, or null. */
export function isoStampMs(buf: Buffer): number | null {
  if (buf.length < 25) return null;
  if (buf[4] !== 0x2d || buf[7] !== 0x2d || (buf[10] !== 0x5f && buf[10] !== 0x54)) return null;
  if (buf[13] !== 0x3a || buf[16] !== 0x3a || buf[19] !== 0x2e) return null;
  const y = digits(buf, 0, 4);
  const mo = digits(buf, 5, 2);
  const d = digits(buf, 8, 2);
  const h = digits(buf, 11, 2);
  const mi = digits(buf, 14, 2);
  const s = digits(buf, 17, 2);
  const frac = digits(buf, 20, 5);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || frac < 0) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s) + frac / 100;
}

/** The time of a log line from its leading stamp, or null if it has none. */
export function lineTimeMs(line: Buffer): number | null {
  if (line.length === 0) return null;
  if (line[0] === 0x40) return labelTimeMs(line, 0);
  if (line[0] >= 0x30 && line[0] <= 0x39) return isoStampMs(line);
  return null;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000 };
const RELATIVE = /^-(\d+(?:\.\d+)?)([smhdw])$/;
const ABSOLUTE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T_](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z)?$/;

/**
 * --since/--until: `now`, relative `-30s` `-10m` `-2h` `-1d` `-1w`, local
 * `YYYY-MM-DD[( |T|_)HH:MM[:SS[.frac]]]` (a trailing Z means UTC), or a TAI64N
 * label. Null if the text is none of these or names a day that does not exist.
 */
export function parseTimeArg(text: string, nowMs: number): number | null {
  if (text === 'now') return nowMs;
  const rel = RELATIVE.exec(text);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2]];
  if (/^@[0-9a-f]{24}$/.test(text)) return labelTimeMs(Buffer.from(text, 'latin1'));
  const m = ABSOLUTE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const fracMs = m[7] === undefined ? 0 : Number('0.' + m[7]) * 1000;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
  // Date rolls 2026-02-31 over into March: refuse instead
  const check = m[8] ? new Date(Date.UTC(y, mo - 1, d)) : new Date(y, mo - 1, d, 12);
  const [cy, cm, cd] = m[8] ? [check.getUTCFullYear(), check.getUTCMonth(), check.getUTCDate()] : [check.getFullYear(), check.getMonth(), check.getDate()];
  if (cy !== y || cm !== mo - 1 || cd !== d) return null;
  const base = m[8] ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return base + fracMs;
}
