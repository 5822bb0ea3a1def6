// What sv does once its command line is understood: for every service, change
// into its folder, send the command (or print its status), then wait until each
// service reached the wanted state or the timeout passed. Messages, their order,
// their flush points and the exit code follow runit 2.1.2's sv (spec/sv.md);
// only the waiting differs: it wakes on changes in supervise/ instead of every
// 0.42 s (see waiter.ts).
import { closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS_OFFSET, STATUS_SIZE, SUPERVISE_FILES } from '../supervise/status';
import { readLifecycleRecord } from '../supervise/lifecycle-record';
import { SvCommand } from './commands';
import { errorCode, errorText } from '../errstr';
import { SvOutput } from './output';
import { enterLog, normallyUp, probeStatus } from './read';
import { formatStatusLine, statusPid, taiSeconds } from './statusline';

export interface CheckRun {
  /** the spawn failed (exec or fork error) */
  error?: unknown;
  /** we stopped a ./check that outlived sv's timeout */
  timedOut?: boolean;
  /** exit code, or null when killed by a signal */
  code: number | null;
}

/** What the engine needs from the outside world (the CLI provides it; tests may fake it). */
export interface SvHost {
  writeOut(s: string): void;
  writeErr(s: string): void;
  /** Runs ./check in the current directory, argv[0] "./check", stdout not the caller's. */
  runCheck(timeoutMs: number): CheckRun;
}

export interface SvRequest {
  /** `sv`, or the init-script name in LSB mode */
  progname: string;
  lsb: boolean;
  command: SvCommand;
  services: string[];
  verbose: boolean;
  waitSec: number;
  svdir: string;
  json: boolean;
}

/** LSB `status` exit code from the main service as in runit 2.3.0; 2.1.2 took the log's (a bug, spec/sv.md §9). */
const LSB_STATUS_FROM_MAIN = true;
/** runit's wait loop period, kept for ./check scripts and when folders cannot be watched. */
const RUNIT_POLL_MS = 420;
/** The fallback poll when folders are watched. */
const SLOW_POLL_MS = 1000;
/**
 * Waiting for runsv to exit (`x`): its exit only closes FIFOs and the lock,
 * which inotify as Node exposes it does not report, so poll the ok FIFO (one
 * open() per service) often. runsv may be held up to a second by its throttle.
 */
const EXIT_POLL_MS = 40;
const BUSY_FORK = new Set(['EAGAIN', 'ENOMEM']);

// Start-up time matters (scripts call sv in loops): no `performance` global
// (Node 20 loads perf_hooks on first use) and json.ts / waiter.ts are loaded
// only by the commands that need them.
const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const nowTai = (): bigint => taiSeconds(Math.floor(Date.now() / 1000));

class ExitNow {
  constructor(readonly code: number) {}
}

const CONTROL_PATH = path.join(SUPERVISE_FILES.dir, SUPERVISE_FILES.control);
/** the files in a service folder that make the daemon wait for readiness (docs/lifecycle.md) */
const READINESS_FILES = ['notification-fd', 'notify-socket'];
const WRITE_NB = constants.O_WRONLY | constants.O_NONBLOCK;

export class SvEngine {
  private rc = 0;
  private name = '';
  private islog = false;
  private readonly svstatus = Buffer.alloc(STATUS_SIZE);
  private readonly out: SvOutput;
  private readonly acts: string;
  /** TAI seconds: when sv started, and "now" for status lines */
  private readonly tstart: bigint;
  private tnow: bigint;
  private readonly tstartMono: number;
  private curdir = '';
  /** a ./check ran in this round of the wait loop: its readiness shows in no file, poll at runit's pace */
  private usedCheckScript = false;

  constructor(
    private readonly req: SvRequest,
    private readonly host: SvHost,
  ) {
    this.out = new SvOutput(host.writeOut, host.writeErr);
    this.acts = req.command.acts;
    this.tstartMono = monoMs();
    this.tstart = nowTai();
    this.tnow = this.tstart;
  }

  /** Runs the whole command; resolves to the exit code. */
  async run(): Promise<number> {
    try {
      try {
        this.curdir = process.cwd();
      } catch (err) {
        this.fatal('unable to open current directory', err);
      }
      const { command, services } = this.req;
      const alive: boolean[] = services.map(() => true);
      for (let i = 0; i < services.length; i++) {
        this.name = services[i];
        if (!this.enterFirstPass(services[i])) alive[i] = false;
        else if (command.act !== 'none' && this.act() === -1) alive[i] = false;
        this.leave();
      }
      if (command.act !== 'status' && (command.waits || this.req.verbose)) await this.waitLoop(alive);
      this.out.end();
      return this.rc > 99 ? 99 : this.rc;
    } catch (e) {
      if (e instanceof ExitNow) return e.code;
      throw e;
    }
  }

  // ---- messages, as runit's out()/fail()/warn()/ok() ----

  private line(prefix: string, msg: string, err?: unknown): void {
    if (err !== undefined) msg += ': ' + errorText(err);
    if (this.req.json) {
      // only `status` takes --json; its one message of this kind is a failed chdir
      this.out.put(JSON.stringify({ service: this.name, error: msg, level: prefix.slice(0, -2) }) + '\n');
    } else {
      this.out.put(prefix + this.name + (this.islog ? '/log' : '') + ': ' + msg + '\n');
    }
    this.out.flush();
  }
  private fail(msg: string, err?: unknown): void {
    this.rc++;
    this.line('fail: ', msg, err);
  }
  private warn(msg: string, err?: unknown): void {
    this.rc++;
    this.line('warning: ', msg, err);
  }
  private ok(msg: string): void {
    this.line('ok: ', msg);
  }
  private fatal(msg: string, err: unknown): never {
    this.out.err(`fatal: ${msg}: ${errorText(err)}\n`);
    throw new ExitNow(this.req.lsb ? 151 : 100);
  }
  /** runit's done(): exit at once; a half-built stdout line is lost as with _exit. */
  private exitNow(code: number): never {
    this.out.sync();
    throw new ExitNow(code);
  }

  // ---- directories ----

  private chdirTo(dirs: string[]): boolean {
    try {
      for (const d of dirs) process.chdir(d);
      return true;
    } catch (err) {
      this.fail('unable to change to service directory', err);
      return false;
    }
  }

  /** First pass: a bare name (no leading / or ., not empty, no trailing /) lives in $SVDIR. */
  private enterFirstPass(s: string): boolean {
    const bare = s !== '' && s[0] !== '/' && s[0] !== '.' && s[s.length - 1] !== '/';
    return this.chdirTo(bare ? [this.req.svdir, s] : [s]);
  }

  /** Wait loop: runit checks only the leading character here (a trailing / does not count). */
  private enterWaitPass(s: string): boolean {
    const bare = s[0] !== '/' && s[0] !== '.';
    return this.chdirTo(bare ? [this.req.svdir, s] : [s]);
  }

  /** The folder a wait-pass service resolves to, for watching. */
  private waitPassPath(s: string): string {
    const bare = s[0] !== '/' && s[0] !== '.';
    return bare ? path.resolve(this.curdir, this.req.svdir, s) : path.resolve(this.curdir, s);
  }

  private leave(): void {
    try {
      process.chdir(this.curdir);
    } catch (err) {
      this.fatal('unable to change to original directory', err);
    }
  }

  // ---- reading and printing status ----

  /** runit's svstatus_get: 1 read, 0 runsv not running (message printed), -1 error (printed). */
  private svstatusGet(): -1 | 0 | 1 {
    const p = probeStatus(this.svstatus);
    if (p.r === 0) {
      if (this.acts[0] === 'x') this.ok('runsv not running');
      else this.fail('runsv not running');
    } else if (p.r === -1) {
      this.warn(p.msg, p.err);
    }
    return p.r;
  }

  /** runit's svstatus_print: puts the line (no newline); 0 when ./down could not be stat'ed. */
  private svstatusPrint(label: string, main = true): 0 | 1 | 2 {
    const up = normallyUp();
    if (typeof up !== 'boolean') {
      this.out.err(`warning: unable to stat ${this.name}/down: ${errorText(up.err)}\n`);
      return 0;
    }
    const { text, code } = formatStatusLine(this.svstatus, label, this.tnow, up);
    this.out.put(text);
    // appended after runit's fields, so that scripts parsing them keep working
    if (main && readLifecycleRecord(SUPERVISE_FILES.dir)?.maintenance) this.out.put(', maintenance');
    return code;
  }

  /** A service with a readiness file is up for -w once its current run said it is ready. */
  private readyOk(pid: number): boolean {
    const rec = readLifecycleRecord(SUPERVISE_FILES.dir);
    // no record yet: a first run whose record is still on its way to disk (the
    // status may land first) is not ready if the folder asks for readiness
    if (!rec) return !READINESS_FILES.some((f) => statSync(f, { throwIfNoEntry: false }) !== undefined);
    return rec.method === null || (rec.pid === pid && rec.ready);
  }

  private act(): number {
    const { command } = this.req;
    if (command.act === 'status') return this.req.json ? this.statusJson() : this.status();
    return this.control(this.acts);
  }

  private status(): number {
    const r = this.svstatusGet();
    if (r === -1 && this.req.lsb) this.exitNow(4);
    if (r !== 1) return 0;
    let rc = this.svstatusPrint(this.name);
    const mainRc = rc;
    this.islog = true;
    const log = enterLog();
    const inLog = log === 'ok';
    if (log === 'none') this.out.put('\n');
    else if (!inLog) {
      this.out.put('; ');
      this.warn('unable to change directory', log.err);
    }
    if (inLog) {
      this.out.put('; ');
      // runit tests `if (svstatus_get())`: -1 (an error) counts as true and
      // prints a log line from whatever the buffer holds (spec/sv.md §7.1)
      if (this.svstatusGet() !== 0) {
        rc = this.svstatusPrint('log', false);
        this.out.put('\n');
      }
    }
    this.islog = false;
    this.out.flush();
    if (this.req.lsb) {
      const code = LSB_STATUS_FROM_MAIN ? mainRc : rc;
      this.exitNow(code === 1 ? 0 : code === 2 ? 3 : 4);
    }
    return rc;
  }

  private statusJson(): number {
    const { jsonStatus } = require('./json') as typeof import('./json');
    const { line, fails, lsbCode } = jsonStatus(this.name, this.tnow, this.svstatus);
    this.rc += fails;
    this.out.put(line + '\n');
    this.out.flush();
    if (this.req.lsb && lsbCode !== null) this.exitNow(lsbCode);
    return 0;
  }

  /** runit's control(): -1 when the service is to be dropped, 0 nothing sent, 1 sent. */
  private control(a: string): -1 | 0 | 1 {
    if (this.svstatusGet() <= 0) return -1;
    const s = this.svstatus;
    if (s[STATUS_OFFSET.want] === a.charCodeAt(0)) {
      // wants it already; only a `down` whose TERM was not sent yet (after once) goes again
      if (a[0] !== 'd' || s[STATUS_OFFSET.termSent] === 1) return 0;
    }
    let fd: number;
    try {
      fd = openSync(CONTROL_PATH, WRITE_NB);
    } catch (err) {
      if (errorCode(err) !== 'ENXIO') this.warn('unable to open supervise/control', err);
      else if (a[0] === 'x') this.ok('runsv not running');
      else this.fail('runsv not running');
      return -1;
    }
    let n = -1;
    let werr: unknown;
    try {
      n = writeSync(fd, a);
    } catch (err) {
      werr = err;
    }
    closeSync(fd);
    if (n !== a.length) {
      this.warn('unable to write to supervise/control', werr);
      return -1;
    }
    return 1;
  }

  // ---- waiting ----

  /** Remaining time before the timeout, for a ./check that must not outlive it. */
  private remainingMs(): number {
    return this.tstartMono + this.req.waitSec * 1000 - monoMs();
  }

  private checkScript(): boolean {
    try {
      statSync('check');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return true;
      this.out.err(`warning: unable to stat ${this.name}/check: ${errorText(err)}\n`);
      return false;
    }
    this.usedCheckScript = true;
    this.out.sync();
    const res = this.host.runCheck(Math.max(this.remainingMs(), 0) + RUNIT_POLL_MS);
    if (res.timedOut) return false;
    if (res.error !== undefined) {
      const code = errorCode(res.error) ?? '';
      if (BUSY_FORK.has(code)) {
        this.out.err(`warning: unable to fork for ${this.name}/check: ${errorText(res.error)}\n`);
        return false;
      }
      // runit's child prints this and exits 0: an unrunnable check passes
      this.out.err(`warning: unable to run ${this.name}/check: ${errorText(res.error)}\n`);
      return true;
    }
    // (status >> 8) == 0: a check killed by a signal passes, as in runit
    return res.code === null || res.code === 0;
  }

  /** runit's check(): 1 done (ok printed), 0 not yet, -1 failed (message printed). */
  private check(a: string): -1 | 0 | 1 {
    const r = this.svstatusGet();
    if (r === -1) return -1;
    const s = this.svstatus;
    for (const c of a) {
      if (r === 0) return c === 'x' ? 1 : -1;
      const pid = statusPid(s);
      const state = s[STATUS_OFFSET.state];
      switch (c) {
        case 'x':
          return 0;
        case 'u':
          if (!pid || state !== 1) return 0;
          if (!this.readyOk(pid)) return 0;
          if (!this.checkScript()) return 0;
          break;
        case 'd':
          if (pid || state !== 0) return 0;
          break;
        case 'C':
          if (pid && !this.checkScript()) return 0;
          break;
        case 't':
        case 'k': {
          if (!pid && s[STATUS_OFFSET.want] === 0x64) break;
          const tstatus = s.readBigUInt64BE(STATUS_OFFSET.time);
          if (this.tstart > tstatus || !pid || s[STATUS_OFFSET.termSent] || !this.readyOk(pid) || !this.checkScript()) return 0;
          break;
        }
        case 'o': {
          const tstatus = s.readBigUInt64BE(STATUS_OFFSET.time);
          if ((!pid && this.tstart > tstatus) || (pid && s[STATUS_OFFSET.want] !== 0x64)) return 0;
          break;
        }
        case 'p':
          if (pid && !s[STATUS_OFFSET.paused]) return 0;
          break;
        case 'c':
          if (pid && s[STATUS_OFFSET.paused]) return 0;
          break;
      }
    }
    this.out.put('ok: ');
    this.svstatusPrint(this.name);
    this.out.flush('\n');
    return 1;
  }

  private async waitLoop(alive: boolean[]): Promise<void> {
    const { services, waitSec, command } = this.req;
    const { ChangeWaiter } = require('./waiter') as typeof import('./waiter');
    const waiter = new ChangeWaiter();
    for (let i = 0; i < services.length; i++) {
      if (!alive[i]) continue;
      const dir = this.waitPassPath(services[i]);
      waiter.watch(String(i), [path.join(dir, SUPERVISE_FILES.dir), path.join(dir, 'log', SUPERVISE_FILES.dir)]);
    }
    try {
      let first = true;
      for (;;) {
        const elapsed = (monoMs() - this.tstartMono) / 1000;
        // the first round reports ages against sv's start time, like runit
        if (!first) this.tnow = nowTai();
        this.usedCheckScript = false;
        let remaining = 0;
        for (let i = 0; i < services.length; i++) {
          if (!alive[i]) continue;
          this.name = services[i];
          if (!this.enterWaitPass(services[i])) alive[i] = false;
          else if (this.check(this.acts) !== 0) alive[i] = false;
          if (alive[i] && !first && elapsed > waitSec) {
            this.out.put(command.kill ? 'kill: ' : 'timeout: ');
            if (this.svstatusGet() > 0) {
              this.svstatusPrint(this.name);
              this.rc++;
            }
            this.out.flush('\n');
            if (command.kill) this.control('k');
            alive[i] = false;
          }
          if (!alive[i]) waiter.unwatch(String(i));
          else remaining++;
          this.leave();
        }
        this.out.sync();
        if (remaining === 0) return;
        first = false;
        const untilTimeout = this.tstartMono + waitSec * 1000 + 1 - monoMs();
        const poll = this.acts.includes('x')
          ? EXIT_POLL_MS
          : waiter.watchFailed || this.usedCheckScript
            ? RUNIT_POLL_MS
            : SLOW_POLL_MS;
        await waiter.wait(Math.max(untilTimeout, 0), poll);
      }
    } finally {
      waiter.close();
    }
  }
}
