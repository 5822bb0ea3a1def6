// A log directory's `config` file, parsed as runit's svlogd does: the first byte
// of each line selects the directive, the rest of the line (no trimming) is its
// argument; unknown first bytes are ignored.
import { scanIp4, scanUlong } from './scan';

export interface Pattern {
  /** '+', '-', 'e' or 'E' */
  kind: number;
  text: Buffer;
}

export interface DirConfig {
  /** s: rotate when current reaches this many bytes; 0 = never */
  sizeMax: number;
  /** n: keep at most this many old files; 0 = never delete */
  nMax: number;
  /** N: keep at least this many when deleting for a full disk */
  nMin: number;
  /** t: rotate every this many seconds if non-empty; 0 = off */
  tMax: number;
  /** !: processor command, run by /bin/sh -c */
  processor: string | null;
  /** u/U: forward selected lines by UDP */
  udp: { host: string; port: number } | null;
  /** U was given: do not write to the directory */
  udpOnly: boolean;
  /** p: prefix after the timestamp */
  prefix: Buffer | null;
  patterns: Pattern[];
}

export function defaultConfig(): DirConfig {
  return {
    sizeMax: 1000000,
    nMax: 10,
    nMin: 10,
    tMax: 0,
    processor: null,
    udp: null,
    udpOnly: false,
    prefix: null,
    patterns: [],
  };
}

/**
 * Parses config text. `warn` receives runit's warnings for bad u/U lines
 * (e.g. 'unable to scan port number: abc').
 */
export function parseConfig(data: Buffer, warn: (msg: string) => void = () => {}): DirConfig {
  const cfg = defaultConfig();
  let pos = 0;
  while (pos < data.length) {
    let nl = data.indexOf(10, pos);
    if (nl < 0) nl = data.length;
    const lineBuf = data.subarray(pos, nl);
    pos = nl + 1;
    if (lineBuf.length === 0) continue;
    const kind = lineBuf[0];
    const argBuf = lineBuf.subarray(1);
    const arg = argBuf.toString('latin1');
    switch (kind) {
      case 0x2b: // +
      case 0x2d: // -
      case 0x65: // e
      case 0x45: // E
        // C strings: a NUL ends the pattern.
        cfg.patterns.push({ kind, text: Buffer.from(cutNul(argBuf)) });
        break;
      case 0x73: {
        // s
        const { value, used } = scanUlong(arg);
        let size = value;
        if (used > 0 && arg[used] === 'k') size *= 1024;
        else if (used > 0 && arg[used] === 'm') size *= 1048576;
        cfg.sizeMax = size;
        break;
      }
      case 0x6e: // n
        cfg.nMax = scanUlong(arg).value;
        break;
      case 0x4e: // N
        cfg.nMin = scanUlong(arg).value;
        break;
      case 0x74: {
        // t
        const { value, used } = scanUlong(arg);
        let secs = value;
        if (used > 0 && arg[used] === 'm') secs *= 60;
        else if (used > 0 && arg[used] === 'h') secs *= 3600;
        cfg.tMax = secs;
        break;
      }
      case 0x21: // !
        if (argBuf.length > 0) cfg.processor = cutNul(argBuf).toString();
        break;
      case 0x75: // u
      case 0x55: {
        // U: runit sets "UDP only" before parsing the address
        if (kind === 0x55) cfg.udpOnly = true;
        const ip = scanIp4(arg);
        if (!ip) {
          warn(`unable to scan ip address: ${arg}`);
          break;
        }
        let port = 514;
        if (arg[ip.used] === ':') {
          const rest = arg.slice(ip.used + 1);
          const p = scanUlong(rest).value;
          if (p === 0) {
            warn(`unable to scan port number: ${rest}`);
            break;
          }
          port = p & 0xffff;
        }
        cfg.udp = { host: ip.ip, port };
        break;
      }
      case 0x70: // p
        if (argBuf.length > 0) cfg.prefix = Buffer.from(cutNul(argBuf));
        break;
      default:
        break;
    }
  }
  return cfg;
}

function cutNul(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}
