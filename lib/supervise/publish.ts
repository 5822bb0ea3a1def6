// Publishing a service's state into supervise/: pid (only when it changed), stat,
// status, each written to NAME.new then renamed over NAME, as runsv does, so a
// reader never sees a half-written file. Writes are asynchronous: on ext4 a
// rename over a file just written waits for the data to reach the disk, and
// one daemon serving 1000 services must not stall on that. One write sequence
// runs at a time per service, and only the newest state is written next.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { readFiles, replaceFiles, Replaced, Replacement } from '../native';
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

/**
 * Reads a supervise folder's pidstart and status files (either may be missing).
 * `pidstartExists`: the previous supervisor did not end cleanly (it removes the file).
 */
export async function readPublished(dir: string): Promise<{ pidstart: Pidstart | null; pidstartExists: boolean; status: StatusRecord | null }> {
  // both in one native job: before any service runs, round trips are start-up time
  const [pidstartFile, statusFile] = await readFiles([path.join(dir, SUPERVISE_FILES.pidstart), path.join(dir, SUPERVISE_FILES.status)], 4096);
  const ps = pidstartFile.data?.toString('latin1') ?? null;
  const st = statusFile.data ?? Buffer.alloc(0);
  return { pidstart: parsePidstart(ps ?? ''), pidstartExists: ps !== null, status: st.length === STATUS_SIZE ? decodeStatus(st) : null };
}

/** A supervisor that ends cleanly says so: its successor starts over from ./down. */
export async function markCleanEnd(dir: string): Promise<void> {
  await fsp.unlink(path.join(dir, SUPERVISE_FILES.pidstart)).catch(() => undefined);
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
    const files: Replacement[] = [];
    // rewritten when the supervised pid changes, as runsv does
    const pidChanged = s.pid !== this.lastPid;
    if (pidChanged) {
      const filePid = s.pidFile ?? s.pid;
      // before the status names the pid, so that a daemon restarted at any point
      // finds the process the status names described here. Not rewritten when no
      // process runs: a stale line names a process that is gone, or one whose
      // start time differs, and is never adopted.
      const line = pidstartLine(s, filePid);
      if (line) files.push(this.file(SUPERVISE_FILES.pidstartNew, SUPERVISE_FILES.pidstart, Buffer.from(line), false));
      // runsv writes pid without checking the write: a full disk leaves it empty
      files.push(this.file(SUPERVISE_FILES.pidNew, SUPERVISE_FILES.pid, Buffer.from(filePid > 0 ? `${filePid}\n` : ''), false));
    }
    files.push(this.file(SUPERVISE_FILES.statNew, SUPERVISE_FILES.stat, Buffer.from(statLine(s)), false));
    files.push(this.file(SUPERVISE_FILES.statusNew, SUPERVISE_FILES.status, encodeStatus({ ...s, want: s.want === 'up' ? 'u' : 'd' }), true));
    // one threadpool job for the whole update: a crash-looping service publishes twice a second
    let results = await replaceFiles(files);
    // pidstart is ours: its failure must not cost runit's files their update
    if (files[0].path.endsWith(`/${SUPERVISE_FILES.pidstart}`) && results[0].failed === 'open') {
      this.report(files[0], results[0]);
      files.shift();
      results = await replaceFiles(files);
    }
    for (let i = 0; i < results.length; i++) this.report(files[i], results[i]);
    // the pid file is done with unless its open failed (which ends the update, as in runsv)
    const pidAt = files.findIndex((f) => f.path.endsWith(`/${SUPERVISE_FILES.pid}`));
    if (pidAt >= 0 && results[pidAt] && results[pidAt].failed !== 'open') this.lastPid = s.pid;
  }

  private file(tmpName: string, name: string, data: Buffer, checked: boolean): Replacement {
    return { tmp: path.join(this.dir, tmpName), path: path.join(this.dir, name), data, checked };
  }

  /** runsv's warning for what failed, if anything. */
  private report(f: Replacement, r: Replaced): void {
    if (r.failed === null) return;
    const tmpName = path.basename(f.tmp);
    const name = path.basename(f.path);
    if (r.failed === 'open') this.warn(`unable to open ${this.label}/${tmpName}: ${errorText(r.error)}`);
    else if (r.failed === 'write') this.warn(`unable to write ${this.label}/${tmpName}: ${r.error ? errorText(r.error) : 'partial write.'}`);
    else this.warn(`unable to rename ${tmpName} to ${this.label}/${name}: ${errorText(r.error)}`);
  }
}
