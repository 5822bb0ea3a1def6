// A memory cgroup of the test's own, v2 (memory.max, memory.peak) or v1
// (memory.limit_in_bytes, memory.max_usage_in_bytes), made under the cgroup this
// process is in; null with the reason where neither can be made (no controller,
// no permission). Swap is switched off in it where the kernel lets us.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface MemoryCgroup {
  dir: string;
  version: 1 | 2;
  /** the highest usage seen, in bytes */
  peak(): number;
  /** OOM kills in it so far */
  oomKills(): number;
  /** removes it (every process in it must be gone) */
  remove(): void;
}

function ownPath(controller: string | null): string | null {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (p === undefined) continue;
    if (controller === null ? line.startsWith('0::') : ctrls.split(',').includes(controller)) return p;
  }
  return null;
}

function field(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

export function makeMemoryCgroup(name: string, limitBytes: number): MemoryCgroup | string {
  const tries: string[] = [];
  // v2: the unified hierarchy with the memory controller enabled for children
  const v2own = ownPath(null);
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    if (v2own === null || !existsSync(path.join(root, 'cgroup.controllers'))) continue;
    const parent = path.join(root, v2own);
    try {
      if (!readFileSync(path.join(parent, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory')) {
        tries.push(`${parent}: memory not enabled for children`);
        continue;
      }
      const dir = path.join(parent, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'memory.max'), String(limitBytes));
      try {
        writeFileSync(path.join(dir, 'memory.swap.max'), '0');
      } catch {
        // no swap accounting: nothing to switch off
      }
      return {
        dir,
        version: 2,
        peak: () => {
          const p = path.join(dir, 'memory.peak');
          return existsSync(p) ? Number(readFileSync(p, 'utf8')) : Number(readFileSync(path.join(dir, 'memory.current'), 'utf8'));
        },
        oomKills: () => field(readFileSync(path.join(dir, 'memory.events'), 'utf8'), 'oom_kill'),
        remove: () => rmdirSync(dir),
      };
    } catch (err) {
      tries.push(`${parent}: ${(err as Error).message}`);
    }
  }
  const v1own = ownPath('memory');
  const v1root = '/sys/fs/cgroup/memory';
  if (v1own !== null && existsSync(v1root)) {
    const dir = path.join(v1root, v1own, name);
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(limitBytes));
      try {
        writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes));
      } catch {
        // no swap accounting
      }
      return {
        dir,
        version: 1,
        peak: () => Number(readFileSync(path.join(dir, 'memory.max_usage_in_bytes'), 'utf8')),
        oomKills: () => field(readFileSync(path.join(dir, 'memory.oom_control'), 'utf8'), 'oom_kill'),
        remove: () => rmdirSync(dir),
      };
    } catch (err) {
      tries.push(`${dir}: ${(err as Error).message}`);
    }
  } else tries.push('no v1 memory controller');
  return `no memory cgroup could be made (${tries.join('; ') || 'no cgroup file system'})`;
}
