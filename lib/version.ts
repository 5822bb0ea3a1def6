// The package's version, from its package.json (lib/ and dist/ sit one level below).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}
