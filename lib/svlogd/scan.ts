// djb's scan_ulong: leading decimal digits, no sign, no whitespace; returns the
// value and how many bytes were used (0 when the string does not start with a digit).

export function scanUlong(s: string, from = 0): { value: number; used: number } {
  let value = 0;
  let i = from;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    // runit wraps modulo 2^64; numbers that large make no sense in a log config,
    // so saturate instead of reproducing the wrap.
    value = Math.min(value * 10 + (c - 48), Number.MAX_SAFE_INTEGER);
    i++;
  }
  return { value, used: i - from };
}

/** djb's ip4_scan: four dot-separated decimals (each wrapped to a byte, as djb stores them). */
export function scanIp4(s: string, from = 0): { ip: string; used: number } | null {
  const parts: number[] = [];
  let i = from;
  for (let k = 0; k < 4; k++) {
    const { value, used } = scanUlong(s, i);
    if (used === 0) return null;
    parts.push(value & 0xff);
    i += used;
    if (k < 3) {
      if (s[i] !== '.') return null;
      i++;
    }
  }
  return { ip: parts.join('.'), used: i - from };
}
