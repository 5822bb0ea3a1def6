// Where the addon comes from, without loading it: lib/native.ts loads it, and
// `runitd version` tells which one a machine uses (built here, or prebuilt).
import * as path from 'node:path';

/** The package root: lib/ and dist/ both sit one level below it. */
export const packageRoot = path.join(__dirname, '..');

/**
 * build/Release/ (compiled here) when it holds an addon, else the prebuilds/ entry
 * matching this platform, arch and libc (an installed package; scripts/install.js).
 * Throws when neither exists.
 */
export function addonPath(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('node-gyp-build') as { resolve(dir: string): string }).resolve(packageRoot);
}
