// Routes reaped children to whoever started them. One listener on the native
// reaper serves every supervised service of the process (runsv or runsvdir);
// exits of pids nobody registered (orphans, control scripts) are dropped here,
// except while a re-exec'd daemon takes its children over: then an exit may
// arrive before the service that owns it has found its pid in supervise/.
import { Exit, onExit } from '../native';

type Handler = (exit: Exit) => void;

const owners = new Map<number, Handler>();
let listening = false;
let unclaimed: Map<number, Exit> | null = null;
// while a re-exec is being prepared: exits are kept for the next image, not handled
let frozen: Exit[] | null = null;

function listen(): void {
  if (listening) return;
  onExit((exit) => {
    if (frozen) {
      frozen.push(exit);
      return;
    }
    const h = owners.get(exit.pid);
    if (h) {
      owners.delete(exit.pid);
      h(exit);
    } else unclaimed?.set(exit.pid, exit);
  });
  listening = true;
}

export function ownChild(pid: number, handler: Handler): void {
  listen();
  const early = unclaimed?.get(pid);
  if (early) {
    unclaimed!.delete(pid);
    // asynchronously, as any exit arrives
    setImmediate(() => handler(early));
    return;
  }
  owners.set(pid, handler);
}

/**
 * Keeps exits of unregistered pids until endTakeover(), for ownChild() to claim;
 * `handed` are the exits the previous image reaped but did not handle.
 */
export function beginTakeover(handed: readonly Exit[] = []): void {
  unclaimed = new Map(handed.map((e) => [e.pid, e]));
  listen();
}

/** An exit of `pid` reaped during a takeover and not claimed yet. */
export function hasUnclaimedExit(pid: number): boolean {
  return unclaimed?.has(pid) ?? false;
}

/** From now on exits are collected for the next image; returns them as they come. */
export function freezeExits(): Exit[] {
  listen();
  frozen ??= [];
  return frozen;
}

/** The re-exec failed: handle what came meanwhile and go on as before. */
export function thawExits(): void {
  const pending = frozen ?? [];
  frozen = null;
  for (const exit of pending) {
    const h = owners.get(exit.pid);
    if (h) {
      owners.delete(exit.pid);
      h(exit);
    }
  }
}

export function endTakeover(): void {
  unclaimed = null;
}
