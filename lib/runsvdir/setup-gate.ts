// At most `width` supervisors set up at once. Every setup is a chain of some
// thirty small fs operations; started all together, 100 chains interleave in the
// threadpool's queue and the first service runs only when nearly all are set up.
// A few at a time keep the threadpool as busy and let each service run as soon
// as its own folder is ready: the first payload starts early, the last no later.
// The very first setup runs alone: a boot's first service is up before the
// others' chains compete with it, and they start once it is.
export class SetupGate {
  private running = 0;
  private width = 1;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly fullWidth: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    // a waiter is handed its slot already counted
    if (this.running >= this.width) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.width = this.fullWidth;
      while (this.running < this.width && this.waiting.length > 0) {
        this.running++;
        (this.waiting.shift() as () => void)();
      }
    }
  }
}
