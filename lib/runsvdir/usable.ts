// runsvdir's scan folder at start: one that cannot be listed now is a
// mistake to report at once (exit 111, runit's "try again later" code) rather
// than a daemon that supervises nothing. As a container's PID 1 that exit ends
// the container, which the container runtime reports.
import { opendirSync } from 'node:fs';
import { errorText } from '../errstr';

/**
 * null when `dir` is a folder this process can list; otherwise why not, in runit's words.
 * Synchronous on purpose: it runs once, before anything is supervised or any
 * signal handler is set, so there is nothing for the event loop to do meanwhile,
 * and it spares the daemon's start two threadpool round trips.
 */
export function scanFolderProblem(dir: string): string | null {
  try {
    opendirSync(dir).closeSync();
    return null;
  } catch (err) {
    return `unable to open ${dir}: ${errorText(err)}`;
  }
}
