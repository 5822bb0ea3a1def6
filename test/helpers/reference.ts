// Paths of the reference runit 2.1.2 / daemontools binaries that
// scripts/install-reference.sh unpacks into .reference/ (npm test runs it first).
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const referenceBinDir = path.join(repoRoot, '.reference', 'usr', 'bin');

/** Absolute path of a reference binary (runsv, sv, svc, svstat, svlogd, chpst ...), or null. */
export function referenceBin(name: string): string | null {
  const p = path.join(referenceBinDir, name);
  return existsSync(p) ? p : null;
}

/**
 * For t.test(name, referenceSkip('runsv', 'sv'), ...): skips, with the reason, when
 * a binary is missing (apt-get download was impossible on this machine).
 */
export function referenceSkip(...names: string[]): { skip: string | false } {
  const missing = names.filter((n) => referenceBin(n) === null);
  return { skip: missing.length ? `reference ${missing.join(', ')} not installed (run npm run reference)` : false };
}

/** Our own commands, as installed: bin/ (launchers running dist/, and chpst, a link to the native build/Release/chpst). */
export function ourBin(name: string): string {
  return path.join(repoRoot, 'bin', name);
}
