// How one supervised folder starts, stops and signals its processes (./run,
// ./finish, log/run or the in-process logger) and applies its lifecycle files:
// the part of a runsv that acts. lib/runsv/supervisor.ts adds what decides when
// (the event queue, setup and adoption, re-exec) on top of it.
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { Exit, kill, procStat, setNonblock, signalNumber, spawn, SpawnPlan } from '../native';
import type { LogEngine } from '../svlogd/engine';
import { closeKept } from '../supervise/handover';
import { removeLifecycleRecord } from '../supervise/lifecycle-record';
import { StatusWriter } from '../supervise/publish';
import { taiNow } from '../tai64';
import { ownChild } from './children';
import { runControlScript } from './control-scripts';
import { createInlineEngine, InlineLogPlan, readInlineLog, signalEngine } from './inline-logger';
import { ServiceLifecycle } from './lifecycle';
import { hasLifecycleFiles } from './lifecycle-files';
import { DOWN, FINISH, finishArgs, RUN, Slot, Step } from './machine';

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

export type Which = 'main' | 'log';
export type Event = { kind: 'control'; which: Which; byte: string } | { kind: 'exit'; which: Which; exit: Exit } | { kind: 'tick' };

export const nowMs = (): number => performance.now();
// The pid an in-process log engine has in the slot. It is published as 0: there
// is no process of its own to signal (a `kill` of the daemon's pid would hit
// every service), so sv is the way to talk to it.
export const INLINE_PID = -2;

/** One side (main or log) of a supervised folder: its state and its files. */
export interface Side {
  slot: Slot;
  dir: string;
  writer: StatusWriter;
  /** the FIFO's ends; the read end is watched (native watchRead), which closes it */
  control?: { read: number; write: number };
  ok?: number;
  lock?: number;
  timer?: NodeJS.Timeout;
  /** control bytes read while frozen, not handled */
  held?: string;
}

export abstract class ServiceProcesses {
  readonly name: string;
  readonly dir: string;
  // How the folder is reached: /proc/self/fd/N of a descriptor held open, so a
  // renamed service folder keeps working, as runsv's chdir into it does.
  protected base: string;
  protected readonly report: (line: string) => void;
  protected readonly env: NodeJS.ProcessEnv;
  protected readonly setsid: boolean;
  protected readonly stderr: number | 'inherit';
  protected readonly inlineLogs: boolean;
  protected inlineLog?: LogEngine;
  /** the in-process logger's start (its folders opened), while under way */
  protected inlineLogStarting?: Promise<unknown>;
  /** only for a folder with lifecycle files (docs/lifecycle.md) */
  protected lifecycle?: ServiceLifecycle;
  private lifecycleFresh = false;
  protected main!: Side;
  protected log?: Side;
  protected logPipe?: [number, number];
  // a re-exec is being prepared: nothing more is started or handled
  protected frozen = false;
  // The names in the service folder, read once per event: a reaped ./run needs
  // to know of ./finish, the restart of control/u and the lifecycle files. One
  // readdir answers all three where three threadpool round trips, one after
  // the other, stood between a crash and the restart. Forgotten after the event.
  private names?: Promise<ReadonlySet<string> | null>;

  protected constructor(opts: SupervisorOptions) {
    this.name = opts.name;
    this.dir = opts.dir;
    this.base = opts.dir;
    this.report = opts.report;
    this.env = opts.env ?? process.env;
    this.setsid = opts.setsid === true;
    this.stderr = opts.stderr ?? 'inherit';
    this.inlineLogs = opts.inlineLogs !== false;
  }

  protected abstract enqueue(ev: Event): void;

  protected fatal(msg: string): string {
    return `runsv ${this.name}: fatal: ${msg}`;
  }

  protected warn(msg: string): void {
    this.report(`runsv ${this.name}: warning: ${msg}`);
  }

  // ------------------------------------------------------------ lifecycle files

  /** The names in the service folder for the event being handled; null when unreadable. */
  protected listing(): Promise<ReadonlySet<string> | null> {
    this.names ??= fsp.readdir(this.base).then(
      (names) => new Set(names),
      () => null,
    );
    return this.names;
  }

  /** The event is handled: the next one reads the folder anew. */
  protected forgetListing(): void {
    this.names = undefined;
  }

  /** Reads the lifecycle files; `first`: also drops a record a former configuration left. */
  protected async loadLifecycle(first = false): Promise<void> {
    // the files were just read at setup: the first start need not read them again
    if (this.lifecycleFresh) {
      this.lifecycleFresh = false;
      return;
    }
    this.lifecycleFresh = first && this.main.slot.pid === 0;
    const names = await this.listing();
    // a plain runit folder: nothing to read, no object to make
    if (names && !this.lifecycle && !first && !hasLifecycleFiles(names)) return;
    const lc = this.lifecycle ?? new ServiceLifecycle(this.base, this.main.dir, (m) => this.warn(m), this.setsid);
    if (await lc.load(names ?? undefined)) {
      this.lifecycle = lc;
      return;
    }
    // maintenance is kept until an operator ends it, even with the files gone
    if (this.lifecycle?.inMaintenance) return;
    if (this.lifecycle || first) {
      this.lifecycle?.close();
      this.lifecycle = undefined;
      await removeLifecycleRecord(this.main.dir);
    }
  }

  // `u`/`o`: out of maintenance, and no backoff pause beyond runit's second
  protected operatorStart(side: Side): void {
    if (!this.lifecycle) return;
    const until = this.lifecycle.operatorStart();
    const s = side.slot;
    if (s.throttleUntil > until) {
      s.throttleUntil = until;
      if (side.timer) clearTimeout(side.timer);
      side.timer = undefined;
    }
  }

  protected afterReap(side: Side, pid: number): void {
    const lc = this.lifecycle!;
    const s = side.slot;
    lc.runEnded(pid);
    lc.finishEnded();
    if (s.state !== DOWN || s.want !== 'up') return;
    const t = nowMs();
    const d = lc.afterRun(s.startedMs, t);
    if (!d) return;
    if (d.maintenance) {
      s.want = 'down';
      s.throttleUntil = 0;
      s.startRequested = false;
      this.warn(`maintenance: ${d.reason}; not restarted until sv up`);
    } else if (d.pauseMs > 0) s.throttleUntil = Math.max(s.throttleUntil, t + d.pauseMs);
  }

  protected publish(side: Side): void {
    const s = side.slot;
    // An in-process logger shows the daemon's pid in status (sv and svstat print
    // it), but the pid file stays empty: `kill $(cat log/supervise/pid)`, meant
    // for a svlogd process, must not signal the daemon and with it every service.
    side.writer.publish(s.pid === INLINE_PID ? { ...s, pid: process.pid, pidFile: 0 } : s);
  }

  protected async run(side: Side, steps: Step[]): Promise<void> {
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
          if (!(await this.custom(side, step.letter))) {
            if (step.letter === 'k') this.signalStop(side, 'SIGKILL');
            else this.signal(side.slot, step.sig);
          }
          break;
      }
    }
  }

  // ------------------------------------------------------------ processes

  protected async startRequested(side: Side): Promise<void> {
    const s = side.slot;
    if (nowMs() < s.throttleUntil) {
      s.startRequested = true;
      return;
    }
    if (s.isLog) await this.startLog(side);
    else await this.startRun(side);
  }

  protected async startRun(side: Side): Promise<void> {
    const s = side.slot;
    if (s.pid) await this.stop(side);
    await this.listing();
    await this.custom(side, 'u');
    s.startRequested = false;
    await this.loadLifecycle();
    const lc = this.lifecycle;
    const extras = lc ? await lc.beforeRun(this.env) : {};
    const pid = this.launch(
      side,
      RUN,
      { file: './run', argv: ['./run'], cwd: this.base, stdio: ['inherit', this.out(), this.stderr], extraFd: extras.extraFd, pgid: extras.pgid, env: extras.env },
      './run',
    );
    if (lc && pid > 0) lc.afterSpawn(pid);
    else lc?.spawnFailed();
  }

  protected async startFinish(side: Side): Promise<void> {
    const [code, sig] = finishArgs(side.slot.wstat);
    const pid = this.launch(side, FINISH, { file: './finish', argv: ['./finish', code, sig], cwd: this.base, stdio: ['inherit', this.out(), this.stderr] }, './finish');
    if (pid > 0) this.lifecycle?.armFinish(pid, (p) => side.slot.pid === p && side.slot.state === FINISH);
  }

  protected async startLog(side: Side): Promise<void> {
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

  protected startInlineLog(side: Side, inline: InlineLogPlan): void {
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
    const starting = engine.start().catch(() => undefined);
    this.inlineLogStarting = starting;
    void starting.then(() => {
      if (this.inlineLogStarting === starting) this.inlineLogStarting = undefined;
    });
    void engine.done.then((code) => {
      if (this.inlineLog === engine) this.inlineLog = undefined;
      engine.removeAllListeners();
      this.enqueueExit(side, { pid: INLINE_PID, code, signal: null, status: code << 8 });
    });
  }

  /** stdout of ./run, ./finish and control scripts: the log pipe when there is a log service */
  protected out(): number | 'inherit' {
    return this.logPipe ? this.logPipe[1] : 'inherit';
  }

  /** Starts ./run or ./finish; its pid, or 0 when nothing started. */
  protected launch(side: Side, state: typeof RUN | typeof FINISH, plan: SpawnPlan, what: string): number {
    // a handler that was under way when freeze() came: the next image starts it
    if (this.frozen) return 0;
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
      pid = spawn({ ...plan, env: plan.env ?? this.env, setsid: this.setsid });
    } catch (err) {
      // runsv's child prints this and exits 111; treat it as exactly that exit
      this.report(this.fatal(this.spawnFailure(err, what, side === this.log)));
      s.pid = -1;
      this.enqueueExit(side, { pid: -1, code: 111, signal: null, status: 111 << 8 });
      return 0;
    }
    s.pid = pid;
    s.startTicks = procStat(pid)?.startTicks;
    this.publish(side);
    const which: Which = side === this.log ? 'log' : 'main';
    ownChild(pid, (exit) => this.enqueue({ kind: 'exit', which, exit }));
    return pid;
  }

  protected enqueueExit(side: Side, exit: Exit): void {
    this.enqueue({ kind: 'exit', which: side === this.log ? 'log' : 'main', exit });
  }

  protected spawnFailure(err: unknown, what: string, isLog: boolean): string {
    const syscall = (err as { syscall?: string }).syscall;
    if (syscall === 'chdir') return `unable to change directory to ./log: ${errorText(err)}`;
    if (syscall === 'execve') return `unable to start ${what}: ${errorText(err)}`;
    return `unable to setup filedescriptor for ${isLog ? './log/run' : './run'}: ${errorText(err)}`;
  }

  protected async stop(side: Side): Promise<void> {
    const s = side.slot;
    if (s.pid && !(await this.custom(side, 't'))) {
      this.signalStop(side, this.lifecycle && side === this.main ? this.lifecycle.downSignal : 'SIGTERM');
      s.termSent = true;
      this.publish(side);
    }
    // a stop that cannot hang: timeout-kill counts also when control/t did the stopping
    if (s.pid > 0 && side === this.main && s.state === RUN) this.lifecycle?.armKill(s.pid, (p) => side.slot.pid === p && side.slot.state === RUN);
    if (s.want === 'down') {
      this.signalStop(side, 'SIGCONT');
      await this.custom(side, 'd');
    } else if (s.want === 'exit') {
      this.signalStop(side, 'SIGCONT');
      await this.custom(side, 'x');
    }
  }

  /** A stop signal: to the run's whole process group with stop-group. */
  protected signalStop(side: Side, sig: NodeJS.Signals | number): void {
    const s = side.slot;
    if (side === this.main && this.lifecycle && s.pid > 0 && s.state === RUN) this.lifecycle.signalRun(s.pid, typeof sig === 'number' ? sig : signalNumber(sig));
    else this.signal(s, sig);
  }

  protected signal(s: Slot, sig: NodeJS.Signals | number): void {
    if (s.pid === INLINE_PID) {
      if (this.inlineLog && typeof sig === 'string') signalEngine(this.inlineLog, sig);
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
  protected async custom(side: Side, letter: string): Promise<boolean> {
    if (side.slot.isLog) return false;
    // no control/ folder (the usual case): no stat of control/<c>
    if (this.names && (await this.names)?.has('control') === false) return false;
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

  /** runsv's test for ./finish after ./run ended: it opens. */
  protected async finishUsable(): Promise<boolean> {
    if ((await this.listing())?.has('finish') === false) return false;
    return this.canOpen(path.join(this.base, 'finish'));
  }

  protected async canOpen(p: string): Promise<boolean> {
    try {
      const fh = await fsp.open(p, constants.O_RDONLY | constants.O_NONBLOCK);
      await fh.close();
      return true;
    } catch {
      return false;
    }
  }

  protected closeLogPipe(): void {
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
}
