// What happens after a run ends, for services with backoff-max or
// maintenance-after (docs/lifecycle.md). Pure: the supervisor keeps the history
// and applies the answer. Without either file runit's rule stands: a run that
// lived less than a second is followed by a one-second pause, forever.

/** runsv's throttle: a run shorter than this is a fast failure, and the first pause */
export const FAST_MS = 1000;

export interface RestartHistory {
  /** fast failures in a row */
  fast: number;
  /** when each of the recent fast failures ended (monotonic ms), oldest first */
  fastEnds: number[];
}

export interface RestartPolicy {
  backoffMax?: number;
  maintenanceAfter?: number;
  maintenanceWindow: number;
}

export type Decision = { pauseMs: number; maintenance: false } | { pauseMs: 0; maintenance: true; reason: string };

export function newHistory(): RestartHistory {
  return { fast: 0, fastEnds: [] };
}

/**
 * A run that started at `startedMs` ended at `endedMs`: updates `h` and says how
 * long to pause before the next start, or that the service goes to maintenance.
 */
export function afterRun(h: RestartHistory, policy: RestartPolicy, startedMs: number, endedMs: number): Decision {
  if (endedMs - startedMs >= FAST_MS) {
    h.fast = 0;
    h.fastEnds = [];
    return { pauseMs: 0, maintenance: false };
  }
  h.fast++;
  const limit = policy.maintenanceAfter;
  if (limit !== undefined) {
    h.fastEnds.push(endedMs);
    // only the last `limit` matter
    if (h.fastEnds.length > limit) h.fastEnds.splice(0, h.fastEnds.length - limit);
    if (h.fastEnds.length >= limit && endedMs - h.fastEnds[0] <= policy.maintenanceWindow) {
      const reason = `${limit} fast failure${limit === 1 ? '' : 's'} within ${formatMs(policy.maintenanceWindow)}`;
      h.fast = 0;
      h.fastEnds = [];
      return { pauseMs: 0, maintenance: true, reason };
    }
  }
  return { pauseMs: backoffPause(h.fast, policy.backoffMax), maintenance: false };
}

/** The pause after the n-th fast failure in a row: 1 s, or 1, 2, 4 ... s up to the cap. */
export function backoffPause(n: number, cap: number | undefined): number {
  if (cap === undefined || n <= 1) return FAST_MS;
  // 2^30 s is far beyond any cap setTimeout accepts
  const pause = FAST_MS * 2 ** Math.min(n - 1, 30);
  return Math.max(FAST_MS, Math.min(pause, cap));
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
