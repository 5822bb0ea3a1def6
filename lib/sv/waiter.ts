// How sv's wait loop sleeps. runit checks every 0.42 s; we wake when a watched
// supervise/ folder changes (runsv renames status.new over status on every
// state change), then re-check a few times shortly after, because some
// awaited facts leave no trace in the folder: runsv exiting (`sv -v exit`) only
// closes the ok FIFO, and it does so just after its last status write. A slow
// poll remains as the fallback for everything else (a ./check script becoming
// ready, a supervisor that died, a watch that could not be set up).
import { FSWatcher, watch } from 'node:fs';

/** Re-checks after a change, in ms after the previous check. */
const BURST = [10, 30, 60, 120, 250];
/** Gathers the several renames of one status update into one wake-up. */
const COALESCE_MS = 2;

export class ChangeWaiter {
  private readonly watchers = new Map<string, FSWatcher[]>();
  private changed = false;
  private burstStep = BURST.length;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** set when some folder could not be watched: the caller should poll like runit */
  watchFailed = false;

  /** Watches `dirs` on behalf of `key` (a service); folders that do not exist are skipped. */
  watch(key: string, dirs: string[]): void {
    const list: FSWatcher[] = [];
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, () => this.onChange());
        w.on('error', () => {
          // the folder vanished or the watch broke: the next poll sees why
          w.close();
          this.onChange();
        });
        list.push(w);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.watchFailed = true;
      }
    }
    this.watchers.set(key, list);
  }

  unwatch(key: string): void {
    for (const w of this.watchers.get(key) ?? []) w.close();
    this.watchers.delete(key);
  }

  private onChange(): void {
    this.changed = true;
    this.burstStep = 0;
    if (this.wake) this.arm(COALESCE_MS);
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const w = this.wake;
      this.wake = null;
      this.changed = false;
      w?.();
    }, ms);
  }

  /**
   * Resolves at the next change (or a re-check after one), after `slowPollMs`, or
   * after `maxMs`. A `slowPollMs` below the re-check steps wins over them.
   */
  wait(maxMs: number, slowPollMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      let ms: number;
      if (this.changed) ms = COALESCE_MS;
      else if (this.burstStep < BURST.length) ms = Math.min(BURST[this.burstStep++], slowPollMs);
      else ms = slowPollMs;
      this.arm(Math.max(0, Math.min(ms, maxMs)));
    });
  }

  close(): void {
    for (const key of [...this.watchers.keys()]) this.unwatch(key);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
