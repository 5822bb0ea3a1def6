// svlog's engine: for each log folder, find where the requested lines start
// (reading backwards from the end for -n), stream from there to the end, and
// with -f keep following.
import { Follower } from './follow';
import { Pos, Source, readForward, scanBackward, takeSnapshot } from './history';
import { LineSink, Output, TimeFilter, TimeRange, hasRange, inRange, initialDecision } from './lines';
import { lineTimeMs } from './stamps';

export interface PagerOptions {
  /** absolute log folders */
  dirs: string[];
  follow: boolean;
  /** -n: the last N (kept) lines; null = the whole history */
  lines: number | null;
  range: TimeRange;
  raw: boolean;
}

export interface Start {
  pos: Pos;
  /** the keep/skip decision for unstamped lines at `pos` */
  decision: boolean;
}

/**
 * The sources that can hold lines in the range: a rotated file only has lines
 * up to its rotation time, and from the previous rotation on.
 */
export function candidateSources(sources: Source[], range: TimeRange, follow: boolean): { first: number; last: number } {
  let first = 0;
  const since = range.sinceMs;
  if (since !== undefined) {
    first = sources.findIndex((s) => s.timeMs >= since);
    if (first < 0) first = sources.length;
  }
  let last = sources.length - 1;
  if (!follow && range.untilMs !== undefined) {
    for (let i = Math.max(first, 1); i < sources.length; i++) {
      if (sources[i - 1].timeMs > range.untilMs) {
        last = i - 1;
        break;
      }
    }
  }
  return { first, last };
}

/** Where the last `n` kept lines of sources[first..last] start, found reading backwards. */
export function tailStart(sources: Source[], first: number, last: number, n: number, range: TimeRange): Start {
  let result: Start = { pos: { src: last + 1, off: 0 }, decision: true };
  if (n <= 0 || first > last) return result;
  if (!hasRange(range)) {
    let count = 0;
    scanBackward(sources, first, last, (pos) => {
      result.pos = pos;
      return ++count < n;
    });
    return result;
  }
  // Unstamped lines share the fate of the stamped line before them, which is met
  // only after them when reading backwards: they wait in `pending` (only as many
  // as could still be wanted).
  let need = n;
  let pending: Pos[] = [];
  let pendingCount = 0;
  let done = false;
  scanBackward(sources, first, last, (pos, head) => {
    const t = lineTimeMs(head);
    if (t === null) {
      if (pending.length < need) pending.push(pos);
      pendingCount++;
      return true;
    }
    if (inRange(range, t)) {
      if (pendingCount >= need) {
        result = { pos: pending[need - 1], decision: true };
        done = true;
        return false;
      }
      need -= pendingCount + 1;
      result = { pos, decision: true };
      if (need === 0) {
        done = true;
        return false;
      }
    } else if (range.sinceMs !== undefined && t < range.sinceMs) {
      // the history is in time order: everything before is older still
      done = true;
      return false;
    }
    pending = [];
    pendingCount = 0;
    return true;
  });
  if (!done && pendingCount > 0 && initialDecision(range)) {
    result = { pos: pending[Math.min(need, pendingCount) - 1], decision: true };
  }
  return result;
}

/**
 * Shows the history of every folder in turn (tail-style `==> DIR <==` headers
 * when there are several); with `follow`, resolves never and reports errors
 * through `onError`.
 */
export function runPager(opts: PagerOptions, out: Output, onError: (err: unknown) => void): void {
  const multi = opts.dirs.length > 1;
  let shown: string | null = null;
  const headerFor = (dir: string) => () => {
    if (!multi || shown === dir) return;
    out.write(Buffer.from(`${shown === null ? '' : '\n'}==> ${dir} <==\n`));
    shown = dir;
  };
  const followers: Follower[] = [];
  for (const dir of opts.dirs) {
    const snap = takeSnapshot(dir);
    const { sources } = snap;
    const { first, last } = candidateSources(sources, opts.range, opts.follow);
    const start: Start =
      opts.lines === null ? { pos: { src: first, off: 0 }, decision: initialDecision(opts.range) } : tailStart(sources, first, last, opts.lines, opts.range);
    const header = headerFor(dir);
    const filter = hasRange(opts.range) ? new TimeFilter(opts.range, start.decision) : null;
    const sink = new LineSink({ raw: opts.raw, filter, out, beforeWrite: header });
    header();
    readForward(sources, start.pos, last, (chunk) => sink.push(chunk));
    for (const s of sources) if (!(opts.follow && s === snap.current)) s.close();
    if (!opts.follow) {
      sink.end();
      out.flush();
      continue;
    }
    out.flush();
    followers.push(
      new Follower(
        dir,
        { fd: snap.current?.fd ?? null, ino: snap.currentIno, pos: snap.current?.size ?? 0, watermark: snap.watermark },
        (chunk) => {
          sink.push(chunk);
          out.flush();
        },
        onError,
      ),
    );
  }
  for (const f of followers) f.start();
}
