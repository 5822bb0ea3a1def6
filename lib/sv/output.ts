// sv's stdout buffer. runit collects a service's output in buffer_1 and flushes
// it at fixed points (end of each message line, end of a status line), while the
// ./down and ./check warnings go straight to stderr. When both streams go to one
// place, a warning therefore lands before a half-built stdout line: keep that
// order by writing stdout only up to the last flush point before any stderr
// write. Between stderr writes, stdout is batched (one write for 1000 services).

const BATCH = 64 * 1024;

export class SvOutput {
  private committed = '';
  private pending = '';

  constructor(
    private readonly writeOut: (s: string) => void,
    private readonly writeErr: (s: string) => void,
  ) {}

  put(s: string): void {
    this.pending += s;
  }

  /** runit's flush point: everything put so far may be written. */
  flush(s = ''): void {
    this.committed += this.pending + s;
    this.pending = '';
    if (this.committed.length >= BATCH) this.sync();
  }

  /** Writes what runit would have written by now. */
  sync(): void {
    if (this.committed) {
      const s = this.committed;
      this.committed = '';
      this.writeOut(s);
    }
  }

  err(s: string): void {
    this.sync();
    this.writeErr(s);
  }

  /** At exit: runit's _exit drops a half-built line; it never has one at a normal end. */
  end(): void {
    this.sync();
  }
}
