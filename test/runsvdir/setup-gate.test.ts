// SetupGate: the first setup runs alone, then at most `width` at once, in order.
import t from 'tap';
import { SetupGate } from '../../lib/runsvdir/setup-gate';

interface Job {
  id: number;
  release: () => void;
}

t.test('the first runs alone, then up to width at once, first come first served', async (t) => {
  const gate = new SetupGate(3);
  const started: number[] = [];
  const open: Job[] = [];
  let most = 0;
  const runs = Array.from({ length: 8 }, (_, id) =>
    gate.run(
      () =>
        new Promise<number>((resolve) => {
          started.push(id);
          open.push({ id, release: () => resolve(id) });
          most = Math.max(most, open.length);
        }),
    ),
  );
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  await settle();
  t.same(started, [0], 'only the first has started');
  const finish = async (): Promise<void> => {
    (open.shift() as Job).release();
    await settle();
  };
  await finish();
  t.same(started, [0, 1, 2, 3], 'once it is done, three at once');
  await finish();
  t.same(started, [0, 1, 2, 3, 4], 'each one done lets the next in');
  while (open.length > 0) await finish();
  t.same(started, [0, 1, 2, 3, 4, 5, 6, 7], 'every job ran, in order');
  t.equal(most, 3, 'never more than width at once');
  t.same(await Promise.all(runs), [0, 1, 2, 3, 4, 5, 6, 7], 'each caller gets its own result');
});

t.test('a failing job frees its slot and reaches its caller', async (t) => {
  const gate = new SetupGate(1);
  const a = gate.run(() => Promise.reject(new Error('boom')));
  const b = gate.run(() => Promise.resolve('next'));
  await t.rejects(a, { message: 'boom' });
  t.equal(await b, 'next', 'the next job still runs');
});

t.test('a first setup that does not end holds the others back only briefly', async (t) => {
  const gate = new SetupGate(2);
  let firstDone = false;
  let release: () => void = () => undefined;
  const first = gate.run(() => new Promise<void>((r) => (release = r))).then(() => (firstDone = true));
  const others = Promise.all([gate.run(async () => 'b'), gate.run(async () => 'c')]);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((r) => (timer = setTimeout(() => r(null), 10000)));
  const got = await Promise.race([others, deadline]);
  clearTimeout(timer);
  t.same(got, ['b', 'c'], 'the others ran');
  t.equal(firstDone, false, 'while the first was still in setup');
  release();
  await first;
});

t.test('firstSettled: at once with nothing running, else once the first is done', async (t) => {
  const gate = new SetupGate(2);
  let settled = false;
  await gate.firstSettled();
  t.pass('an idle gate is settled');
  let release: () => void = () => undefined;
  const first = gate.run(() => new Promise<void>((r) => (release = r)));
  void gate.firstSettled().then(() => (settled = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  t.notOk(settled, 'not while the first runs alone');
  release();
  await first;
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  t.ok(settled, 'once it is done');
  let settledAgain = false;
  void gate.firstSettled().then(() => (settledAgain = true));
  await new Promise((r) => setImmediate(r));
  t.ok(settledAgain, 'and from then on at once');
});
