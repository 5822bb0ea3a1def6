// djb's sgetopt, as runit uses it: options end at the first non-option word, `--` is
// consumed as the end, a lone `-` is an operand, bundling is allowed, and an option's
// argument is the rest of the word or else the next word (even if it starts with '-').
// It is an iterator because runit acts on each option as it is parsed: an error in an
// early option hides a later illegal one.

export type GetoptResult =
  | { kind: 'opt'; opt: string; arg: string | null }
  | { kind: 'done' }
  | { kind: 'illegal'; opt: string }
  | { kind: 'missing'; opt: string };

export class Getopt {
  /** Index of the next word to look at; after `done`, the first operand. */
  index = 1;
  private pos = 0;

  constructor(
    private readonly argv: readonly string[],
    private readonly optstring: string,
  ) {}

  next(): GetoptResult {
    const argv = this.argv;
    if (this.index >= argv.length) return { kind: 'done' };
    if (this.pos > 0 && this.pos >= argv[this.index].length) {
      this.index++;
      this.pos = 0;
      if (this.index >= argv.length) return { kind: 'done' };
    }
    if (this.pos === 0) {
      const word = argv[this.index];
      if (word[0] !== '-') return { kind: 'done' };
      if (word.length === 1) return { kind: 'done' };
      if (word[1] === '-') {
        // "--" and also "--anything": sgetopt consumes the word and stops
        this.index++;
        return { kind: 'done' };
      }
      this.pos = 1;
    }
    const word = argv[this.index];
    const c = word[this.pos++];
    const at = c === ':' ? -1 : this.optstring.indexOf(c);
    if (at < 0) return { kind: 'illegal', opt: c };
    if (this.optstring[at + 1] !== ':') return { kind: 'opt', opt: c, arg: null };
    let arg = word.slice(this.pos);
    this.index++;
    this.pos = 0;
    if (arg === '') {
      if (this.index >= argv.length) return { kind: 'missing', opt: c };
      arg = argv[this.index++];
    }
    return { kind: 'opt', opt: c, arg };
  }

  /** The operands after the options (call after `done`). */
  rest(): string[] {
    return this.argv.slice(this.index);
  }
}

/** sgetopt's own complaint, printed before the caller's usage text. */
export function getoptMessage(progBase: string, r: { kind: 'illegal' | 'missing'; opt: string }): string {
  return r.kind === 'illegal'
    ? `${progBase}: illegal option -- ${r.opt}\n`
    : `${progBase}: option requires an argument -- ${r.opt}\n`;
}
