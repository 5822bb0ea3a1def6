// One full garbage collection once a burst of service starts has settled. V8
// otherwise keeps the start-up garbage until its memory reducer runs on an idle
// heap, 10-60 s later: the peak a small machine must have room for. Needs
// --expose-gc (bin/runsvdir, bin/runsv); without it this does nothing.
const SETTLE_MS = 500;

let timer: NodeJS.Timeout | undefined;

/** Called at the end of a burst of work: collects once, SETTLE_MS after the last call. */
export function collectWhenSettled(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    gc();
  }, SETTLE_MS);
  // never the reason the daemon stays up
  timer.unref();
}
