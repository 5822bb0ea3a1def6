import t from 'tap';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { abortExec, closeKept, forgetKept, keep, prepareExec } from '../../lib/supervise/handover';

// What a re-exec would hand over: the env entry's JSON, key -> fd.
const handed = (): Record<string, number> => {
  const [, json] = prepareExec();
  abortExec(); // close-on-exec again: this test execs nothing
  return JSON.parse(json) as Record<string, number>;
};

t.test('kept fds are handed over by key until closed or forgotten', async (t) => {
  const a = openSync('/dev/null', 'r');
  const b = openSync('/dev/null', 'r');
  const c = openSync('/dev/null', 'r');
  t.teardown(() => {
    for (const fd of [b, c]) {
      try {
        closeSync(fd);
      } catch {
        // closed by the test
      }
    }
  });
  keep('1:1:control-r', a);
  keep('1:1:control-w', a);
  keep('1:2:ok', b);
  t.same(handed(), { '1:1:control-r': a, '1:1:control-w': a, '1:2:ok': b });

  closeKept(a);
  t.throws(() => fstatSync(a), { code: 'EBADF' }, 'closeKept closes the fd');
  t.same(handed(), { '1:2:ok': b }, 'both keys of a closed fd are gone');

  keep('1:2:ok', c);
  t.same(handed(), { '1:2:ok': c }, 'a key kept anew names the new fd');
  forgetKept(b);
  t.same(handed(), { '1:2:ok': c }, 'forgetting the old fd leaves the key that moved on');
  forgetKept(c);
  t.same(handed(), {}, 'forgetting the fd takes its key');
  t.ok(fstatSync(c), 'forgetKept does not close');
});
