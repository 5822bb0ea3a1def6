// What makes periodic rescans unnecessary: inotify on the scan folder (entries
// added, removed, renamed; the folder itself moved or deleted) and on the parent
// of every symlink on its path, for the one entry that is the link (runsvchdir
// retargets /etc/runit/runsvdir/current under /etc/service). When every watch is
// in place nothing wakes the daemon while nothing changes; when one cannot be
// made (no inotify, out of watches) the caller keeps its periodic look.
import { FSWatcher, promises as fsp, watch } from 'node:fs';
import * as path from 'node:path';

const MAX_LINKS = 40;

/** The symlinks met while resolving `p`, as [parent folder, entry name]. Throws if `p` cannot be resolved. */
export async function linksOnPath(p: string): Promise<[string, string][]> {
  const links: [string, string][] = [];
  let cur = '/';
  const todo = path.resolve(p).split('/').filter(Boolean);
  while (todo.length > 0) {
    const name = todo.shift() as string;
    if (name === '.') continue;
    if (name === '..') {
      cur = path.dirname(cur);
      continue;
    }
    const next = path.join(cur, name);
    const st = await fsp.lstat(next);
    if (!st.isSymbolicLink()) {
      cur = next;
      continue;
    }
    if (links.length >= MAX_LINKS) throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
    links.push([cur, name]);
    const target = await fsp.readlink(next);
    if (target.startsWith('/')) cur = '/';
    todo.unshift(...target.split('/').filter(Boolean));
  }
  return links;
}

export class FolderWatch {
  private watchers: FSWatcher[] = [];
  private closed = false;

  /** `onChange` runs on every event that may change what the folder holds or is. */
  constructor(
    private readonly dir: string,
    private readonly onChange: () => void,
    private readonly onFailure: () => void,
  ) {}

  /** Sets up every watch; true when they cover everything (no periodic look needed). */
  async arm(): Promise<boolean> {
    this.close();
    this.closed = false;
    let links: [string, string][];
    try {
      links = await linksOnPath(this.dir);
    } catch {
      return false;
    }
    if (this.closed) return false;
    try {
      this.add(this.dir, null);
      for (const [parent, name] of links) this.add(parent, name);
    } catch {
      // no inotify, or out of watches
      this.close();
      return false;
    }
    return true;
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private add(dir: string, only: string | null): void {
    const w = watch(dir, { persistent: false }, (_event, filename) => {
      if (only === null || filename === null || filename.toString() === only) this.onChange();
    });
    w.on('error', () => {
      // the folder went away or was replaced: the caller looks and arms again
      this.close();
      this.onFailure();
    });
    this.watchers.push(w);
  }
}
