// chpst's resource limits. runit keeps each as a C long: -2 = not given, -1 = "the
// hard limit" (softlimit's `=`), else the number. A scanned value is an unsigned long
// stored into that long, so 2^64-1 means "hard limit" and larger wrapped values that
// turn negative are silently not applied at all, as in runit.

export type LimitName = 'DATA' | 'STACK' | 'MEMLOCK' | 'AS' | 'NOFILE' | 'NPROC' | 'FSIZE' | 'CORE' | 'RSS' | 'CPU';

/** The order in which runit applies them. */
export const LIMIT_ORDER: readonly LimitName[] = ['DATA', 'STACK', 'MEMLOCK', 'AS', 'NOFILE', 'NPROC', 'FSIZE', 'CORE', 'RSS', 'CPU'];

export const UNSET = -2n;
export const HARD = -1n;

export type LimitValues = Record<LimitName, bigint>;

export function noLimits(): LimitValues {
  const v = {} as LimitValues;
  for (const n of LIMIT_ORDER) v[n] = UNSET;
  return v;
}

/** The limits to set, in order, leaving out those runit would skip. */
export function limitsToApply(v: LimitValues): { name: LimitName; value: bigint }[] {
  return LIMIT_ORDER.filter((n) => v[n] >= HARD).map((n) => ({ name: n, value: v[n] }));
}

/**
 * The new soft limit: the requested value, or the hard limit if the request is "hard"
 * or exceeds it. Numbers are JS numbers because that is what lib/native takes
 * (Infinity = RLIM_INFINITY); values above 2^53 lose their lowest bits there.
 */
export function newSoft(value: bigint, hard: number): number {
  if (value < 0n) return hard;
  if (hard !== Infinity && value > BigInt(hard)) return hard;
  return Number(value);
}
