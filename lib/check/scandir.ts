// The service folders runsvdir would supervise in a scan folder: every entry
// (folder or link to one) whose name does not start with a dot.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from './findings';

export function servicesIn(scandir: string): { services: string[]; findings: Finding[] } {
  const services: string[] = [];
  const findings: Finding[] = [];
  let names: string[];
  try {
    names = readdirSync(scandir).sort();
  } catch (err) {
    return { services, findings: [{ level: 'error', path: scandir, message: `cannot be read (${(err as NodeJS.ErrnoException).code})` }] };
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const p = path.join(scandir, name);
    try {
      if (statSync(p).isDirectory()) services.push(p);
    } catch {
      findings.push({ level: 'warning', path: p, message: 'is a symbolic link to nothing: runsvdir skips it' });
    }
  }
  return { services, findings };
}
