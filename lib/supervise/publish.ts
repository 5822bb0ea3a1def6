// Publishing a service's state into supervise/: pid (only when it changed), stat,
// status, each written to NAME.new then renamed over NAME, as runsv does, so a
// reader never sees a half-written file. Writes are asynchronous: on ext4 a
// rename over a file just written waits for the data to reach the disk, and
// one daemon serving 1000 services must not stall on that. One write sequence
// runs at a time per service, and only the newest state is written next.
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { TaiTime } from '../tai64';
import { STATE_DOWN, STATE_FINISH, STATE_RUN, STATUS_SIZE, StatusRecord, SUPERVISE_FILES, decodeStatus, encodeStatus } from './status';

export type Want = 'up' | 'down' | 'exit';

/** What runsv publishes about one service (main or log). */
export interface ServiceView {
  /** when ./run was started, or when the service went down */
  time: TaiTime;
  pid: number;
  paused: boolean;
  want: Want;
  termSent: boolean;
  state: 0 | 1 | 2;
  /** what the pid file says, when it must differ from `pid` (0: empty) */
  pidFile?: number;
  /** the process's start time in /proc (clock ticks since boot): written to pidstart */
  startTicks?: number;
}

const TRUNC = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_TRUNC | constants.O_CREAT;

/** The supervise/stat line: `run, paused, got TERM, want down` and its kin. */
export function statLine(s: ServiceView): string {
  let line = s.state === STATE_RUN ? 'run' : s.state === STATE_FINISH ? 'finish' : 'down';
  if (s.paused) line += ', paused';
  if (s.termSent) line += ', got TERM';
  if (s.state !== STATE_DOWN) {
    if (s.want === 'down') line += ', want down';
    else if (s.want === 'exit') line += ', want exit';
  }
  return line + '\n';
}

/** supervise/pidstart: `PID STARTTICKS run|finish\n`, or '' when no process of its own runs. */
export function pidstartLine(s: ServiceView, filePid: number): string {
  if (filePid <= 0 || s.startTicks === undefined || s.state === STATE_DOWN) return '';
  return `${filePid} ${s.startTicks} ${s.state === STATE_FINISH ? 'finish' : 'run'}\n`;
}

export interface Pidstart {
  pid: number;
  startTicks: number;
  state: 1 | 2;
}

export function parsePidstart(text: string): Pidstart | null {
  const m = /^(\d+) (\d+) (run|finish)\n$/.exec(text);
  if (!m) return null;
  return { pid: Number(m[1]), startTicks: Number(m[2]), state: m[3] === 'finish' ? STATE_FINISH : STATE_RUN };
}

/** Reads a supervise folder's pidstart and status files (either may be missing). */
export async function readPublished(dir: string): Promise<{ pidstart: Pidstart | null; status: StatusRecord | null }> {
  const [ps, st] = await Promise.all([
    fsp.readFile(path.join(dir, SUPERVISE_FILES.pidstart), 'latin1').catch(() => ''),
    fsp.readFile(path.join(dir, SUPERVISE_FILES.status)).catch(() => Buffer.alloc(0)),
  ]);
  return { pidstart: parsePidstart(ps), status: st.length === STATUS_SIZE ? decodeStatus(st) : null };
}

export class StatusWriter {
  private lastPid: number;
  private latest?: ServiceView;
  private busy?: Promise<void>;

  /**
   * @param dir the supervise folder (a symlink is fine: the OS follows it)
   * @param label how messages name it: 'supervise' or 'log/supervise'
   * @param warn receives runsv's warning texts (without the `runsv DIR: warning: ` prefix)
   * @param pidFileAtStart write the (empty) pid file with the first status: runsv
   *   does for the main service; the log's appears only once a logger started
   */
  constructor(
    private readonly dir: string,
    private readonly label: string,
    private readonly warn: (msg: string) => void,
    pidFileAtStart = true,
  ) {
    this.lastPid = pidFileAtStart ? -1 : 0;
  }

  /** Queues the state for writing; returns at once. */
  publish(view: ServiceView): void {
    // a negative pid marks a start that failed to exec: there is no process
    this.latest = { ...view, pid: Math.max(0, view.pid) };
    if (!this.busy) this.busy = this.flush();
  }

  /** Resolves once everything published so far is on disk. */
  async settled(): Promise<void> {
    while (this.busy) await this.busy;
  }

  private async flush(): Promise<void> {
    try {
      while (this.latest) {
        const s = this.latest;
        this.latest = undefined;
        await this.write(s);
      }
    } finally {
      this.busy = undefined;
    }
  }

  private async write(s: ServiceView): Promise<void> {
    // rewritten when the supervised pid changes, as runsv does
    if (s.pid !== this.lastPid) {
      const filePid = s.pidFile ?? s.pid;
      // before the status names the pid, so that a daemon restarted at any point
      // finds the process the status names described here. Not rewritten when no
      // process runs: a stale line names a process that is gone, or one whose
      // start time differs, and is never adopted.
      const line = pidstartLine(s, filePid);
      if (line) await this.replace(SUPERVISE_FILES.pidstartNew, SUPERVISE_FILES.pidstart, line, false);
      // runsv writes pid without checking the write: a full disk leaves it empty
      if (!(await this.replace(SUPERVISE_FILES.pidNew, SUPERVISE_FILES.pid, filePid > 0 ? `${filePid}\n` : '', false))) return;
      this.lastPid = s.pid;
    }
    if (!(await this.replace(SUPERVISE_FILES.statNew, SUPERVISE_FILES.stat, statLine(s), false))) return;
    const record = encodeStatus({ ...s, want: s.want === 'up' ? 'u' : 'd' });
    await this.replace(SUPERVISE_FILES.statusNew, SUPERVISE_FILES.status, record, true);
  }

  /** Returns false when the rest of this update must be skipped (runsv's rule). */
  private async replace(tmpName: string, name: string, data: string | Buffer, checked: boolean): Promise<boolean> {
    const tmp = path.join(this.dir, tmpName);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(tmp, TRUNC, 0o644);
    } catch (err) {
      this.warn(`unable to open ${this.label}/${tmpName}: ${errorText(err)}`);
      return false;
    }
    let written = -1;
    let failure: unknown;
    try {
      written = (await fh.write(bytes)).bytesWritten;
    } catch (err) {
      failure = err;
    } finally {
      await fh.close().catch(() => undefined);
    }
    if (checked && failure !== undefined) {
      this.warn(`unable to write ${this.label}/${tmpName}: ${errorText(failure)}`);
      await fsp.unlink(tmp).catch(() => undefined);
      return true;
    }
    if (checked && written !== bytes.length) {
      this.warn(`unable to write ${this.label}/${tmpName}: partial write.`);
      return true;
    }
    try {
      await fsp.rename(tmp, path.join(this.dir, name));
    } catch (err) {
      this.warn(`unable to rename ${tmpName} to ${this.label}/${name}: ${errorText(err)}`);
    }
    return true;
  }
}
