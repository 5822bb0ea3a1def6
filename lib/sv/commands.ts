// From the command word to what sv does, with runit's first-character dispatch
// (`sv stat x` is status, `sv termite x` is term, `sv upgrade x` is up).

export interface SvCommand {
  /** 'control': write `acts` to supervise/control; 'status': print status; 'none': only wait (check) */
  act: 'control' | 'status' | 'none';
  /**
   * Bytes to send, which are also the check characters of the wait loop
   * ('C' for check, 's' for status: never sent).
   */
  acts: string;
  /** waits even without -v (start, stop, restart, ...) */
  waits: boolean;
  /** on timeout print `kill:` and send `k` */
  kill: boolean;
}

const single = (acts: string): SvCommand => ({ act: 'control', acts, waits: false, kill: false });
const waiting = (acts: string, kill = false): SvCommand => ({ act: 'control', acts, waits: true, kill });

const EXACT = new Map<string, SvCommand>(Object.entries({
  'try-restart': waiting('tc'),
  check: { act: 'none', acts: 'C', waits: true, kill: false },
  shutdown: waiting('x'),
  start: waiting('u'),
  stop: waiting('d'),
  restart: waiting('tcu'),
  reload: waiting('h'),
  'force-reload': waiting('tc', true),
  'force-restart': waiting('tcu', true),
  'force-shutdown': waiting('x', true),
  'force-stop': waiting('d', true),
}));

/** null: usage error. `lsb` allows only the exact word `status` among the status words. */
export function parseCommand(word: string, lsb: boolean): SvCommand | null {
  const exact = EXACT.get(word);
  if (exact) return exact;
  const c = word[0];
  switch (c) {
    case 'x':
    case 'e':
      return single('x');
    case 'X':
    case 'E':
      return waiting('x', true);
    case 'D':
      return waiting('d', true);
    case 'T':
      return waiting('tc', true);
    case 't':
    case 'c':
    case 'u':
    case 'd':
    case 'o':
    case 'p':
    case 'h':
    case 'a':
    case 'i':
    case 'k':
    case 'q':
    case '1':
    case '2':
      return single(c);
    case 's':
      if (lsb && word !== 'status') return null;
      return { act: 'status', acts: 's', waits: false, kill: false };
    default:
      // 'r' and 'f' words other than the exact ones above, and everything else
      return null;
  }
}
