// The lifecycle of one main service beyond runit (docs/lifecycle.md): readiness
// through notification-fd or NOTIFY_SOCKET, the down signal, process-group
// stop, the kill and finish timeouts, backoff and maintenance. The supervisor
// creates one only for a folder that has one of the files (or once it entered
// maintenance), so a plain runit service carries none of this. Timers exist
// only while a timeout is pending; readiness arrives as an event.
import { close, constants, open, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { kill, killpg, makeFifo, notifySocketClose, notifySocketOpen, setNonblock, unwatchRead, watchRead } from '../native';
import { LifecycleRecord, LifecycleWriter, loadLifecycleRecord } from '../supervise/lifecycle-record';
import { LifecycleConfig, readLifecycleFiles } from './lifecycle-files';
import { afterRun, Decision, newHistory, RestartHistory } from './restart-policy';

const NOTIFICATION_FIFO = 'notification';
const SIGTERM = 15;
const SIGKILL = 9;
const SIGCONT = 18;

let notifySeq = 0;
// plain fds (no FileHandle that would close them when collected): a read watch or closeQuietly owns them
const openFd = promisify(open);

/** What ./run needs from the lifecycle when it starts. */
export interface RunExtras {
  extraFd?: [number, number];
  env?: Record<string, string>;
  /** 0: lead a process group of its own */
  pgid?: number;
}

export class ServiceLifecycle {
  config: LifecycleConfig | null = null;
  private readonly writer: LifecycleWriter;
  private readonly reported = new Set<string>();
  private record: LifecycleRecord = { pid: 0, method: null, ready: false, readySince: null, maintenance: false, maintenanceReason: null };
  private history: RestartHistory = newHistory();
  private lastEndMs = 0;
  private killTimer?: NodeJS.Timeout;
  private finishTimer?: NodeJS.Timeout;
  // readiness channels of the current run
  /** the notification FIFO's read end, watched */
  private fifo?: number;
  private fifoWrite?: number;
  private notifyFd?: number;
  /** the current run leads its own process group */
  private groupPid = 0;

  constructor(
    private readonly base: string,
    private readonly superviseDir: string,
    private readonly warn: (msg: string) => void,
    private readonly setsid: boolean,
  ) {
    this.writer = new LifecycleWriter(superviseDir, warn);
  }

  /** Whether the folder has a lifecycle file; reads them (and reports bad values once). */
  async load(listing?: ReadonlySet<string>): Promise<boolean> {
    this.config = await readLifecycleFiles(this.base, (file, value, why) => {
      const key = `${file}\0${value}\0${why}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
      this.warn(`ignoring ./${file}: ${why}${value ? ': ' + value : ''}`);
    }, listing);
    return this.config !== null;
  }

  get inMaintenance(): boolean {
    return this.record.maintenance;
  }

  /** Prepares readiness for a new ./run; what the spawn must add. */
  async beforeRun(env: NodeJS.ProcessEnv): Promise<RunExtras> {
    this.closeReadiness();
    const cfg = this.config;
    const extras: RunExtras = {};
    this.record.pid = 0;
    this.record.ready = false;
    this.record.readySince = null;
    this.record.method = null;
    if (!cfg) return extras;
    if (cfg.stopGroup && !this.setsid) extras.pgid = 0;
    if (cfg.notificationFd !== undefined) {
      const w = await this.openNotificationFifo();
      if (w !== undefined) {
        extras.extraFd = [cfg.notificationFd, w];
        this.record.method = 'notification-fd';
      }
    }
    if (cfg.notifySocket) {
      const name = await this.openNotifySocket();
      if (name !== undefined) {
        extras.env = { ...Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), NOTIFY_SOCKET: '@' + name };
        this.record.method ??= 'notify-socket';
      }
    }
    return extras;
  }

  /** ./run is running as `pid`. */
  afterSpawn(pid: number): void {
    if (this.fifoWrite !== undefined) {
      // the service holds its own copy now
      closeQuietly(this.fifoWrite);
      this.fifoWrite = undefined;
    }
    this.groupPid = this.config?.stopGroup ? pid : 0;
    this.record.pid = pid;
    this.publish();
  }

  /** ./run could not be started: nothing to listen to. */
  spawnFailed(): void {
    this.closeReadiness();
  }

  /** The signal that stops the service, instead of TERM. */
  get downSignal(): number {
    return this.config?.downSignal ?? SIGTERM;
  }

  /** Sends `sig` to the run (its whole group with stop-group). */
  signalRun(pid: number, sig: number): void {
    try {
      if (this.groupPid === pid && pid > 0) killpg(pid, sig);
      else kill(pid, sig);
    } catch {
      // gone already: its exit is on its way
    }
  }

  /** After the down signal: KILL once timeout-kill has passed, if `pid` still runs. */
  armKill(pid: number, stillRunning: (pid: number) => boolean): void {
    const ms = this.config?.timeoutKill;
    if (ms === undefined || this.killTimer) return;
    this.killTimer = setTimeout(() => {
      this.killTimer = undefined;
      if (!stillRunning(pid)) return;
      this.signalRun(pid, SIGKILL);
      this.signalRun(pid, SIGCONT);
    }, ms);
  }

  /** ./finish started as `pid`: killed once timeout-finish has passed. */
  armFinish(pid: number, stillRunning: (pid: number) => boolean): void {
    const ms = this.config?.timeoutFinish;
    if (ms === undefined) return;
    clearTimeout(this.finishTimer);
    this.finishTimer = setTimeout(() => {
      this.finishTimer = undefined;
      if (!stillRunning(pid)) return;
      try {
        kill(pid, SIGKILL);
      } catch {
        // gone already
      }
    }, ms);
  }

  /** The run `pid` was reaped: its readiness ends; with stop-group, what is left of its group goes too. */
  runEnded(pid: number): void {
    clearTimeout(this.killTimer);
    this.killTimer = undefined;
    this.closeReadiness();
    if (this.groupPid === pid && pid > 0) {
      try {
        // the group keeps its id while any member lives, so this reaches only them
        killpg(pid, SIGKILL);
      } catch {
        // the group is empty
      }
    }
    this.groupPid = 0;
    if (this.record.pid === pid) {
      this.record.ready = false;
      this.record.readySince = null;
      this.publish();
    }
  }

  finishEnded(): void {
    clearTimeout(this.finishTimer);
    this.finishTimer = undefined;
  }

  /** The service is down after a run: how long to pause, or maintenance. */
  afterRun(startedMs: number, endedMs: number): Decision | null {
    this.lastEndMs = endedMs;
    const cfg = this.config;
    if (!cfg || (cfg.backoffMax === undefined && cfg.maintenanceAfter === undefined)) return null;
    const d = afterRun(this.history, cfg, startedMs, endedMs);
    if (d.maintenance) {
      this.record.maintenance = true;
      this.record.maintenanceReason = d.reason;
      this.publish();
    }
    return d;
  }

  /**
   * `u` or `o` from an operator: out of maintenance, the backoff starts over,
   * and at most runit's one second after the last end is waited.
   */
  operatorStart(): number {
    this.history = newHistory();
    if (this.record.maintenance) {
      this.record.maintenance = false;
      this.record.maintenanceReason = null;
      this.publish();
    }
    return this.lastEndMs + 1000;
  }

  /** Takes over the facts a previous daemon recorded for the run `pid` it left running. */
  async adopt(pid: number): Promise<void> {
    const prev = await loadLifecycleRecord(this.superviseDir);
    if (!prev) return;
    this.record.maintenance = prev.maintenance;
    this.record.maintenanceReason = prev.maintenanceReason;
    if (prev.pid !== pid || pid <= 0) return;
    this.record = { ...prev };
    this.groupPid = this.config?.stopGroup ? pid : 0;
    // a newline the service writes from now on still reaches us through the FIFO
    if (!prev.ready && prev.method === 'notification-fd') void this.reopenNotificationFifo(pid);
    if (!prev.ready && prev.method === 'notify-socket') void this.rebindNotifySocket(pid);
  }

  // the name the run was given is free again once the previous daemon is gone
  private async rebindNotifySocket(pid: number): Promise<void> {
    let environ: string;
    try {
      environ = await fsp.readFile(`/proc/${pid}/environ`, 'latin1');
    } catch {
      return;
    }
    const entry = environ.split('\0').find((e) => e.startsWith('NOTIFY_SOCKET=@'));
    if (!entry || this.record.pid !== pid || this.notifyFd !== undefined) return;
    try {
      this.listenNotify(entry.slice('NOTIFY_SOCKET=@'.length));
    } catch {
      // taken or gone: readiness of this run stays unknown
    }
  }

  /** Written when the daemon stops or the folder drops its lifecycle files. */
  close(): void {
    clearTimeout(this.killTimer);
    clearTimeout(this.finishTimer);
    this.killTimer = this.finishTimer = undefined;
    this.closeReadiness();
  }

  settled(): Promise<void> {
    return this.writer.settled();
  }

  // ------------------------------------------------------------ readiness

  private markReady(): void {
    if (this.record.ready || this.record.pid === 0) return;
    this.record.ready = true;
    this.record.readySince = Date.now() / 1000;
    this.publish();
    this.closeReadiness();
  }

  private publish(): void {
    this.writer.write(this.record);
  }

  // A FIFO in supervise/, made fresh for each run, rather than a pipe: a daemon
  // that restarts (crash or re-exec) can open it again by name and still hear
  // the newline of a run it adopted.
  private async openNotificationFifo(): Promise<number | undefined> {
    const p = path.join(this.superviseDir, NOTIFICATION_FIFO);
    try {
      await fsp.rm(p, { force: true });
      const { made } = await makeFifo(p, 0o600);
      if (made) throw made;
      this.listenFifo(await this.openFifoReader(p));
      // with our reader open, opening for writing does not block
      this.fifoWrite = await openFd(p, constants.O_WRONLY | constants.O_NONBLOCK);
      // the service gets a blocking end, as s6's pipe
      setNonblock(this.fifoWrite, false);
      return this.fifoWrite;
    } catch (err) {
      this.warn(`unable to set up ./notification-fd: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      this.closeReadiness();
      return undefined;
    }
  }

  private async reopenNotificationFifo(pid: number): Promise<void> {
    try {
      const fd = await this.openFifoReader(path.join(this.superviseDir, NOTIFICATION_FIFO));
      if (this.record.pid !== pid) {
        closeQuietly(fd);
        return;
      }
      this.listenFifo(fd);
    } catch {
      // no FIFO: readiness of this run stays unknown
    }
  }

  // O_RDWR: opening never blocks, and the FIFO never reads as ended while the daemon holds it
  private async openFifoReader(p: string): Promise<number> {
    return openFd(p, constants.O_RDWR | constants.O_NONBLOCK);
  }

  private listenFifo(fd: number): void {
    this.fifo = fd;
    watchRead(
      fd,
      (text) => {
        if (text.includes('\n')) this.markReady();
      },
      () => {
        unwatchRead(fd);
        if (this.fifo === fd) this.fifo = undefined;
      },
    );
  }

  private async openNotifySocket(): Promise<string | undefined> {
    try {
      const st = await fsp.stat(this.base);
      const name = `runitd/notify/${st.dev}.${st.ino}/${process.pid}.${++notifySeq}`;
      this.listenNotify(name);
      return name;
    } catch (err) {
      this.warn(`unable to set up ./notify-socket: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      return undefined;
    }
  }

  // sd_notify: READY=1 on a line of its own, among other assignments
  private listenNotify(name: string): void {
    this.notifyFd = notifySocketOpen(name, (text) => {
      if (/^READY=1$/m.test(text)) this.markReady();
    });
  }

  private closeReadiness(): void {
    if (this.fifo !== undefined) {
      unwatchRead(this.fifo);
      this.fifo = undefined;
    }
    if (this.fifoWrite !== undefined) {
      closeQuietly(this.fifoWrite);
      this.fifoWrite = undefined;
    }
    if (this.notifyFd !== undefined) {
      notifySocketClose(this.notifyFd);
      this.notifyFd = undefined;
    }
  }
}

function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}
