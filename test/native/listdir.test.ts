// listFolder: one threadpool job lists a folder and looks at (stats, following
// symlinks) every entry whose name does not start with '.': what runsvdir's
// scan is made of.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listFolder } from '../../lib/native';

t.test('names, what each leads to, and why a look failed', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'runitd-listdir-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'svc'));
  writeFileSync(path.join(dir, 'file'), '');
  symlinkSync('svc', path.join(dir, 'alias'));
  symlinkSync('nowhere', path.join(dir, 'dangling'));
  mkdirSync(path.join(dir, '.hidden'));

  const got = await listFolder(dir);
  t.equal(got.failed, null);
  t.equal(got.error, null);
  const byName = new Map(got.entries.map((e) => [e.name, e]));
  t.same([...byName.keys()].sort(), ['.hidden', 'alias', 'dangling', 'file', 'svc'], 'every entry but . and ..');

  const st = statSync(path.join(dir, 'svc'), { bigint: true });
  t.same(byName.get('svc'), { name: 'svc', key: `${st.dev}:${st.ino}`, isDir: true, error: null }, 'a folder: its dev:ino');
  t.same(byName.get('alias'), { name: 'alias', key: `${st.dev}:${st.ino}`, isDir: true, error: null }, 'a link is followed');
  t.equal(byName.get('file')?.isDir, false, 'a file is no folder');
  t.ok(byName.get('file')?.key, 'but it was looked at');

  const dangling = byName.get('dangling');
  t.equal(dangling?.key, null);
  t.equal(dangling?.error?.code, 'ENOENT', 'a dangling link: why the look failed');
  t.equal(dangling?.error?.syscall, 'stat');

  t.same(byName.get('.hidden'), { name: '.hidden', key: null, isDir: false, error: null }, 'a dot entry is not looked at');
});

t.test('a folder that cannot be opened', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'runitd-listdir-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const missing = await listFolder(path.join(dir, 'missing'));
  t.equal(missing.failed, 'open');
  t.equal(missing.error?.code, 'ENOENT');
  t.same(missing.entries, []);
  writeFileSync(path.join(dir, 'file'), '');
  const notDir = await listFolder(path.join(dir, 'file'));
  t.equal(notDir.failed, 'open');
  t.equal(notDir.error?.code, 'ENOTDIR');
});

t.test('a bad path is refused before the addon sees it', async (t) => {
  t.throws(() => listFolder(''), TypeError);
  t.throws(() => listFolder('a\0b'), TypeError);
});
