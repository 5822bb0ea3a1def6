// Line timestamps: -t (TAI64N label), -tt (YYYY-MM-DD_HH:MM:SS.fffff) and -ttt
// (YYYY-MM-DDTHH:MM:SS.fffff), each 25 bytes plus a space, as runit writes them.
import { encodeTai64n, fromMicros, TaiTime } from '../tai64';

export const STAMP_LEN = 26;

// The monotonic clock has microseconds but does not see wall-clock steps; Date.now()
// follows them but has milliseconds. Use the first, re-anchored to the second
// whenever they drift apart by more than 2 ms. process.hrtime, not performance.now():
// the global `performance` loads perf_hooks, milliseconds on a new logger's start.
function monoMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}

let offsetMs = Date.now() - monoMs();

/** Wall-clock microseconds since the epoch. */
export function wallMicros(): number {
  const perf = monoMs();
  const wall = Date.now();
  let t = offsetMs + perf;
  if (Math.abs(t - wall) > 2) {
    offsetMs = wall - perf;
    t = wall;
  }
  return Math.floor(t * 1000);
}

/** The time as runit takes it (gettimeofday; nanoseconds = usec*1000+500). */
export function stampNow(): TaiTime {
  return fromMicros(wallMicros());
}

const HEX = '0123456789abcdef';
const tai = Buffer.alloc(12);

let cachedSec = -1;
let cachedKind = 0;
const cachedDate = Buffer.alloc(20);

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * Writes the 26-byte stamp of `kind` (1 = -t, 2 = -tt, 3 = -ttt) for `t` into `out`.
 */
export function formatStamp(kind: number, t: TaiTime, out: Buffer, offset = 0): void {
  if (kind === 1) {
    encodeTai64n(t, tai);
    out[offset] = 0x40;
    for (let i = 0; i < 12; i++) {
      const b = tai[i];
      out[offset + 1 + 2 * i] = HEX.charCodeAt(b >> 4);
      out[offset + 2 + 2 * i] = HEX.charCodeAt(b & 15);
    }
    out[offset + 25] = 0x20;
    return;
  }
  if (t.sec !== cachedSec || kind !== cachedKind) {
    const d = new Date(t.sec * 1000);
    const s =
      String(d.getUTCFullYear()).padStart(4, '0') +
      '-' +
      pad2(d.getUTCMonth() + 1) +
      '-' +
      pad2(d.getUTCDate()) +
      (kind === 2 ? '_' : 'T') +
      pad2(d.getUTCHours()) +
      ':' +
      pad2(d.getUTCMinutes()) +
      ':' +
      pad2(d.getUTCSeconds()) +
      '.';
    cachedDate.write(s, 'latin1');
    cachedSec = t.sec;
    cachedKind = kind;
  }
  cachedDate.copy(out, offset, 0, 20);
  // the first 5 of the 9 nanosecond digits, truncated
  let frac = Math.floor(t.nsec / 10000);
  for (let i = 24; i >= 20; i--) {
    out[offset + i] = 48 + (frac % 10);
    frac = Math.floor(frac / 10);
  }
  out[offset + 25] = 0x20;
}
