// Which entries of the scan folder are services, by runsvdir's rules: every entry
// not starting with '.' that is a folder after following symlinks. A service is
// identified by the (device, inode) of that folder, so a rename keeps it and two
// names for one folder make one service.
import { errorText } from '../errstr';
import { listFolder } from '../native';

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

// The listing and every entry's stat in one native job (one threadpool round
// trip, not one per entry): what decides how soon the first service starts.
export async function scanFolder(dir: string): Promise<ScanResult> {
  const warnings: string[] = [];
  const listing = await listFolder(dir);
  if (listing.failed !== null) {
    const code = listing.error?.code;
    const what = listing.failed === 'open' && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') ? 'open' : 'read';
    return { entries: [], warnings: [`unable to ${what} directory ${dir}: ${errorText(listing.error)}`], complete: false };
  }
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const e of listing.entries) {
    if (e.name.startsWith('.')) continue;
    if (e.key === null) {
      warnings.push(`unable to stat ${e.name}: ${errorText(e.error)}`);
      continue;
    }
    if (!e.isDir || seen.has(e.key)) continue;
    seen.add(e.key);
    entries.push({ name: e.name, key: e.key });
  }
  return { entries, warnings, complete: true };
}
