// runit's svlogd pattern matcher (pmatch): glob-like, not a regex. The whole line
// must be consumed; '*' stops at the FIRST occurrence of the next pattern byte
// (no backtracking); '+c' means one or more 'c' and matches if the line ends inside
// that run. No escapes.

export function pmatch(pattern: Buffer, line: Buffer, start: number, end: number): boolean {
  let p = 0;
  let s = start;
  const plen = pattern.length;
  for (;;) {
    if (p >= plen) return s >= end;
    const c = pattern[p++];
    if (c === 0x2a /* * */) {
      if (p >= plen) return true;
      const next = pattern[p];
      for (;;) {
        if (s >= end) return false;
        if (line[s] === next) break;
        s++;
      }
      continue;
    }
    if (c === 0x2b /* + */) {
      // runit compares against the byte after the line too; an exhausted line or a
      // '+' ending the pattern simply does not match here.
      if (p >= plen || s >= end) return false;
      const rep = pattern[p++];
      if (line[s] !== rep) return false;
      for (;;) {
        if (s >= end) return true;
        if (line[s] !== rep) break;
        s++;
      }
      continue;
    }
    if (s >= end) return false;
    if (line[s] !== c) return false;
    s++;
  }
}
