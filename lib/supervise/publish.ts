// Publishing a service's state into supervise/: pid (only when it changed), stat,
// status, each written to NAME.new then renamed over NAME, as runsv does, so a
// reader never sees a half-written file. The files are tiny and local; they are
// written synchronously so two quick updates can never land out of order.
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import { TaiTime } from '../tai64';
import { STATE_DOWN, STATE_FINISH, STATE_RUN, SUPERVISE_FILES, encodeStatus } from './status';

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

export class StatusWriter {
  private lastPid = -1;

  /**
   * @param dir the supervise folder (a symlink is fine: the OS follows it)
   * @param label how messages name it: 'supervise' or 'log/supervise'
   * @param warn receives runsv's warning texts (without the `runsv DIR: warning: ` prefix)
   */
  constructor(private readonly dir: string, private readonly label: string, private readonly warn: (msg: string) => void) {}

  publish(view: ServiceView): void {
    // a negative pid marks a start that failed to exec: there is no process
    const s = view.pid < 0 ? { ...view, pid: 0 } : view;
    if (s.pid !== this.lastPid) {
      // runsv writes pid without checking the write: a full disk leaves it empty
      if (this.replace(SUPERVISE_FILES.pidNew, SUPERVISE_FILES.pid, s.pid ? `${s.pid}\n` : '', false)) this.lastPid = s.pid;
      else return;
    }
    if (!this.replace(SUPERVISE_FILES.statNew, SUPERVISE_FILES.stat, statLine(s), false)) return;
    const record = encodeStatus({ ...s, want: s.want === 'up' ? 'u' : 'd' });
    this.replace(SUPERVISE_FILES.statusNew, SUPERVISE_FILES.status, record, true);
  }

  /** Returns false when the rest of this update must be skipped (runsv's rule). */
  private replace(tmpName: string, name: string, data: string | Buffer, checked: boolean): boolean {
    const tmp = path.join(this.dir, tmpName);
    let fd: number;
    try {
      fd = openSync(tmp, TRUNC, 0o644);
    } catch (err) {
      this.warn(`unable to open ${this.label}/${tmpName}: ${errorText(err)}`);
      return false;
    }
    try {
      let n = -1;
      try {
        n = writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      } catch (err) {
        if (checked) {
          this.warn(`unable to write ${this.label}/${tmpName}: ${errorText(err)}`);
          closeSync(fd);
          fd = -1;
          try {
            unlinkSync(tmp);
          } catch {
            // nothing more to do; runsv ignores this too
          }
          return true;
        }
      }
      if (checked && n >= 0 && n !== Buffer.byteLength(data)) {
        this.warn(`unable to write ${this.label}/${tmpName}: partial write.`);
        return true;
      }
    } finally {
      if (fd >= 0) closeSync(fd);
    }
    try {
      renameSync(tmp, path.join(this.dir, name));
    } catch (err) {
      this.warn(`unable to rename ${tmpName} to ${this.label}/${name}: ${errorText(err)}`);
    }
    return true;
  }
}
