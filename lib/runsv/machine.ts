// runsv's state machine, as one table: for each event (a control byte, a reaped
// child) the changes to the service record and the steps to carry out, in order.
// Pure: no processes, no files. lib/runsv/supervisor.ts executes the steps.
//
//   event      | down                     | run                        | finish
//   -----------+--------------------------+----------------------------+-------------------------
//   u          | want up; start           | want up                    | want up (restart after)
//   o          | want down; start once    | want down                  | want down
//   d          | want down                | want down; stop            | want down
//   x (main)   | want exit                | want exit; stop            | want exit
//   t          | -                        | stop                       | -
//   k          | state down               | KILL; state down           | state down (no signal)
//   p / c      | paused flag              | STOP / CONT; flag          | flag
//   h a i q 1 2| -                        | HUP ALRM INT QUIT USR1 USR2| -
//   reaped     | -                        | finish if ./finish, else down (+throttle)
//   reaped     |                          |                            | down (+throttle)
//
// Every change of want or paused, and every reap, publishes the status files.
// "stop" is TERM (unless control/t handles it), then CONT + control/d when want
// is down, or CONT + control/x when want is exit. Signals honour control/<c>.
import { TaiTime } from '../tai64';
import { Want } from '../supervise/publish';

export const DOWN = 0;
export const RUN = 1;
export const FINISH = 2;

/** One supervised process slot: the main service or its log service. */
export interface Slot {
  readonly isLog: boolean;
  state: 0 | 1 | 2;
  want: Want;
  paused: boolean;
  termSent: boolean;
  pid: number;
  /** published start time: when ./run was started, or when the service went down */
  time: TaiTime;
  /** monotonic ms of the last start of ./run (log/run): the throttle's reference */
  startedMs: number;
  /** raw wait status of the last reaped ./run or ./finish */
  wstat: number;
  /** monotonic ms before which no restart happens (runsv's one-second sleep) */
  throttleUntil: number;
  /** a u/o start asked for while throttled: carried out when the second is over */
  startRequested: boolean;
  /** the process's start time in /proc, published so a restarted daemon can adopt it */
  startTicks?: number;
}

/** wstat of an adopted process that was not our child: how it ended is unknown. */
export const UNKNOWN_WSTAT = -1;

export type Step =
  | { do: 'publish' }
  | { do: 'start' }
  | { do: 'stop' }
  | { do: 'signal'; sig: NodeJS.Signals; letter: string };

export function newSlot(isLog: boolean, want: Want, now: TaiTime, nowMs: number): Slot {
  return { isLog, state: DOWN, want, paused: false, termSent: false, pid: 0, time: now, startedMs: nowMs, wstat: 0, throttleUntil: 0, startRequested: false };
}

const SIGNAL_OF: Record<string, NodeJS.Signals> = {
  h: 'SIGHUP',
  a: 'SIGALRM',
  i: 'SIGINT',
  q: 'SIGQUIT',
  '1': 'SIGUSR1',
  '2': 'SIGUSR2',
};

/** The bytes that mean something; anything else written to control is dropped. */
export function isCommand(byte: string, isLog: boolean): boolean {
  return 'udoxtkpchaiq12'.includes(byte) && !(isLog && byte === 'x');
}

/** A control byte: mutates the slot and returns the steps to carry out, in order. */
export function onControl(s: Slot, c: string): Step[] {
  const running = s.state === RUN;
  const publish: Step = { do: 'publish' };
  switch (c) {
    case 'u':
      s.want = 'up';
      return s.state === DOWN ? [publish, { do: 'start' }] : [publish];
    case 'o':
      s.want = 'down';
      return s.state === DOWN ? [publish, { do: 'start' }] : [publish];
    case 'd':
      s.want = 'down';
      s.startRequested = false;
      return running ? [publish, { do: 'stop' }] : [publish];
    case 'x':
      if (s.isLog) return [];
      s.want = 'exit';
      s.startRequested = false;
      return running ? [publish, { do: 'stop' }] : [publish];
    case 't':
      return running ? [{ do: 'stop' }] : [];
    case 'k': {
      // runsv marks the service down without waiting for the reap, in every
      // state: a k during ./finish therefore makes it run ./finish again later.
      const steps: Step[] = running && s.pid ? [{ do: 'signal', sig: 'SIGKILL', letter: 'k' }] : [];
      s.state = DOWN;
      return steps;
    }
    case 'p':
      s.paused = true;
      return running && s.pid ? [{ do: 'signal', sig: 'SIGSTOP', letter: 'p' }, publish] : [publish];
    case 'c':
      s.paused = false;
      return running && s.pid ? [{ do: 'signal', sig: 'SIGCONT', letter: 'c' }, publish] : [publish];
    default: {
      const sig = SIGNAL_OF[c];
      return sig && running && s.pid ? [{ do: 'signal', sig, letter: c }] : [];
    }
  }
}

/**
 * The slot's process was reaped. `finishUsable`: ./finish can be opened for
 * reading (runsv does not check that it is executable). Returns the steps.
 */
export function onReaped(s: Slot, status: number, finishUsable: boolean, now: TaiTime, nowMs: number): Step[] {
  s.pid = 0;
  s.termSent = false;
  if (!s.isLog) s.wstat = status;
  if (!s.isLog && s.state !== FINISH && finishUsable) {
    s.state = FINISH;
    return [{ do: 'publish' }];
  }
  s.state = DOWN;
  s.time = now;
  // runsv sleeps a full second when the process lived less than one second
  if (nowMs < s.startedMs + 1000) s.throttleUntil = nowMs + 1000;
  return [{ do: 'publish' }];
}

/** Whether the supervisor loop should start something in this slot now. */
export function dueToStart(s: Slot, nowMs: number): boolean {
  if (s.pid !== 0 || nowMs < s.throttleUntil) return false;
  if (s.isLog) return s.want === 'up';
  return s.want === 'up' || s.state === FINISH || s.startRequested;
}

/**
 * ./finish's two arguments for the last wait status: `CODE 0` or `-1 SIGNAL`, and
 * `-1 0` (which no real exit gives) when it is unknown.
 */
export function finishArgs(wstat: number): [string, string] {
  if (wstat === UNKNOWN_WSTAT) return ['-1', '0'];
  if ((wstat & 0x7f) !== 0) return ['-1', String(wstat & 0xff)];
  return [String(wstat >> 8), '0'];
}
