// At most `width` supervisors set up at once. Every setup is a chain of some
// thirty small fs operations; started all together, 100 chains interleave in the
// threadpool's queue and the first service runs only when nearly all are set up.
// A few at a time keep the threadpool as busy and let each service run as soon
// as its own folder is ready: the first payload starts early, the last no later.
// The very first setup runs alone: a boot's first service is up before the
// others' chains compete with it. The rest start once it is, or after a short
// grace if it is slow: a setup may wait for a lock that another supervisor
// holds, and one service's trouble must not hold back the others.
const FIRST_ALONE_MS = 100;

export class SetupGate {
  private running = 0;
  private width = 1;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly waiting: (() => void)[] = [];
  private resolveOpened!: () => void;
  private readonly opened: Promise<void> = new Promise((r) => (this.resolveOpened = r));

  constructor(private readonly fullWidth: number) {}

  /** Resolves once no first setup runs alone (done, past its grace, or none started): the boot's first service is on its way. */
  firstSettled(): Promise<void> {
    return this.width >= this.fullWidth || this.running === 0 ? Promise.resolve() : this.opened;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    // a waiter is handed its slot already counted
    if (this.running >= this.width) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    if (this.width < this.fullWidth && !this.graceTimer) {
      this.graceTimer = setTimeout(() => this.open(), FIRST_ALONE_MS);
      this.graceTimer.unref();
    }
    try {
      return await job();
    } finally {
      this.running--;
      this.open();
    }
  }

  private open(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.width = this.fullWidth;
    this.resolveOpened();
    while (this.running < this.width && this.waiting.length > 0) {
      this.running++;
      (this.waiting.shift() as () => void)();
    }
  }
}
