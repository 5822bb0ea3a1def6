// One supervised service folder (./run, and log/run when log/ exists): what one
// runsv process is in runit, as an object, so one daemon can hold thousands.
// Events (control bytes, reaped children, throttle timers) go through one queue
// per service and are handled in order; a slow control/X script delays only its
// own service. The transitions themselves live in ./machine.ts.
import { close, constants, open, promises as fsp, writeSync } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { Exit, unwatchRead, watchRead } from '../native';
import { closeKept, forgetKept } from '../supervise/handover';
import { markCleanEnd, StatusWriter } from '../supervise/publish';
import { ensureSuperviseDir, openControl, openLock, openLogPipe, openOk, SetupError } from '../supervise/setup';
import { taiNow } from '../tai64';
import { findPrevious, Found, watchAdopted } from './adopt';
import { DOWN, dueToStart, FINISH, isCommand, newSlot, onControl, onReaped, Slot } from './machine';
import { Event, INLINE_PID, nowMs, ServiceProcesses, Side, SupervisorOptions, Which } from './service-processes';

export { SetupError };
export type { SupervisorOptions };

const FREEZE_WAIT_MS = 3000;

/** `p`, or nothing after `ms`. */
function within(ms: number, p: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}

// Whether /proc/self/fd/N reaches an open folder: once it did, it does for the
// rest of the process (procfs mounted stays); a no is asked again (it may be
// mounted later). The boot's first setup runs alone, so it asks for all.
let procFdWorks = false;
async function procFdUsable(viaFd: string): Promise<boolean> {
  if (!procFdWorks) procFdWorks = await fsp.access(viaFd).then(
    () => true,
    () => false,
  );
  return procFdWorks;
}

export class Supervisor extends ServiceProcesses {
  private dirFd?: number;
  /** resolves when the supervisor has exited (x / term() and everything down) */
  readonly exited: Promise<void>;
  private resolveExited!: () => void;
  /**
   * resolves once the first start is done (./run spawned, an in-process logger's
   * folders open): the garbage of a boot is made by then, and can be collected
   */
  readonly firstStarted: Promise<void>;
  private resolveFirstStarted?: () => void;
  private logClosing = false;
  private done = false;
  /** processes taken over from a previous daemon at start (main and log) */
  adopted = 0;
  private readonly queue: Event[] = [];
  private queueHead = 0;
  private draining = false;
  private drained?: () => void;
  /** exit events freeze() took out of the queue: handed over, or handled after a thaw */
  private unhandledExits: Event[] = [];

  private constructor(opts: SupervisorOptions) {
    super(opts);
    this.exited = new Promise((r) => (this.resolveExited = r));
    this.firstStarted = new Promise((r) => (this.resolveFirstStarted = r));
  }

  /** Sets up supervise/ (lock, FIFOs, status) and starts supervising. Throws SetupError on a fatal error. */
  static async start(opts: SupervisorOptions): Promise<Supervisor> {
    const sv = new Supervisor(opts);
    try {
      await sv.setup();
    } catch (err) {
      sv.closeAll();
      throw err;
    }
    sv.enqueue({ kind: 'tick' });
    return sv;
  }

  /** SIGTERM for runsv: the same as `x` written to the control FIFO. */
  term(): void {
    this.enqueue({ kind: 'control', which: 'main', byte: 'x' });
  }

  /** Past a stop deadline: KILL what still runs of the service (its group with stop-group) and its logger. */
  killNow(): void {
    if (this.main.slot.pid > 0) this.signalStop(this.main, 'SIGKILL');
    if (this.log && this.log.slot.pid !== INLINE_PID) this.signal(this.log.slot, 'SIGKILL');
  }

  // ------------------------------------------------------------ setup

  private async setup(): Promise<void> {
    try {
      // a plain fd (no FileHandle, whose machinery is a first-use cost and an object per service), closed by closeAll()
      this.dirFd = await new Promise<number>((resolve, reject) => open(this.dir, constants.O_RDONLY | constants.O_DIRECTORY, (err, fd) => (err ? reject(err) : resolve(fd))));
    } catch (err) {
      throw new SetupError(`unable to change to directory: ${errorText(err)}`);
    }
    const viaFd = `/proc/self/fd/${this.dirFd}`;
    if (await procFdUsable(viaFd)) this.base = viaFd;
    const dir = this.base;
    const now = taiNow();
    const t = nowMs();
    const exists = (p: string): Promise<boolean> => fsp.stat(p).then(
      () => true,
      () => false,
    );
    // independent looks, made at once (each is a threadpool round trip), taken in runsv's order
    const logDir = path.join(dir, 'log');
    const downP = exists(path.join(dir, 'down'));
    const logP = fsp.stat(logDir).then(
      (st) => st,
      (err: NodeJS.ErrnoException) => err,
    );
    const logDownP = exists(path.join(logDir, 'down'));
    const supP = ensureSuperviseDir(dir, './supervise');
    supP.catch(() => undefined);
    const mainSlot = newSlot(false, (await downP) ? 'down' : 'up', now, t);

    let logSlot: Slot | undefined;
    const logSt = await logP;
    if (!(logSt instanceof Error)) {
      if (logSt.isDirectory()) logSlot = newSlot(true, (await logDownP) ? 'down' : 'up', now, t);
      else this.warn('./log: not a directory.');
    } else if (logSt.code !== 'ENOENT') this.warn(`unable to stat() ./log: : ${errorText(logSt)}`);
    const sup = await supP;
    if (logSlot) {
      const fifo = await openLogPipe(sup, 'supervise');
      this.logPipe = [fifo.read, fifo.write];
    }

    this.main = { slot: mainSlot, dir: sup, writer: new StatusWriter(sup, 'supervise', (m) => this.warn(m)) };
    this.main.lock = await openLock(sup, 'supervise');

    if (logSlot) {
      const logSup = await ensureSuperviseDir(logDir, './log/supervise');
      this.log = { slot: logSlot, dir: logSup, writer: new StatusWriter(logSup, 'log/supervise', (m) => this.warn(m), false) };
      this.log.lock = await this.lockLog(logSup);
    }

    // under the locks: no other daemon supervises these folders now
    await this.adopt(this.main);
    if (this.log) await this.adopt(this.log);
    await this.loadLifecycle(true);
    if (this.lifecycle && this.main.slot.pid > 0) await this.lifecycle.adopt(this.main.slot.pid);

    await this.openControl(this.main, 'supervise');
    this.publish(this.main);
    if (this.log) {
      await this.openControl(this.log, 'log/supervise');
      this.publish(this.log);
    }
    this.main.ok = await openOk(sup, 'supervise');
    if (this.log) this.log.ok = await openOk(this.log.dir, 'log/supervise');
  }

  // What a previous daemon started and still runs is taken over, not started
  // twice; after a crash or a re-exec, what was asked of the service stays asked.
  private async adopt(side: Side): Promise<void> {
    let found: Found;
    try {
      found = await findPrevious(side.dir);
    } catch {
      return;
    }
    const s = side.slot;
    const w = found.wanted;
    if (w) {
      s.want = w.want === 'u' ? 'up' : 'down';
      s.paused = w.paused;
      if (w.state === DOWN) s.time = w.time;
    }
    const a = found.process;
    if (!a) return;
    s.state = a.state;
    s.pid = a.pid;
    s.startTicks = a.startTicks;
    if (a.status) {
      s.time = a.status.time;
      s.want = a.status.want === 'u' ? 'up' : 'down';
      s.paused = a.status.paused;
      s.termSent = a.status.termSent;
    }
    // the throttle counts from the real start
    s.startedMs = nowMs() - Math.max(0, Date.now() - (s.time.sec * 1000 + s.time.nsec / 1e6));
    this.adopted++;
    const which: Which = side === this.log ? 'log' : 'main';
    watchAdopted(a, (exit) => this.enqueue({ kind: 'exit', which, exit }));
  }

  // runsv waits for log/supervise/lock with a blocking flock; waiting here must
  // not stop the event loop, so poll for it instead.
  private async lockLog(logSup: string): Promise<number> {
    for (;;) {
      try {
        return await openLock(logSup, 'log/supervise');
      } catch (err) {
        if ((err as { code?: string }).code !== 'EWOULDBLOCK') throw err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async openControl(side: Side, label: string): Promise<void> {
    const fifo = await openControl(side.dir, label);
    const which: Which = side === this.main ? 'main' : 'log';
    const onData = (bytes: string): void => {
      // frozen for a re-exec: kept, and written back into the FIFO for the next image
      if (this.frozen) {
        side.held = (side.held ?? '') + bytes;
        return;
      }
      for (const byte of bytes) if (isCommand(byte, which === 'log')) this.enqueue({ kind: 'control', which, byte });
    };
    // never 'EOF': the daemon holds a write end
    const onEnd = (why: string): void => this.warn(`unable to read ${label}/control: ${errorText({ code: why })}`);
    // the watch owns the read end from now on; it is handed over at a re-exec all the same
    watchRead(fifo.read, onData, onEnd);
    side.control = fifo;
  }

  // ------------------------------------------------------------ the event queue

  protected enqueue(ev: Event): void {
    if (this.done) return;
    if (this.frozen) {
      // an adopted process's end (pidfd) while frozen: the next image finds it gone; a thaw handles it
      if (ev.kind === 'exit') this.unhandledExits.push(ev);
      return;
    }
    this.queue.push(ev);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    let handled = 0;
    while (this.queueHead < this.queue.length && !this.done && !this.frozen) {
      const ev = this.queue[this.queueHead++];
      try {
        await this.handle(ev);
        await this.tick();
      } catch (err) {
        // a bug or an unexpected error in one service must not stop its supervision
        this.warn(`internal error: ${(err as Error).stack ?? String(err)}`);
      } finally {
        this.forgetListing();
      }
      // let other services and I/O in between long bursts of control bytes
      if (++handled % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    this.queue.splice(0, this.queueHead);
    this.queueHead = 0;
    this.draining = false;
    this.drained?.();
    const first = this.resolveFirstStarted;
    if (first) {
      this.resolveFirstStarted = undefined;
      void Promise.resolve(this.inlineLogStarting).then(first);
    }
  }

  private side(which: Which): Side {
    return which === 'log' && this.log ? this.log : this.main;
  }

  private async handle(ev: Event): Promise<void> {
    if (ev.kind === 'tick') return;
    const side = this.side(ev.which);
    if (ev.kind === 'control') {
      if (side === this.main && (ev.byte === 'u' || ev.byte === 'o')) this.operatorStart(side);
      await this.run(side, onControl(side.slot, ev.byte));
      return;
    }
    const s = side.slot;
    // a child replaced after `k` (see machine.ts) is reaped as a stranger
    if (ev.exit.pid !== s.pid) return;
    const finishUsable = !s.isLog && s.state !== FINISH && (await this.finishUsable());
    const steps = onReaped(s, ev.exit.status, finishUsable, taiNow(), nowMs());
    if (side === this.main && this.lifecycle) this.afterReap(side, ev.exit.pid);
    await this.run(side, steps);
  }

  // The top of runsv's loop: start what should run, then see whether to exit.
  private async tick(): Promise<void> {
    const t = nowMs();
    if (this.log && dueToStart(this.log.slot, t)) await this.startLog(this.log);
    if (dueToStart(this.main.slot, t)) {
      if (this.main.slot.state === FINISH) await this.startFinish(this.main);
      else await this.startRun(this.main);
    }
    for (const side of [this.log, this.main]) if (side) this.armThrottle(side);
    this.checkExit();
  }

  private armThrottle(side: Side): void {
    const s = side.slot;
    if (s.throttleUntil === 0 || side.timer || s.pid !== 0) return;
    if (!(s.want === 'up' || s.startRequested || s.state === FINISH)) return;
    const wait = s.throttleUntil - nowMs();
    // The second may have ended between tick()'s look at the clock and this one:
    // then the next tick must start the service, not wait for another event.
    if (wait <= 0) s.throttleUntil = 0;
    side.timer = setTimeout(
      () => {
        side.timer = undefined;
        this.enqueue({ kind: 'tick' });
      },
      Math.max(0, Math.ceil(wait)),
    );
  }

  private checkExit(): void {
    const m = this.main.slot;
    if (m.want !== 'exit' || m.state !== DOWN) return;
    if (!this.log || this.log.slot.pid === 0) {
      this.finish();
      return;
    }
    if (this.logClosing) return;
    // the log service gets EOF once every writer is gone, then exits by itself
    this.logClosing = true;
    this.log.slot.want = 'exit';
    this.publish(this.log);
    this.closeLogPipe();
  }

  // ------------------------------------------------------------ re-exec

  /**
   * Before a re-exec in place: stop handling events (control bytes stay in the
   * FIFO for the next image), let an in-process logger write out what it has
   * read (the rest stays in the log FIFO), and get the status files on disk:
   * they are what the next image takes the service over from.
   */
  async freeze(): Promise<Exit[]> {
    this.frozen = true;
    for (const side of [this.main, this.log]) {
      if (!side) continue;
      if (side.timer) clearTimeout(side.timer);
      side.timer = undefined;
    }
    // a handler under way (a control/X script) finishes first, for a while
    if (this.draining) await within(FREEZE_WAIT_MS, new Promise<void>((r) => (this.drained = r)));
    // events not handled yet: control bytes go back to the FIFO, exits to the next image
    const exits: Exit[] = [];
    const pending = this.queue.splice(this.queueHead);
    this.queue.length = 0;
    this.queueHead = 0;
    const before: Record<Which, string> = { main: '', log: '' };
    for (const ev of pending) {
      if (ev.kind === 'control') before[ev.which] += ev.byte;
      else if (ev.kind === 'exit' && ev.exit.pid > 0) exits.push(ev.exit);
    }
    for (const which of ['main', 'log'] as const) {
      const side = which === 'log' ? this.log : this.main;
      if (side && before[which]) side.held = before[which] + (side.held ?? '');
    }
    const engine = this.inlineLog;
    if (engine) {
      engine.stop();
      // a logger held up by a full disk loses what it holds (at most 64 KiB), not the re-exec
      await within(FREEZE_WAIT_MS, engine.done);
    }
    await Promise.all([this.main.writer.settled(), this.log?.writer.settled()]);
    this.unhandledExits.push(...pending.filter((ev) => ev.kind === 'exit'));
    return exits;
  }

  /** Just before the exec: the control bytes not handled go back into the FIFOs, in order. */
  handBack(): void {
    for (const side of [this.main, this.log]) {
      if (!side?.control || !side.held) continue;
      try {
        writeSync(side.control.write, Buffer.from(side.held, 'latin1'));
      } catch (err) {
        this.warn(`unable to write back to control: ${errorText(err)}`);
      }
      side.held = undefined;
    }
  }

  /** The re-exec failed: handle events again, and restart an in-process logger that freeze() stopped. */
  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    const exits = this.unhandledExits;
    this.unhandledExits = [];
    for (const ev of exits) this.enqueue(ev);
    for (const which of ['main', 'log'] as const) {
      const side = which === 'log' ? this.log : this.main;
      const held = side?.held ?? '';
      if (side) side.held = undefined;
      for (const byte of held) if (isCommand(byte, which === 'log')) this.enqueue({ kind: 'control', which, byte });
    }
    if (this.log && this.log.slot.pid === INLINE_PID && !this.inlineLog) {
      this.enqueueExit(this.log, { pid: INLINE_PID, code: 0, signal: null, status: 0 });
    } else this.enqueue({ kind: 'tick' });
  }

  // ------------------------------------------------------------ the end

  private finish(): void {
    this.done = true;
    this.resolveFirstStarted?.();
    // The last status (down, want exit) must be on disk before anyone is told,
    // and before the folder's fd closes: the writes go through /proc/self/fd/N.
    this.lifecycle?.close();
    void Promise.all([this.main.writer.settled(), this.log?.writer.settled(), this.lifecycle?.settled()])
      .then(() => Promise.all([markCleanEnd(this.main.dir), this.log && markCleanEnd(this.log.dir)]))
      .then(() => {
        this.closeAll();
        this.resolveExited();
      });
  }

  private closeAll(): void {
    for (const side of [this.main, this.log]) {
      if (!side) continue;
      if (side.timer) clearTimeout(side.timer);
      if (side.control) {
        forgetKept(side.control.read);
        unwatchRead(side.control.read);
        closeKept(side.control.write);
        side.control = undefined;
      }
      for (const key of ['ok', 'lock'] as const) {
        const fd = side[key];
        if (fd !== undefined) closeKept(fd);
        side[key] = undefined;
      }
    }
    this.closeLogPipe();
    if (this.dirFd !== undefined) close(this.dirFd, () => undefined);
    this.dirFd = undefined;
  }
}
