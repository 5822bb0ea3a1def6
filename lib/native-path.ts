// Where the addon comes from, without loading it: lib/native.ts loads it, and
// `runitd version` tells which one a machine uses (built here, or prebuilt).
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The package root: lib/ and dist/ both sit one level below it. */
export const packageRoot = path.join(__dirname, '..');

/**
 * build/Release/ (compiled here) when it holds an addon, else the prebuilds/ entry
 * matching this platform, arch and libc (an installed package; scripts/install.js).
 * Throws when neither exists.
 */
export function addonPath(): string {
  // node-gyp-build looks here first too; one stat instead of loading it and its
  // package.json reads on every daemon and sv start
  const built = path.join(packageRoot, 'build', 'Release', 'runitd.node');
  if (existsSync(built)) return built;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('node-gyp-build') as { resolve(dir: string): string }).resolve(packageRoot);
}
