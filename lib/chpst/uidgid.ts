// runit's USER syntax for -u/-U (uidgids_get) and the personalities' plain account
// (uidgid_get). Lookups are passed in so the parsing can be tested without NSS.
import { scanUlong } from './scan';

export interface Lookups {
  /** passwd entry by name, null when unknown; throws a SysError on an I/O error */
  user(name: string): { uid: number; gid: number } | null;
  /** group id by name, null when unknown; throws a SysError on an I/O error */
  group(name: string): number | null;
}

export interface UidGids {
  uid: number;
  /** gids[0] is the primary group; the whole list becomes the supplementary groups */
  gids: number[];
}

export type UserResult = { ok: true; ids: UidGids } | { ok: false; reason: 'invalid' | 'unknown' };

const MAX_GROUPS = 60;

// uid_t / gid_t are 32 bits: the C cast keeps the low bits of the scanned number.
const id32 = (v: bigint): number => Number(BigInt.asUintN(32, v));

/** `:uid:gid[:gid...]`, given without the leading colon. */
export function numericIds(spec: string): UserResult {
  let p = 0;
  let s = scanUlong(spec);
  p += s.len;
  if (spec[p] !== ':') return { ok: false, reason: 'invalid' };
  const uid = id32(s.value);
  p++;
  const gids: number[] = [];
  for (let i = 0; i < MAX_GROUPS; i++) {
    s = scanUlong(spec.slice(p));
    p += s.len;
    gids.push(id32(s.value));
    if (spec[p] !== ':') break;
    p++;
  }
  if (p < spec.length) return { ok: false, reason: 'invalid' };
  return { ok: true, ids: { uid, gids } };
}

/** chpst's `-u`/`-U` argument: `user`, `user:group[:group...]` or `:uid:gid[:gid...]`. */
export function resolveUserSpec(spec: string, look: Lookups): UserResult {
  if (spec.startsWith(':')) return numericIds(spec.slice(1));
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const pw = look.user(name);
  if (!pw) return { ok: false, reason: 'unknown' };
  if (colon < 0) return { ok: true, ids: { uid: pw.uid, gids: [pw.gid] } };
  let g = spec.slice(colon + 1);
  const gids: number[] = [];
  for (let i = 0; i < MAX_GROUPS; i++) {
    const c = g.indexOf(':');
    const gname = c < 0 ? g : g.slice(0, c);
    const gid = look.group(gname);
    if (gid === null) return { ok: false, reason: 'unknown' };
    gids.push(gid);
    if (c < 0) break;
    g = g.slice(c + 1);
  }
  return { ok: true, ids: { uid: pw.uid, gids } };
}

/** The personalities' ACCOUNT: a passwd name only, its primary group only. */
export function resolveAccount(name: string, look: Lookups): UserResult {
  const pw = look.user(name);
  if (!pw) return { ok: false, reason: 'unknown' };
  return { ok: true, ids: { uid: pw.uid, gids: [pw.gid] } };
}
