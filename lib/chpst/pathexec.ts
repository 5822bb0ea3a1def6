// runit's pathexec_run: which files to try for PROG and when to give up. The search
// is done here rather than in the addon because runit's rules differ from execvp's:
// ENOTDIR ends the search, EPERM and EISDIR are remembered and skipped like EACCES.
import { EACCES, EISDIR, ENOENT, EPERM } from './errstr';

/** Candidate paths for `file`, given the PATH of chpst's own environment. */
export function candidates(file: string, pathVar: string | undefined): string[] {
  if (file.includes('/')) return [file];
  const path = pathVar ?? '/bin:/usr/bin';
  // an empty element is the current directory
  return path.split(':').map((dir) => `${dir === '' ? '.' : dir}/${file}`);
}

/**
 * Tries each candidate with `exec` (which returns only when exec failed, with the
 * errno) and returns the errno runit would report.
 */
export function pathexecRun(tries: readonly string[], exec: (candidate: string) => number): number {
  let saved = 0;
  let errno = ENOENT;
  for (const c of tries) {
    errno = exec(c);
    if (errno !== ENOENT) {
      saved = errno;
      if (errno !== EACCES && errno !== EPERM && errno !== EISDIR) return errno;
    }
  }
  return saved !== 0 ? saved : errno;
}
