// Can a script the supervisor runs (run, finish, log/run, control/X, check) be
// executed as the supervisor does it: execve, no shell fallback, so ENOEXEC
// without a #! line, and the kernel reading the interpreter path literally
// (a DOS line ending makes it "/bin/sh\r").
import { accessSync, constants, lstatSync, openSync, readSync, closeSync, Stats, statSync } from 'node:fs';
import type { Finding, Level } from './findings';

const HEAD_BYTES = 256;

function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** Writable by users other than the owner and group: they could make root run anything. */
export function othersCanWrite(st: Stats): boolean {
  return (st.mode & 0o002) !== 0;
}

/**
 * Findings for the script at `file` (shown as `shown`). `missing` is the level of
 * an absent file (null: absence is fine); `notRunnable` that of one that exists
 * but cannot run (an error for run, a warning for the optional ones, which the
 * supervisor then skips).
 */
export function checkScript(file: string, shown: string, missing: Level | null, notRunnable: Level, missingText = 'does not exist'): Finding[] {
  const out: Finding[] = [];
  const say = (level: Level, message: string) => out.push({ level, path: shown, message });
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') say(notRunnable, `cannot be read (${code})`);
    else if (lstatSafe(file)?.isSymbolicLink()) say(notRunnable, 'is a symbolic link to nothing');
    else if (missing) say(missing, missingText);
    return out;
  }
  if (!st.isFile()) {
    say(notRunnable, 'is not a regular file');
    return out;
  }
  if (othersCanWrite(st)) say('error', 'is writable by others: any user can change what the supervisor runs');
  if ((st.mode & 0o111) === 0) {
    say(notRunnable, 'is not executable (chmod +x)');
    return out;
  }
  const h = head(file);
  if (h.length === 0) {
    say(notRunnable, 'is empty: exec fails (ENOEXEC)');
    return out;
  }
  if (h.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return out;
  if (h[0] !== 0x23 || h[1] !== 0x21) {
    say(notRunnable, 'has no #! line: it is exec\'d without a shell, which fails (ENOEXEC)');
    return out;
  }
  const line = h.toString('latin1').split('\n')[0];
  if (line.endsWith('\r')) {
    say(notRunnable, 'its #! line ends in a carriage return (DOS line endings): exec fails');
    return out;
  }
  const interpreter = line.slice(2).trim().split(/\s+/)[0] ?? '';
  if (interpreter === '') say(notRunnable, 'its #! line names no interpreter');
  else if (!interpreter.startsWith('/')) say('warning', `its interpreter ${interpreter} is a relative path (taken from the service folder)`);
  else if (!canExec(interpreter)) say(notRunnable, `its interpreter ${interpreter} does not exist or is not executable`);
  return out;
}

function canExec(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function lstatSafe(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}
