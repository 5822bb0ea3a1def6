// execInPlace: same pid, new program, clean signal state, blocking stdio, the original NOFILE.
import t from 'tap';
import * as path from 'node:path';
import { spawn, waitExit, pipe } from '../../lib/native';
import { closeSync, readFileSync } from 'node:fs';

const fixture = path.join(__dirname, '..', 'fixtures', 'exec-in-place.js');

t.test('exec-in-place replaces the process with a clean state', async (t) => {
  const [r, w] = pipe();
  const pid = spawn({
    file: '/bin/sh',
    argv: ['sh', '-c', 'ulimit -Sn 555 && RUNITD_NOFILE_SOFT=$(ulimit -Sn) exec "$0" "$1"', process.execPath, fixture],
    stdio: ['null', w, 'inherit'],
  });
  closeSync(w);
  const out = readFileSync(r, 'utf8');
  closeSync(r);
  t.equal((await waitExit(pid)).code, 0);
  const [failed, before, after] = out.trim().split('\n').map((l) => JSON.parse(l));
  t.same(failed, { failed: 'ENOENT execve' }, 'a missing program throws and Node carries on');
  t.equal(after.pid, before.pid, 'same pid');
  t.equal(after.pid, pid, 'the pid we spawned');
  t.not(before.sigIgn, '0000000000000000', 'precondition: Node ignores signals');
  t.equal(after.sigIgn, '0000000000000000', 'no ignored signals after exec');
  t.equal(after.sigBlk, '0000000000000000', 'no blocked signals after exec');
  t.equal(parseInt(after.flags1, 8) & 0o4000, 0, 'fd 1 is blocking again');
  t.equal(after.nofile, '555', 'the NOFILE soft limit we were started with');
  t.equal(after.arg, 'argument one');
  t.equal(after.env, 'passed', 'the environment given');
});
