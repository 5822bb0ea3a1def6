// Our tai64nlocal against daemontools' on the same input, byte for byte, in
// several time zones; and where daemontools crashes (labels localtime() cannot
// represent), ours passes the label through.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

function run(bin: string, input: Buffer, tz: string) {
  const r = spawnSync(bin, [], { input, env: { ...process.env, TZ: tz }, timeout: 30000 });
  return { out: r.stdout, err: r.stderr.toString(), code: r.status, signal: r.signal };
}

function label(unixSec: bigint, nsecHex: string): string {
  return '@' + BigInt.asUintN(64, (1n << 62n) + 10n + unixSec).toString(16).padStart(16, '0') + nsecHex;
}

// a deterministic pseudo-random source, so failures reproduce
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function fuzzInput(seed: number): Buffer {
  const r = rng(seed);
  const parts: Buffer[] = [];
  for (let line = 0; line < 400; line++) {
    const kind = r();
    if (kind < 0.4) {
      const sec = BigInt(Math.floor(r() * 4e9) - 1e9);
      parts.push(Buffer.from(label(sec, Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0'))));
      // what follows the label: a space, nothing, a newline, a non-hex letter, binary
      const after = r();
      if (after < 0.5) parts.push(Buffer.from(' text ' + line));
      else if (after < 0.7) parts.push(Buffer.from('@still' + line));
      else if (after < 0.85) parts.push(Buffer.from([0xff, 0x00, 0x40, 0x0d]));
    } else {
      // binary line without a leading '@'
      const len = Math.floor(r() * 80);
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(r() * 256);
      if (len > 0 && b[0] === 0x40) b[0] = 0x41;
      for (let i = 0; i < len; i++) if (b[i] === 0x0a && i + 1 < len && b[i + 1] === 0x40) b[i + 1] = 0x20;
      parts.push(b);
    }
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'].filter(
  (z) => z === 'UTC' || existsSync(`/usr/share/zoneinfo/${z}`),
);

t.test('byte for byte with daemontools tai64nlocal', referenceSkip('tai64nlocal'), async (t) => {
  const ref = referenceBin('tai64nlocal') as string;
  const crafted = Buffer.concat([
    Buffer.from('@400000006b0247bf078d4404 a\nno label\n\n@400000006b0247bf078d4404\n'),
    Buffer.from('@4000000000000000ffffffff x\n@00400000006b0247bf078d4404 25 digits\n'),
    Buffer.from('x@400000006b0247bf078d4404 not at line start\n \t@400000006b0247bf078d4404\n'),
    Buffer.from('@400000006b0247bf078d4404@400000006b0247bf078d4404\n@400000006b0247bf078d4404\r\n'),
    Buffer.from([0x00, 0xff, 0x40, 0x0a, 0x80, 0x0a]),
    // far years glibc still represents: years printed through an int sum
    ...[10n ** 12n, 10n ** 13n, -(10n ** 13n), -62167219200n, -62167219201n, 67767976233316800n, 1782000000n, -5000000000n, 0n].map((s) =>
      Buffer.from(label(s, '3b9ac9ff') + ' far\n'),
    ),
    Buffer.from('partial line at the end'),
  ]);
  for (const tz of ZONES) {
    for (const [name, input] of [
      ['crafted', crafted],
      ['fuzz 1', fuzzInput(1)],
      ['fuzz 2', fuzzInput(2)],
      ['label open at end of input', Buffer.from('a\n@400000006b0247bf078d4404')],
      ['partial label at end of input', Buffer.from('a\n@4000000')],
      ['empty', Buffer.alloc(0)],
    ] as [string, Buffer][]) {
      const want = run(ref, input, tz);
      if (want.signal !== null) {
        // the far-year values wrap around differently per zone; keep only agreed territory
        t.comment(`${tz} ${name}: reference died of ${want.signal}, skipped`);
        continue;
      }
      const got = run(ourBin('tai64nlocal'), input, tz);
      t.equal(got.code, want.code, `${tz} ${name}: exit code`);
      t.ok(got.out.equals(want.out), `${tz} ${name}: same bytes`);
      if (!got.out.equals(want.out)) t.same(got.out.toString('latin1').split('\n'), want.out.toString('latin1').split('\n'));
      t.equal(got.err, want.err, `${tz} ${name}: stderr`);
    }
  }
});

t.test('labels localtime cannot represent pass through', async (t) => {
  const input = Buffer.from('@4000 short\n@ empty\n@400000006B0247bf078d4404 upper\nafter\n');
  const got = run(ourBin('tai64nlocal'), input, 'UTC');
  t.equal(got.code, 0);
  t.equal(got.out.toString(), input.toString());
  const ref = referenceBin('tai64nlocal');
  if (ref) t.not(run(ref, input, 'UTC').signal, null, 'daemontools dies there');
});

t.test('a read error exits 111 silently, as daemontools does', async (t) => {
  // a directory as stdin: read() fails with EISDIR
  const r = spawnSync('sh', ['-c', `exec "$1" < /`, 'sh', ourBin('tai64nlocal')], { timeout: 30000 });
  t.equal(r.status, 111);
  t.equal(r.stderr.toString(), '');
  const ref = referenceBin('tai64nlocal');
  if (ref) {
    const rr = spawnSync('sh', ['-c', `exec "$1" < /`, 'sh', ref], { timeout: 30000 });
    t.equal(r.status, rr.status, 'same exit code as daemontools');
    t.equal(r.stderr.toString(), rr.stderr.toString(), 'same message as daemontools');
  }
});
