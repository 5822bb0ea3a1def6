// TAI64 / TAI64N labels as runit writes them: seconds = 2^62 + 10 + unix seconds
// (a fixed 10 s TAI-UTC offset), nanoseconds = microseconds * 1000 + 500.
// Used by supervise/status, svlogd's -t and file names, and the log pager.

const TAI_BASE = 0x4000000000000000n + 10n;

/** A point in time as runit sees it: whole unix seconds and nanoseconds. */
export interface TaiTime {
  /** unix seconds */
  sec: number;
  nsec: number;
}

/** Now, at microsecond precision with runit's trailing 500 ns. */
export function taiNow(): TaiTime {
  return fromMicros(Math.floor((performance.timeOrigin + performance.now()) * 1000));
}

export function fromMicros(us: number): TaiTime {
  const sec = Math.floor(us / 1e6);
  return { sec, nsec: (us - sec * 1e6) * 1000 + 500 };
}

/** 12 bytes: big-endian TAI64 seconds then big-endian nanoseconds. */
export function encodeTai64n(t: TaiTime, out: Buffer = Buffer.alloc(12), offset = 0): Buffer {
  out.writeBigUInt64BE(TAI_BASE + BigInt(t.sec), offset);
  out.writeUInt32BE(t.nsec >>> 0, offset + 8);
  return out;
}

export function decodeTai64n(buf: Buffer, offset = 0): TaiTime {
  const sec = Number(buf.readBigUInt64BE(offset) - TAI_BASE);
  return { sec, nsec: buf.readUInt32BE(offset + 8) };
}

/** `@` + 24 lowercase hex digits, as svlogd's -t and rotated file names. */
export function formatLabel(t: TaiTime): string {
  return '@' + encodeTai64n(t).toString('hex');
}

const LABEL_RE = /^@([0-9a-fA-F]{24})/;

/** Parses the label at the start of `s` (as tai64nlocal does); null if there is none. */
export function parseLabel(s: string): TaiTime | null {
  const m = LABEL_RE.exec(s);
  if (!m) return null;
  return decodeTai64n(Buffer.from(m[1], 'hex'));
}
