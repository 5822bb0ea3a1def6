// supervise/lifecycle: what runit's 20 status bytes have no room for (readiness,
// maintenance), as one small JSON object. Written only for services that use a
// lifecycle file or entered maintenance, so a plain runit folder looks exactly as
// under runit. Written to lifecycle.new and renamed, like status.
import { readFileSync, statSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const LIFECYCLE_FILE = 'lifecycle';

export interface LifecycleRecord {
  /** the run the readiness facts are about (0: none) */
  pid: number;
  /** how the service says it is ready: null when it has no way (ready = running) */
  method: 'notification-fd' | 'notify-socket' | null;
  ready: boolean;
  /** unix seconds (ms precision) when it became ready */
  readySince: number | null;
  maintenance: boolean;
  maintenanceReason: string | null;
}

/** Writes records one at a time; only the newest pending record is written next. */
export class LifecycleWriter {
  private pending: LifecycleRecord | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly superviseDir: string,
    private readonly warn: (msg: string) => void,
  ) {}

  write(rec: LifecycleRecord): void {
    this.pending = { ...rec };
    if (!this.running) this.running = this.loop();
  }

  /** Resolves once everything asked so far is on disk (or failed). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    while (this.pending) {
      const rec = this.pending;
      this.pending = null;
      const file = path.join(this.superviseDir, LIFECYCLE_FILE);
      try {
        await fsp.writeFile(file + '.new', JSON.stringify(rec) + '\n', { mode: 0o644 });
        await fsp.rename(file + '.new', file);
      } catch (err) {
        this.warn(`unable to write supervise/${LIFECYCLE_FILE}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    this.running = null;
  }
}

/** The record in `superviseDir`, or null when there is none or it cannot be read. For sv. */
export function readLifecycleRecord(superviseDir: string): LifecycleRecord | null {
  const file = path.join(superviseDir, LIFECYCLE_FILE);
  try {
    // the common case is no file: no exception built for it (sv status of 1000 services)
    if (statSync(file, { throwIfNoEntry: false }) === undefined) return null;
    return parseLifecycleRecord(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The same, without blocking: for the daemon. */
export async function loadLifecycleRecord(superviseDir: string): Promise<LifecycleRecord | null> {
  try {
    return parseLifecycleRecord(await fsp.readFile(path.join(superviseDir, LIFECYCLE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

function parseLifecycleRecord(text: string): LifecycleRecord | null {
  try {
    const rec = JSON.parse(text) as Partial<LifecycleRecord>;
    if (typeof rec !== 'object' || rec === null || typeof rec.pid !== 'number') return null;
    return {
      pid: rec.pid,
      method: rec.method === 'notification-fd' || rec.method === 'notify-socket' ? rec.method : null,
      ready: rec.ready === true,
      readySince: typeof rec.readySince === 'number' ? rec.readySince : null,
      maintenance: rec.maintenance === true,
      maintenanceReason: typeof rec.maintenanceReason === 'string' ? rec.maintenanceReason : null,
    };
  } catch {
    return null;
  }
}

/** Removes a record left from a configuration that has no lifecycle file any more. */
export async function removeLifecycleRecord(superviseDir: string): Promise<void> {
  // one unlink (rm would stat first): done for every plain service at setup
  await fsp.unlink(path.join(superviseDir, LIFECYCLE_FILE)).catch(() => undefined);
}
