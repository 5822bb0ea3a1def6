// The 20-byte supervise/status record, byte for byte as runit's runsv writes it,
// so runit's sv and daemontools' svstat can read ours and our sv can read theirs.
//
//   0..7   TAI64 seconds, big-endian        } when the current state began
//   8..11  nanoseconds, big-endian          }
//   12..15 pid, LITTLE-endian (0: no process)
//   16     paused flag          17  want: 'u' or 'd' (exit is written as 'd')
//   18     got-TERM flag        19  state: 0 down, 1 run, 2 finish
import { TaiTime, decodeTai64n, encodeTai64n } from '../tai64';

export const STATUS_SIZE = 20;

/** Offsets of the fields; clients that must see raw bytes (sv) read them through these. */
export const STATUS_OFFSET = {
  time: 0,
  pid: 12,
  paused: 16,
  want: 17,
  termSent: 18,
  state: 19,
} as const;

export const STATE_DOWN = 0;
export const STATE_RUN = 1;
export const STATE_FINISH = 2;

export interface StatusRecord {
  /** when the current state began (run: when ./run was started; down: when it went down) */
  time: TaiTime;
  /** the run or finish process, 0 when none */
  pid: number;
  paused: boolean;
  want: 'u' | 'd';
  termSent: boolean;
  /** 0 down, 1 run, 2 finish */
  state: 0 | 1 | 2;
}

/** Names of the files in supervise/ (and log/supervise/). */
export const SUPERVISE_FILES = {
  dir: 'supervise',
  status: 'status',
  statusNew: 'status.new',
  control: 'control',
  ok: 'ok',
  lock: 'lock',
  stat: 'stat',
  statNew: 'stat.new',
  pid: 'pid',
  pidNew: 'pid.new',
  // ours, not runit's: what lets a restarted daemon adopt what runs
  /** `PID STARTTICKS STATE\n`: the process the status names, as /proc knows it */
  pidstart: 'pidstart',
  pidstartNew: 'pidstart.new',
  /** the FIFO between the service and its log service (in the service's supervise/) */
  logpipe: 'logpipe',
} as const;

export function encodeStatus(rec: StatusRecord, out: Buffer = Buffer.alloc(STATUS_SIZE)): Buffer {
  encodeTai64n(rec.time, out, STATUS_OFFSET.time);
  out.writeUInt32LE(rec.pid >>> 0, STATUS_OFFSET.pid);
  out[STATUS_OFFSET.paused] = rec.paused ? 1 : 0;
  out[STATUS_OFFSET.want] = rec.want === 'u' ? 0x75 : 0x64;
  out[STATUS_OFFSET.termSent] = rec.termSent ? 1 : 0;
  out[STATUS_OFFSET.state] = rec.state;
  return out;
}

/**
 * Reads a record. Lenient like runit's readers: any non-zero flag byte is true,
 * any want byte but 'u' is 'd', and a state byte above 2 is reported as is
 * (sv prints no state word for it) although the type says 0|1|2.
 */
export function decodeStatus(buf: Buffer): StatusRecord {
  if (buf.length < STATUS_SIZE) throw new RangeError(`status record needs ${STATUS_SIZE} bytes, got ${buf.length}`);
  return {
    time: decodeTai64n(buf, STATUS_OFFSET.time),
    pid: buf.readUInt32LE(STATUS_OFFSET.pid),
    paused: buf[STATUS_OFFSET.paused] !== 0,
    want: buf[STATUS_OFFSET.want] === 0x75 ? 'u' : 'd',
    termSent: buf[STATUS_OFFSET.termSent] !== 0,
    state: buf[STATUS_OFFSET.state] as 0 | 1 | 2,
  };
}

/**
 * TAI64 seconds of a record as an exact bigint. decodeStatus's `time.sec` is a
 * Number and loses precision for absurd labels (an all-zero record), where sv
 * still prints an exact, huge age.
 */
export function statusTaiSeconds(buf: Buffer): bigint {
  return buf.readBigUInt64BE(STATUS_OFFSET.time);
}
