// daemontools' tai64nlocal prints `localtime()` of a label as
// `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`. glibc's localtime works for any year whose
// `tm_year` fits an int; JavaScript's Date only covers +-8.64e12 s. Outside that,
// the instant is moved by whole 400-year Gregorian cycles (which repeat weekdays
// and leap days exactly) into Date's range and the years are added back, so the
// time-zone rules (the POSIX rule for the far future, the first type for the far
// past) are applied the way glibc applies them.

const CYCLE_SEC = 12622780800n; // 146097 days
const CYCLE_YEARS = 400;
const SAFE_SEC = 8_000_000_000_000n;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export interface LocalFields {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Broken-down local time of unix seconds, or null where glibc's localtime fails (tm_year overflows an int). */
export function localFields(secs: bigint): LocalFields | null {
  let shifted = secs;
  let yearAdd = 0;
  if (secs > SAFE_SEC || secs < -SAFE_SEC) {
    const sign = secs > 0n ? 1n : -1n;
    const excess = secs * sign - SAFE_SEC;
    const k = (excess + CYCLE_SEC - 1n) / CYCLE_SEC;
    shifted = secs - sign * k * CYCLE_SEC;
    yearAdd = Number(sign * k) * CYCLE_YEARS;
  }
  const d = new Date(Number(shifted) * 1000);
  const year = d.getFullYear() + yearAdd;
  const tmYear = year - 1900;
  if (tmYear < INT_MIN || tmYear > INT_MAX) return null;
  return { year, month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * The year as fmt_ulong(1900 + tm_year) prints it: the sum is an int, so it wraps
 * to 32 bits, and a negative int becomes a huge unsigned long.
 */
function yearText(year: number): string {
  const asInt = year | 0;
  return asInt >= 0 ? String(asInt) : String(18446744073709551616n + BigInt(asInt));
}

let cacheSecs: bigint | null = null;
let cacheText: string | null = null;

/** `YYYY-MM-DD HH:MM:SS` of unix seconds in local time; null where tai64nlocal would crash. */
export function formatLocalSeconds(secs: bigint): string | null {
  // consecutive log lines mostly share their second
  if (secs === cacheSecs) return cacheText;
  const f = localFields(secs);
  const text = f && `${yearText(f.year)}-${two(f.month)}-${two(f.day)} ${two(f.hour)}:${two(f.minute)}:${two(f.second)}`;
  cacheSecs = secs;
  cacheText = text;
  return text;
}

/** fmt_uint0(n, 9): at least 9 digits (a 32-bit nanosecond field can have 10). */
export function nanosText(nsec: number): string {
  const s = String(nsec);
  return s.length >= 9 ? s : '000000000'.slice(s.length) + s;
}
