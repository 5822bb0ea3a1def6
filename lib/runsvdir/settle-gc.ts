// One memory-reducing collection once a burst of service starts has settled, in
// place of V8's memory reducer, which the daemons run without
// (--no-memory-reducer in bin/runsvdir, bin/runsv): that reducer collects some
// 8 s after a full GC and again while the heap keeps shrinking, tens of wake-ups
// of an otherwise idle daemon, and until it runs the start-up garbage and the
// young generation's second semi-space stay: the peak a small machine must have
// room for. V8's LowMemoryNotification (native) returns those pages; where this
// Node's V8 lacks it, a plain gc() (--expose-gc) still frees the garbage.
import { lowMemoryNotification } from '../native';

const SETTLE_MS = 500;

let timer: NodeJS.Timeout | undefined;

function collect(): void {
  if (lowMemoryNotification()) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/** Called at the end of a burst of work: collects once, SETTLE_MS after the last call. */
export function collectWhenSettled(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    collect();
  }, SETTLE_MS);
  // never the reason the daemon stays up
  timer.unref();
}
