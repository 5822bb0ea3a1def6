// Programs that a test runs as another user (nobody) must be reachable by that user,
// and a checkout in a folder others cannot enter (mktemp -d, /root: mode 0700) is
// not. So such runs use a staged copy of what runs (our bin/, dist/, build/Release/,
// the runtime dependencies and the reference binaries) in a fresh world-readable folder under /tmp, wherever
// the checkout lives: the same files, so every assertion stays as strict.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { referenceBinDir, repoRoot } from './reference';

export interface Staged {
  /** the staged folder (mode 0755, removed at teardown) */
  readonly root: string;
  /** our command `name`, runnable by any user */
  ourBin(name: string): string;
  /** runit's / daemontools' `name`, runnable by any user, or null when not installed */
  referenceBin(name: string): string | null;
}

// /tmp rather than os.tmpdir(): TMPDIR may point into a private folder
const STAGE_PARENT = '/tmp';

/** Stages the runnable parts of the checkout for other users; removed when `t` ends. */
export function stageForOtherUsers(t: { teardown(fn: () => void): void }): Staged {
  const root = mkdtempSync(path.join(STAGE_PARENT, 'runitd-stage-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const copy = (from: string, to: string) => {
    if (existsSync(from)) cpSync(from, path.join(root, to), { recursive: true, verbatimSymlinks: true });
  };
  copy(path.join(repoRoot, 'bin'), 'bin');
  copy(path.join(repoRoot, 'dist'), 'dist');
  copy(path.join(repoRoot, 'build', 'Release'), path.join('build', 'Release'));
  // dist/ requires its runtime dependencies (node-gyp-build finds the addon)
  copy(path.join(repoRoot, 'package.json'), 'package.json');
  for (const dep of Object.keys(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).dependencies ?? {})) {
    copy(path.join(repoRoot, 'node_modules', dep), path.join('node_modules', dep));
  }
  copy(referenceBinDir, 'reference');
  openToAll(root);
  const refDir = path.join(root, 'reference');
  return {
    root,
    ourBin: (name) => path.join(root, 'bin', name),
    referenceBin: (name) => (existsSync(path.join(refDir, name)) ? path.join(refDir, name) : null),
  };
}

// a+rX, whatever umask the checkout was made with
function openToAll(p: string): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return;
  chmodSync(p, st.isDirectory() || st.mode & 0o111 ? st.mode | 0o555 : st.mode | 0o444);
  if (st.isDirectory()) for (const e of readdirSync(p)) openToAll(path.join(p, e));
}

/** True if `user` can execute `file`: every folder on the way searchable, the file executable. */
export function canExecute(user: { uid: number; gid: number }, file: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', file], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return r.status === 0;
}
