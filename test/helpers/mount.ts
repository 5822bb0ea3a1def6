// Small tmpfs mounts for full-disk tests (root only): mounted by the test,
// unmounted in teardown; a probe says why a test must skip where mount(2) is refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './proc';

/** false when a tmpfs can be mounted here, else the reason to skip. */
export function tmpfsSkipReason(): string | false {
  const probe = mkdtempSync('/tmp/runitd-mount-probe-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (r.status === 0) spawnSync('umount', [probe]);
  rmdirSync(probe);
  return r.status === 0 ? false : `cannot mount a tmpfs here (${r.stderr.toString().trim() || 'not permitted'})`;
}

type Teardown = { teardown(fn: () => void): void };

/** Mounts a tmpfs of `size` on `dir` (created if missing), unmounted in teardown. */
export function mountTmpfs(t: Teardown, dir: string, size = '64k'): string {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
  t.teardown(() => {
    spawnSync('umount', ['-l', dir]);
  });
  return dir;
}

/** A fresh tmpfs of `size` in a temp folder. */
export function tinyFs(t: Teardown, size = '64k'): string {
  return mountTmpfs(t, path.join(tempDir(t), 'mnt'), size);
}
