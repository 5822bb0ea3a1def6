// lowMemoryNotification: V8's full memory-reducing collection, which the daemons
// run once a burst of starts has settled instead of V8's timed memory reducer.
// Observed as a user of the heap would: an unreachable object is gone after it.
import t from 'tap';
import { lowMemoryNotification } from '../../lib/native';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

t.test('collects unreachable objects at once, without --expose-gc', async (t) => {
  t.equal((globalThis as { gc?: unknown }).gc, undefined, 'no gc() in this process');
  let big: number[] | null = new Array(100000).fill(1);
  const ref = new WeakRef(big);
  big = null;
  // a WeakRef keeps its target until the job that made it has ended
  await tick();
  t.equal(lowMemoryNotification(), true, "this Node's V8 offers the call");
  await tick();
  t.equal(ref.deref(), undefined, 'the dropped array is collected');
});

t.test('an object still referenced survives it', async (t) => {
  const kept = { n: 42 };
  const ref = new WeakRef(kept);
  await tick();
  lowMemoryNotification();
  await tick();
  t.equal(ref.deref()?.n, 42, 'a live object is kept');
});
