// Converting TAI64N labels at line starts to local time, exactly as daemontools'
// tai64nlocal does: after a `@` at the start of a line it takes the whole run of
// lowercase hex digits (any length, not just 24), the last 8 as nanoseconds and the
// 16 before them (mod 2^64) as TAI64 seconds, and prints localtime() of
// seconds - (2^62 + 10). The byte that ended the run is kept.
//
// Deviations, both where tai64nlocal itself misbehaves: a label whose time glibc's
// localtime() cannot represent makes tai64nlocal dereference NULL and die of SIGSEGV
// (losing its buffered output); here the label is passed through unchanged.
import { formatLocalSeconds, nanosText } from './localtime';

const AT = 0x40;
const NL = 0x0a;
const TAI_OFFSET = 4611686018427387914n; // 2^62 + 10

function isLowerHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

let lastSecHex = '';
let lastSecText: string | null = null;

/** The local-time text for a run of hex digits (without the `@`), or null if unrepresentable. */
export function labelDigitsText(digits: string): string | null {
  if (digits.length === 24) {
    // the usual svlogd label: lines of one second share the date text
    const secHex = digits.slice(0, 16);
    if (secHex !== lastSecHex) {
      lastSecHex = secHex;
      lastSecText = formatLocalSeconds(BigInt.asIntN(64, BigInt('0x' + secHex) - TAI_OFFSET));
    }
    return lastSecText === null ? null : `${lastSecText}.${nanosText(parseInt(digits.slice(16), 16))}`;
  }
  const tail = digits.length > 24 ? digits.slice(-24) : digits;
  const nsDigits = tail.length > 8 ? tail.slice(-8) : tail;
  const secDigits = tail.length > 8 ? tail.slice(0, -8) : '';
  const nsec = nsDigits === '' ? 0 : parseInt(nsDigits, 16);
  const raw = secDigits === '' ? 0n : BigInt('0x' + secDigits);
  const secs = BigInt.asIntN(64, raw - TAI_OFFSET);
  const date = formatLocalSeconds(secs);
  return date === null ? null : `${date}.${nanosText(nsec)}`;
}

/** End (exclusive) of the hex run that starts at `from`. */
function hexRunEnd(buf: Buffer, from: number): number {
  let j = from;
  while (j < buf.length && isLowerHex(buf[j])) j++;
  return j;
}

/**
 * Appends `line` to `out` at `at` with a leading label converted (as convertLine);
 * `out` must have room for line.length + 8 bytes. Returns the new end.
 */
export function convertLineInto(line: Buffer, out: Buffer, at: number): number {
  if (line.length > 0 && line[0] === AT) {
    const end = hexRunEnd(line, 1);
    if (end < line.length) {
      const text = labelDigitsText(line.toString('latin1', 1, end));
      if (text !== null) {
        at += out.write(text, at, 'latin1');
        return at + line.copy(out, at, end);
      }
    }
  }
  return at + line.copy(out, at);
}

/**
 * One line (with or without its `\n`) with a leading label converted; lines
 * without a label, or whose label is not followed by any byte (a partial last
 * line), come back as they are.
 */
export function convertLine(line: Buffer): Buffer {
  if (line.length === 0 || line[0] !== AT) return line;
  const end = hexRunEnd(line, 1);
  if (end === line.length) return line;
  const text = labelDigitsText(line.toString('latin1', 1, end));
  if (text === null) return line;
  return Buffer.concat([Buffer.from(text, 'latin1'), line.subarray(end)]);
}

const enum State {
  LineStart,
  InLine,
  Label,
}

/**
 * tai64nlocal as a stream: feed chunks, get the output for each chunk. Like
 * tai64nlocal, a label still being read at end of input is dropped (it exits as
 * soon as read() returns 0 there), so `end()` returns nothing.
 */
export class Tai64nLocalStream {
  private state = State.LineStart;
  private digits = '';

  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === State.InLine) {
        const nl = chunk.indexOf(NL, i);
        if (nl < 0) {
          out.push(chunk.subarray(i));
          return Buffer.concat(out);
        }
        out.push(chunk.subarray(i, nl + 1));
        i = nl + 1;
        this.state = State.LineStart;
      } else if (this.state === State.LineStart) {
        if (chunk[i] === AT) {
          this.state = State.Label;
          this.digits = '';
          i++;
        } else {
          this.state = State.InLine;
        }
      } else {
        const end = hexRunEnd(chunk, i);
        if (end > i) this.digits += chunk.toString('latin1', i, end);
        i = end;
        if (i === n) break;
        const text = labelDigitsText(this.digits);
        out.push(Buffer.from(text ?? '@' + this.digits, 'latin1'));
        this.digits = '';
        // the byte that ended the run belongs to the line, even if it is '\n'
        this.state = State.InLine;
        if (chunk[i] === NL) {
          out.push(chunk.subarray(i, i + 1));
          this.state = State.LineStart;
          i++;
        }
      }
    }
    return Buffer.concat(out);
  }
}
