// Which entries of the scan folder are services, by runsvdir's rules: every entry
// not starting with '.' that is a folder after following symlinks. A service is
// identified by the (device, inode) of that folder, so a rename keeps it and two
// names for one folder make one service.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../errstr';

export interface Entry {
  name: string;
  /** `dev:ino` of the folder the name leads to */
  key: string;
}

export interface ScanResult {
  entries: Entry[];
  warnings: string[];
  /** false when the folder could not be read to the end: nothing may be removed */
  complete: boolean;
}

export async function scanFolder(dir: string): Promise<ScanResult> {
  const warnings: string[] = [];
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' ? 'open' : 'read';
    return { entries: [], warnings: [`unable to ${what} directory ${dir}: ${errorText(err)}`], complete: false };
  }
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const stats = await Promise.all(
    names.map(async (name) => {
      if (name.startsWith('.')) return null;
      try {
        return { name, st: await fsp.stat(path.join(dir, name), { bigint: true }) };
      } catch (err) {
        warnings.push(`unable to stat ${name}: ${errorText(err)}`);
        return null;
      }
    }),
  );
  for (const s of stats) {
    if (!s || !s.st.isDirectory()) continue;
    const key = `${s.st.dev}:${s.st.ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ name: s.name, key });
  }
  return { entries, warnings, complete: true };
}
