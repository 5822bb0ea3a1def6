// runsvdir's scan folder at start: one that cannot be listed now is a
// mistake to report at once (exit 111, runit's "try again later" code) rather
// than a daemon that supervises nothing. As a container's PID 1 that exit ends
// the container, which the container runtime reports.
import { promises as fsp } from 'node:fs';
import { errorText } from '../errstr';

/** null when `dir` is a folder this process can list; otherwise why not, in runit's words. */
export async function scanFolderProblem(dir: string): Promise<string | null> {
  try {
    const d = await fsp.opendir(dir);
    await d.close();
    return null;
  } catch (err) {
    return `unable to open ${dir}: ${errorText(err)}`;
  }
}
