// The package as a user installs it: `npm pack`, then `npm install -g` of the tarball
// into a temporary prefix. The install builds the addon and the native chpst, and
// chpst with its six personality names lands on PATH as that native program (an
// ELF file, no shell or Node in front of it), next to the Node commands.
// Slow (it compiles the C++): ~30-60 s. Skipped when npm cannot get the two
// dependencies (no network and nothing in npm's cache).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/proc';
import { repoRoot } from '../helpers/reference';

const PERSONALITIES = ['envdir', 'envuidgid', 'pgrphack', 'setuidgid', 'softlimit', 'setlock'];
const NETWORK_TROUBLE = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network/;

function npm(args: string[], cwd: string, timeout: number) {
  return spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout,
    // no network for headers (see the guide); build with both cores
    env: { ...process.env, npm_config_nodedir: '/usr', JOBS: 'max', npm_config_update_notifier: 'false' },
  });
}

t.test('npm pack + npm install -g puts the native chpst and its names on PATH', async (t) => {
  const dir = tempDir(t, 'runitd-install-');
  // dist/ is already built (npm test's pretest); pack as is, without running prepare
  const pack = npm(['pack', '--ignore-scripts', '--pack-destination', dir], repoRoot, 60000);
  t.equal(pack.status, 0, 'npm pack');
  const tgz = path.join(dir, pack.stdout.trim().split('\n').pop() as string);

  const prefix = path.join(dir, 'prefix');
  const install = npm(['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--fetch-retries=0', '--prefix', prefix, tgz], dir, 180000);
  if (install.status !== 0 && NETWORK_TROUBLE.test(install.stderr)) {
    t.skip(`npm cannot fetch the dependencies offline or online here: ${install.stderr.split('\n').find((l) => NETWORK_TROUBLE.test(l))}`);
    return;
  }
  t.equal(install.status, 0, 'npm install -g', { stderr: install.stderr });

  const bin = path.join(prefix, 'bin');
  const pkg = path.join(prefix, 'lib', 'node_modules', 'runitd');
  const chpst = path.join(pkg, 'build', 'Release', 'chpst');
  // (npm pack ships every bin target, so a packer's own build/Release/chpst is in the
  // tarball: node-gyp rebuild starts by removing build/, and compiles it again)
  t.ok(existsSync(path.join(pkg, 'build', 'Release', 'obj.target', 'chpst')), 'chpst was compiled by the install');
  t.ok(existsSync(path.join(pkg, 'build', 'Release', 'runitd.node')), 'and the addon');
  t.same([...readFileSync(chpst).subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'build/Release/chpst is an ELF executable');
  for (const name of ['chpst', ...PERSONALITIES]) {
    t.equal(realpathSync(path.join(bin, name)), realpathSync(chpst), `${name} on PATH is the native chpst itself`);
  }
  for (const name of ['runsvdir', 'runsv', 'sv', 'svlogd', 'svlog', 'tai64nlocal']) {
    t.equal(readlinkSync(path.join(bin, name)), path.join('..', 'lib', 'node_modules', 'runitd', 'bin', name), `${name} installed too`);
  }

  // run them from PATH, as a run script would, with an environment of our choosing
  const env = { PATH: `${bin}:/usr/bin:/bin`, KEEP: 'kept' };
  const run = (cmd: string, args: string[] = []) => {
    // through env -i: tap adds variables of its own to every child it sees spawned
    const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const r = spawnSync('/usr/bin/env', ['-i', ...pairs, cmd, ...args], { encoding: 'utf8', timeout: 30000, cwd: dir });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  t.same(run('chpst', ['-u', 'nobody', 'id']), { status: 0, stdout: 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', stderr: '' });
  const e = path.join(dir, 'env');
  mkdirSync(e);
  writeFileSync(path.join(e, 'B'), 'x\0y\n');
  t.same(run('envdir', [e, 'env']), { status: 0, stdout: `PATH=${env.PATH}\nKEEP=kept\nB=x\ny\n`, stderr: '' }, 'envdir: the environment as given plus B, NUL as newline, no PWD');
  t.same(run('envdir'), { status: 100, stdout: '', stderr: 'usage: envdir dir child\n\n' }, 'envdir by its name');
  t.same(run('setuidgid', ['nobody', 'id', '-u']), { status: 0, stdout: '65534\n', stderr: '' });
  t.same(run('softlimit', ['-o', '77', 'sh', '-c', 'ulimit -n']), { status: 0, stdout: '77\n', stderr: '' });
  t.same(run('envuidgid', ['daemon', 'sh', '-c', 'echo $UID $GID']), { status: 0, stdout: '1 1\n', stderr: '' });
  t.same(run('pgrphack'), { status: 100, stdout: '', stderr: 'usage: pgrphack child\n\n' });
  t.same(run('setlock', [path.join(dir, 'lk'), 'echo', 'locked']), { status: 0, stdout: 'locked\n', stderr: '' });
  t.same(run('sv', ['status', path.join(dir, 'nosuchservice')]).status, 1, 'sv (Node) runs as well');
});
