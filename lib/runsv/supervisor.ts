// One supervised service folder (./run, and log/run when log/ exists): what one
// runsv process is in runit, as an object, so one daemon can hold thousands.
// Events (control bytes, reaped children, throttle timers) go through one queue
// per service and are handled in order; a slow control/X script delays only its
// own service. The transitions themselves live in ./machine.ts.
import { constants, promises as fsp, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { Exit, kill, procStat, setNonblock, spawn, SpawnPlan } from '../native';
import type { LogEngine } from '../svlogd/engine';
import { closeKept, forgetKept } from '../supervise/handover';
import { markCleanEnd, StatusWriter } from '../supervise/publish';
import { ensureSuperviseDir, openControl, openLock, openLogPipe, openOk, SetupError } from '../supervise/setup';
import { taiNow } from '../tai64';
import { findPrevious, Found, watchAdopted } from './adopt';
import { ownChild } from './children';
import { runControlScript } from './control-scripts';
import { createInlineEngine, InlineLogPlan, readInlineLog, signalEngine } from './inline-logger';
import { DOWN, dueToStart, FINISH, finishArgs, isCommand, newSlot, onControl, onReaped, RUN, Slot, Step } from './machine';

export { SetupError };

export interface SupervisorOptions {
  /** the service folder */
  dir: string;
  /** how messages name it: the argument as given to runsv, or the entry name under runsvdir */
  name: string;
  /** receives every message line (no trailing newline), e.g. `runsv x: warning: ...` */
  report: (line: string) => void;
  /** the environment children get; default: this process's */
  env?: NodeJS.ProcessEnv;
  /** start the service's processes in a new session (runsvdir -P) */
  setsid?: boolean;
  /** fd the processes get as stderr (runsvdir's title-log pipe); default: ours */
  stderr?: number;
  /** run canonical `exec svlogd ...` log services in this process (default true) */
  inlineLogs?: boolean;
}

type Which = 'main' | 'log';
type Event = { kind: 'control'; which: Which; byte: string } | { kind: 'exit'; which: Which; exit: Exit } | { kind: 'tick' };

const nowMs = (): number => performance.now();
const FREEZE_WAIT_MS = 3000;

/** `p`, or nothing after `ms`. */
function within(ms: number, p: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}
// The pid an in-process log engine has in the slot. It is published as 0: there
// is no process of its own to signal (a `kill` of the daemon's pid would hit
// every service), so sv is the way to talk to it.
const INLINE_PID = -2;

/** One side (main or log) of a supervised folder: its state and its files. */
interface Side {
  slot: Slot;
  dir: string;
  writer: StatusWriter;
  control?: { read: number; write: number; socket: Socket };
  ok?: number;
  lock?: number;
  timer?: NodeJS.Timeout;
  /** control bytes read while frozen, not handled */
  held?: string;
}

export class Supervisor {
  readonly name: string;
  readonly dir: string;
  // How the folder is reached: /proc/self/fd/N of a descriptor held open, so a
  // renamed service folder keeps working, as runsv's chdir into it does.
  private base: string;
  private dirFd?: number;
  private dirHandle?: fsp.FileHandle;
  /** resolves when the supervisor has exited (x / term() and everything down) */
  readonly exited: Promise<void>;
  private resolveExited!: () => void;
  private readonly report: (line: string) => void;
  private readonly env: NodeJS.ProcessEnv;
  private readonly setsid: boolean;
  private readonly stderr: number | 'inherit';
  private readonly inlineLogs: boolean;
  private inlineLog?: LogEngine;
  private main!: Side;
  private log?: Side;
  private logPipe?: [number, number];
  private logClosing = false;
  private done = false;
  // a re-exec is being prepared: nothing more is started or handled
  private frozen = false;
  /** processes taken over from a previous daemon at start (main and log) */
  adopted = 0;
  private readonly queue: Event[] = [];
  private queueHead = 0;
  private draining = false;
  private drained?: () => void;
  /** exit events freeze() took out of the queue: handed over, or handled after a thaw */
  private unhandledExits: Event[] = [];

  private constructor(opts: SupervisorOptions) {
    this.name = opts.name;
    this.dir = opts.dir;
    this.base = opts.dir;
    this.report = opts.report;
    this.env = opts.env ?? process.env;
    this.setsid = opts.setsid === true;
    this.stderr = opts.stderr ?? 'inherit';
    this.inlineLogs = opts.inlineLogs !== false;
    this.exited = new Promise((r) => (this.resolveExited = r));
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

  /** Past a stop deadline: KILL what still runs of the service and its logger. */
  killNow(): void {
    for (const side of [this.main, this.log]) if (side && side.slot.pid !== INLINE_PID) this.signal(side.slot, 'SIGKILL');
  }

  private fatal(msg: string): string {
    return `runsv ${this.name}: fatal: ${msg}`;
  }

  private warn(msg: string): void {
    this.report(`runsv ${this.name}: warning: ${msg}`);
  }

  // ------------------------------------------------------------ setup

  private async setup(): Promise<void> {
    try {
      const fh = await fsp.open(this.dir, constants.O_RDONLY | constants.O_DIRECTORY);
      // a plain fd, closed by closeAll(); the FileHandle must not close it on GC
      this.dirFd = fh.fd;
      this.dirHandle = fh;
    } catch (err) {
      throw new SetupError(`unable to change to directory: ${errorText(err)}`);
    }
    const viaFd = `/proc/self/fd/${this.dirFd}`;
    if (await fsp.access(viaFd).then(() => true, () => false)) this.base = viaFd;
    const dir = this.base;
    const now = taiNow();
    const t = nowMs();
    const exists = (p: string): Promise<boolean> => fsp.stat(p).then(
      () => true,
      () => false,
    );
    const mainSlot = newSlot(false, (await exists(path.join(dir, 'down'))) ? 'down' : 'up', now, t);

    let logSlot: Slot | undefined;
    const logDir = path.join(dir, 'log');
    try {
      if ((await fsp.stat(logDir)).isDirectory()) logSlot = newSlot(true, (await exists(path.join(logDir, 'down'))) ? 'down' : 'up', now, t);
      else this.warn('./log: not a directory.');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`unable to stat() ./log: : ${errorText(err)}`);
    }
    const sup = await ensureSuperviseDir(dir, './supervise');
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
    const socket = new Socket({ fd: fifo.read, readable: true, writable: false });
    const which: Which = side === this.main ? 'main' : 'log';
    socket.on('data', (chunk: Buffer) => {
      // frozen for a re-exec: kept, and written back into the FIFO for the next image
      if (this.frozen) {
        side.held = (side.held ?? '') + chunk.toString('latin1');
        return;
      }
      for (let i = 0; i < chunk.length; i++) {
        const byte = String.fromCharCode(chunk[i]);
        if (isCommand(byte, which === 'log')) this.enqueue({ kind: 'control', which, byte });
      }
    });
    socket.on('error', (err) => this.warn(`unable to read ${label}/control: ${errorText(err)}`));
    // the socket owns the fd from now on; it is handed over at a re-exec all the same

    side.control = { ...fifo, socket };
  }

  // ------------------------------------------------------------ the event queue

  private enqueue(ev: Event): void {
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
      }
      // let other services and I/O in between long bursts of control bytes
      if (++handled % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    this.queue.splice(0, this.queueHead);
    this.queueHead = 0;
    this.draining = false;
    this.drained?.();
  }

  private side(which: Which): Side {
    return which === 'log' && this.log ? this.log : this.main;
  }

  private async handle(ev: Event): Promise<void> {
    if (ev.kind === 'tick') return;
    const side = this.side(ev.which);
    if (ev.kind === 'control') {
      await this.run(side, onControl(side.slot, ev.byte));
      return;
    }
    const s = side.slot;
    // a child replaced after `k` (see machine.ts) is reaped as a stranger
    if (ev.exit.pid !== s.pid) return;
    const finishUsable = !s.isLog && s.state !== FINISH && (await this.canOpen(path.join(this.base, 'finish')));
    await this.run(side, onReaped(s, ev.exit.status, finishUsable, taiNow(), nowMs()));
  }

  private publish(side: Side): void {
    const s = side.slot;
    // An in-process logger shows the daemon's pid in status (sv and svstat print
    // it), but the pid file stays empty: `kill $(cat log/supervise/pid)`, meant
    // for a svlogd process, must not signal the daemon and with it every service.
    side.writer.publish(s.pid === INLINE_PID ? { ...s, pid: process.pid, pidFile: 0 } : s);
  }

  private async run(side: Side, steps: Step[]): Promise<void> {
    for (const step of steps) {
      switch (step.do) {
        case 'publish':
          this.publish(side);
          break;
        case 'start':
          await this.startRequested(side);
          break;
        case 'stop':
          await this.stop(side);
          break;
        case 'signal':
          if (!(await this.custom(side, step.letter))) this.signal(side.slot, step.sig);
          break;
      }
    }
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

  // ------------------------------------------------------------ processes

  private async startRequested(side: Side): Promise<void> {
    const s = side.slot;
    if (nowMs() < s.throttleUntil) {
      s.startRequested = true;
      return;
    }
    if (s.isLog) await this.startLog(side);
    else await this.startRun(side);
  }

  private async startRun(side: Side): Promise<void> {
    const s = side.slot;
    if (s.pid) await this.stop(side);
    await this.custom(side, 'u');
    s.startRequested = false;
    this.launch(side, RUN, { file: './run', argv: ['./run'], cwd: this.base, stdio: ['inherit', this.out(), this.stderr] }, './run');
  }

  private async startFinish(side: Side): Promise<void> {
    const [code, sig] = finishArgs(side.slot.wstat);
    this.launch(side, FINISH, { file: './finish', argv: ['./finish', code, sig], cwd: this.base, stdio: ['inherit', this.out(), this.stderr] }, './finish');
  }

  private async startLog(side: Side): Promise<void> {
    if (!this.logPipe) return;
    const inline = this.inlineLogs ? await readInlineLog(path.join(this.base, 'log')) : null;
    // the pipe is closed when the service exits, which may have happened meanwhile
    if (!this.logPipe) return;
    if (inline) {
      this.startInlineLog(side, inline);
      return;
    }
    // an in-process engine before may have left the shared read end non-blocking
    setNonblock(this.logPipe[0], false);
    this.launch(side, RUN, { file: './run', argv: ['./run'], cwd: path.join(this.base, 'log'), stdio: [this.logPipe[0], 'inherit', this.stderr] }, 'log/./run');
  }

  private startInlineLog(side: Side, inline: InlineLogPlan): void {
    const s = side.slot;
    s.time = taiNow();
    s.startedMs = nowMs();
    s.paused = false;
    s.termSent = false;
    s.state = RUN;
    s.startTicks = undefined;
    if (this.frozen) return;
    let engine: LogEngine;
    try {
      engine = createInlineEngine(inline, this.logPipe![0], this.report);
    } catch (err) {
      // what a svlogd process would have died of (bad user, bad option)
      this.report(`svlogd: fatal: ${(err as Error).message}`);
      s.pid = INLINE_PID;
      this.enqueueExit(side, { pid: INLINE_PID, code: 111, signal: null, status: 111 << 8 });
      return;
    }
    s.pid = INLINE_PID;
    this.inlineLog = engine;
    this.publish(side);
    void engine.start();
    void engine.done.then((code) => {
      if (this.inlineLog === engine) this.inlineLog = undefined;
      engine.removeAllListeners();
      this.enqueueExit(side, { pid: INLINE_PID, code, signal: null, status: code << 8 });
    });
  }

  /** stdout of ./run, ./finish and control scripts: the log pipe when there is a log service */
  private out(): number | 'inherit' {
    return this.logPipe ? this.logPipe[1] : 'inherit';
  }

  private launch(side: Side, state: typeof RUN | typeof FINISH, plan: SpawnPlan, what: string): void {
    // a handler that was under way when freeze() came: the next image starts it
    if (this.frozen) return;
    const s = side.slot;
    const t = nowMs();
    if (state === RUN) {
      s.time = taiNow();
      s.startedMs = t;
      s.paused = false;
    }
    s.state = state;
    s.termSent = false;
    let pid: number;
    try {
      pid = spawn({ ...plan, env: this.env, setsid: this.setsid });
    } catch (err) {
      // runsv's child prints this and exits 111; treat it as exactly that exit
      this.report(this.fatal(this.spawnFailure(err, what, side === this.log)));
      s.pid = -1;
      this.enqueueExit(side, { pid: -1, code: 111, signal: null, status: 111 << 8 });
      return;
    }
    s.pid = pid;
    s.startTicks = procStat(pid)?.startTicks;
    this.publish(side);
    const which: Which = side === this.log ? 'log' : 'main';
    ownChild(pid, (exit) => this.enqueue({ kind: 'exit', which, exit }));
  }

  private enqueueExit(side: Side, exit: Exit): void {
    this.enqueue({ kind: 'exit', which: side === this.log ? 'log' : 'main', exit });
  }

  private spawnFailure(err: unknown, what: string, isLog: boolean): string {
    const syscall = (err as { syscall?: string }).syscall;
    if (syscall === 'chdir') return `unable to change directory to ./log: ${errorText(err)}`;
    if (syscall === 'execve') return `unable to start ${what}: ${errorText(err)}`;
    return `unable to setup filedescriptor for ${isLog ? './log/run' : './run'}: ${errorText(err)}`;
  }

  private async stop(side: Side): Promise<void> {
    const s = side.slot;
    if (s.pid && !(await this.custom(side, 't'))) {
      this.signal(s, 'SIGTERM');
      s.termSent = true;
      this.publish(side);
    }
    if (s.want === 'down') {
      this.signal(s, 'SIGCONT');
      await this.custom(side, 'd');
    } else if (s.want === 'exit') {
      this.signal(s, 'SIGCONT');
      await this.custom(side, 'x');
    }
  }

  private signal(s: Slot, sig: NodeJS.Signals): void {
    if (s.pid === INLINE_PID) {
      if (this.inlineLog) signalEngine(this.inlineLog, sig);
      return;
    }
    if (s.pid <= 0) return;
    try {
      kill(s.pid, sig);
    } catch {
      // already gone: its exit is on its way
    }
  }

  /** control/<c> for the main service (a log service has none). */
  private custom(side: Side, letter: string): Promise<boolean> {
    if (side.slot.isLog) return Promise.resolve(false);
    return runControlScript(
      {
        base: this.base,
        env: this.env,
        setsid: this.setsid,
        stdout: this.out(),
        stderr: this.stderr,
        warn: (m) => this.warn(m),
        fatal: (m) => this.report(this.fatal(m)),
      },
      letter,
    );
  }

  private async canOpen(p: string): Promise<boolean> {
    try {
      const fh = await fsp.open(p, constants.O_RDONLY | constants.O_NONBLOCK);
      await fh.close();
      return true;
    } catch {
      return false;
    }
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

  private closeLogPipe(): void {
    if (!this.logPipe) return;
    for (const fd of this.logPipe) {
      try {
        closeKept(fd);
      } catch (err) {
        this.warn(`unable to close logpipe: ${errorText(err)}`);
      }
    }
    this.logPipe = undefined;
  }

  private finish(): void {
    this.done = true;
    // The last status (down, want exit) must be on disk before anyone is told,
    // and before the folder's fd closes: the writes go through /proc/self/fd/N.
    void Promise.all([this.main.writer.settled(), this.log?.writer.settled()])
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
        side.control.socket.destroy();
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
    if (this.dirHandle) void this.dirHandle.close();
    this.dirHandle = undefined;
    this.dirFd = undefined;
  }
}
