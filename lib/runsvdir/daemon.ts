// One daemon for a whole scan folder: a Supervisor object per service folder
// where runit runs one runsv process each. New and removed folders are noticed
// at once through inotify (./watch.ts), which also covers the symlinks on the
// folder's path; runsvdir's once-a-second look at the folder's mtime/inode is
// the fallback only where inotify cannot cover it, so an idle daemon sleeps.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';
import type { Exit } from '../native';
import { SetupError, Supervisor } from '../runsv/supervisor';
import { scanFolder } from './scan';
import { collectWhenSettled } from './settle-gc';
import { SetupGate } from './setup-gate';
import { FolderWatch } from './watch';

export interface ScanDirOptions {
  /** the scan folder, as given (messages use it verbatim) */
  dir: string;
  /** -P: every service's processes get a session of their own */
  newSessions?: boolean;
  /** receives every message line, runsvdir's and the services' supervisors' */
  report: (line: string) => void;
  /** fd given to the services as stderr (the title-log pipe); default: ours */
  stderr?: number;
  /** the environment services get; default: this process's */
  env?: NodeJS.ProcessEnv;
  /** how often to look at the folder's mtime/inode where inotify cannot watch it (ms) */
  checkEveryMs?: number;
  /** run canonical `exec svlogd ...` log services in-process (default true) */
  inlineLogs?: boolean;
}

interface Managed {
  key: string;
  name: string;
  supervisor?: Supervisor;
  starting: boolean;
  stopping: boolean;
}

export class ScanDir {
  private readonly services = new Map<string, Managed>();
  private readonly dir: string;
  private watch?: FolderWatch;
  /** every watch in place: no periodic look */
  private watched = false;
  private watchedIno = '';
  private lastStamp = '';
  private check = true;
  private scanning = false;
  private scanAgain = false;
  private timer?: NodeJS.Timeout;
  private recheck?: NodeJS.Timeout;
  private stopped = false;
  private frozen = false;
  private readonly inflight = new Set<Promise<void>>();
  /** as many setups as the threadpool has threads (lib/cli/runsvdir.ts sets 16) */
  private readonly gate = new SetupGate(16);

  constructor(private readonly opts: ScanDirOptions) {
    this.dir = opts.dir;
  }

  /** Starts watching and supervising; returns after the first scan. */
  async start(): Promise<void> {
    await this.tick();
    this.updateTimer();
  }

  // The periodic look runs only while inotify does not cover the folder.
  private updateTimer(): void {
    const want = !this.stopped && !this.frozen && !this.watched;
    if (want && !this.timer) this.timer = setInterval(() => void this.tick(), this.opts.checkEveryMs ?? 1000);
    else if (!want && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** The services being supervised now, by name. */
  list(): { name: string; supervisor?: Supervisor }[] {
    return [...this.services.values()].filter((m) => !m.stopping).map((m) => ({ name: m.name, supervisor: m.supervisor }));
  }

  /** Resolves when every service the scans found so far has started (or failed to). */
  async startsSettled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** How many processes the supervisors took over from a previous daemon at their start. */
  adoptedCount(): number {
    let n = 0;
    for (const m of this.services.values()) n += m.supervisor?.adopted ?? 0;
    return n;
  }

  /**
   * Before a re-exec: no more scans, every supervisor frozen with its state on
   * disk. Returns the exits that were reaped but not handled yet.
   */
  async freezeAll(): Promise<Exit[]> {
    this.frozen = true;
    this.updateTimer();
    await this.startsSettled();
    const exits = await Promise.all([...this.services.values()].map((m) => m.supervisor?.freeze() ?? []));
    return exits.flat();
  }

  /** Right before the exec, synchronously: unhandled control bytes back into their FIFOs. */
  handBackAll(): void {
    for (const m of this.services.values()) m.supervisor?.handBack();
  }

  /** The re-exec did not happen: carry on. */
  thawAll(): void {
    this.frozen = false;
    for (const m of this.services.values()) m.supervisor?.thaw();
    this.updateTimer();
    this.check = true;
    void this.tick();
  }

  /** Scan now, whatever the folder's mtime says (runsvdir's SIGALRM in Debian). */
  async forceRescan(): Promise<void> {
    this.check = true;
    await this.tick();
  }

  /** Stops every service as runsv does on TERM, waits for all of them, and stops scanning. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    this.updateTimer();
    if (this.recheck) clearTimeout(this.recheck);
    this.watch?.close();
    const waits: Promise<void>[] = [];
    for (const m of this.services.values()) {
      if (m.supervisor) {
        m.supervisor.term();
        waits.push(m.supervisor.exited);
      }
    }
    await Promise.all(waits);
  }

  /** SIGKILL to every service process still running (a stop past its deadline). */
  killAll(): void {
    for (const m of this.services.values()) m.supervisor?.killNow();
  }

  private warn(msg: string): void {
    this.opts.report(`runsvdir ${this.dir}: warning: ${msg}`);
  }

  // Once a second (and on every watch event): stat the folder, rescan when it changed.
  private async tick(): Promise<void> {
    if (this.stopped || this.frozen) return;
    if (this.scanning) {
      this.scanAgain = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.scanAgain = false;
        await this.lookAndScan();
      } while (this.scanAgain && !this.stopped);
    } catch (err) {
      this.warn(`internal error: ${(err as Error).stack ?? String(err)}`);
    } finally {
      this.scanning = false;
    }
  }

  private async lookAndScan(): Promise<void> {
    let st;
    try {
      st = await fsp.stat(this.dir, { bigint: true });
    } catch (err) {
      this.warn(`unable to stat ${this.dir}: ${errorText(err)}`);
      return;
    }
    if (!st.isDirectory()) {
      this.warn(`unable to change directory to ${this.dir}: ${errorText({ code: 'ENOTDIR' })}`);
      return;
    }
    const ino = `${st.dev}:${st.ino}`;
    const stamp = `${ino}:${st.mtimeNs}`;
    if (!this.check && stamp === this.lastStamp) {
      if (ino !== this.watchedIno) await this.rewatch(ino);
      return;
    }
    this.lastStamp = stamp;
    this.check = false;
    const scanned = this.scan();
    if (ino === this.watchedIno) {
      await scanned;
      return;
    }
    // The watch is armed once the scan has started the services, and at boot
    // once the first of them is on its way (arming costs the event loop some
    // 5 ms). Arming ends by asking for one more scan, which sees whatever
    // changed before the watch was in place.
    this.watchedIno = ino;
    await Promise.all([scanned, scanned.then(() => this.gate.firstSettled()).then(() => this.rewatch(ino))]);
  }

  private async rewatch(ino: string): Promise<void> {
    this.watch?.close();
    this.watchedIno = ino;
    const w = new FolderWatch(
      this.dir,
      () => {
        this.check = true;
        void this.tick();
      },
      () => {
        // the folder (or a link on its path) went away or was replaced: look
        // periodically until a look finds it and watches it again
        if (this.watch !== w) return;
        this.watched = false;
        this.watchedIno = '';
        this.updateTimer();
        this.check = true;
        void this.tick();
      },
    );
    this.watch = w;
    this.watched = await w.arm();
    // a change between the look and the watch: look once more
    this.check = true;
    this.scanAgain = true;
    this.updateTimer();
  }

  // One look a second from now, as runsvdir's loop would take: a one-shot timer,
  // armed only when something needs another look (a retry, an ended supervisor).
  private recheckSoon(): void {
    this.check = true;
    if (this.recheck || this.stopped) return;
    this.recheck = setTimeout(() => {
      this.recheck = undefined;
      void this.tick();
    }, this.opts.checkEveryMs ?? 1000);
  }

  private async scan(): Promise<void> {
    const result = await scanFolder(this.dir);
    for (const w of result.warnings) this.warn(w);
    if (result.warnings.length) this.recheckSoon();
    const present = new Set<string>();
    for (const e of result.entries) {
      present.add(e.key);
      let m = this.services.get(e.key);
      if (!m) {
        m = { key: e.key, name: e.name, starting: false, stopping: false };
        this.services.set(e.key, m);
      }
      if (!m.supervisor && !m.starting && !m.stopping) {
        const p = this.startService(m);
        this.inflight.add(p);
        void p.finally(() => {
          this.inflight.delete(p);
          if (this.inflight.size === 0) collectWhenSettled();
        });
      }
    }
    if (!result.complete) return;
    for (const m of this.services.values()) {
      if (present.has(m.key) || m.stopping) continue;
      this.removeService(m);
    }
  }

  private async startService(m: Managed): Promise<void> {
    m.starting = true;
    try {
      m.supervisor = await this.gate.run(() => Supervisor.start({
        dir: path.join(this.dir, m.name),
        name: m.name,
        report: this.opts.report,
        setsid: this.opts.newSessions,
        stderr: this.opts.stderr,
        env: this.opts.env,
        inlineLogs: this.opts.inlineLogs,
      }));
      // removed while it was starting up
      if (this.stopped || m.stopping) m.supervisor.term();
      const sup = m.supervisor;
      // what the first starts (and in-process loggers) leave behind is garbage too
      void sup.firstStarted.then(collectWhenSettled);
      void sup.exited.then(() => {
        if (m.supervisor === sup) m.supervisor = undefined;
        if (m.stopping) this.services.delete(m.key);
        // runsvdir starts an ended runsv again at its next look, within a second
        this.recheckSoon();
      });
    } catch (err) {
      // runit's runsv would print this and exit 111; runsvdir retries it later
      if (err instanceof SetupError) this.opts.report(`runsv ${m.name}: fatal: ${err.message}`);
      else this.warn(`unable to start runsv ${m.name}: ${(err as Error).message}`);
      this.recheckSoon();
      if (m.stopping) this.services.delete(m.key);
    } finally {
      m.starting = false;
    }
  }

  private removeService(m: Managed): void {
    m.stopping = true;
    if (m.supervisor) m.supervisor.term();
    else if (!m.starting) this.services.delete(m.key);
  }
}
