// runsvdir's process-title log: the LOG argument (conventionally `log: ` and
// hundreds of dots) is a ring window showing the last bytes written to stderr,
// so `ps` shows a service's latest errors. Bytes 0-4 stay; every new byte shifts
// bytes 6.. one left and lands at the end; NUL bytes are skipped.

export class TitleLog {
  private readonly buf: Buffer;

  /** `prefix` is what precedes LOG in the title, e.g. `runsvdir -P /service `. */
  constructor(private readonly prefix: string, log: string, private readonly set: (title: string) => void) {
    this.buf = Buffer.from(log, 'latin1');
    this.show();
  }

  static minimumLength = 7;

  feed(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const buf = this.buf;
    const len = buf.length;
    let changed = false;
    for (const b of bytes) {
      if (b === 0) continue;
      buf.copy(buf, 5, 6, len);
      buf[len - 1] = b;
      changed = true;
    }
    if (changed) this.show();
  }

  /** What the log part currently reads. */
  text(): string {
    return this.buf.toString('latin1');
  }

  private show(): void {
    this.set(this.prefix + this.text());
  }
}
