// djb's scan_ulong: leading decimal digits only, no sign, no overflow check. The
// value wraps modulo 2^64 like the C unsigned long, so BigInt keeps it exact.

const MOD = 1n << 64n;

export interface Scanned {
  value: bigint;
  /** how many characters were digits */
  len: number;
}

export function scanUlong(s: string): Scanned {
  let value = 0n;
  let len = 0;
  while (len < s.length) {
    const d = s.charCodeAt(len) - 48;
    if (d < 0 || d > 9) break;
    value = (value * 10n + BigInt(d)) % MOD;
    len++;
  }
  return { value, len };
}

/** scan_ulong that must consume the whole string (chpst's limit and nice arguments). */
export function scanWhole(s: string): bigint | null {
  const r = scanUlong(s);
  return r.len === s.length ? r.value : null;
}

/** C's conversion of an unsigned long to a signed long. */
export function asLong(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
