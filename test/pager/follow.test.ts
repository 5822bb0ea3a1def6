// svlog -f against real svlogd rotations (small `s` sizes, SIGALRM, a processor)
// while lines are written continuously: every line exactly once, in order.
import t, { Test } from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { killPid, tempDir, waitFor } from '../helpers/proc';
import { ourBin, referenceBin, referenceSkip } from '../helpers/reference';

interface Started {
  child: ChildProcess;
  out: () => string;
}

function start(t: Test, bin: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): Started {
  // tap's NODE_OPTIONS instrumentation hook is not part of what is tested
  const env = { ...process.env, TZ: 'UTC' };
  delete env.NODE_OPTIONS;
  const child = spawn(bin, args, { stdio: [stdin, 'pipe', 'pipe'], env });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(`${path.basename(bin)}: ${c}`));
  t.teardown(() => killPid(child.pid as number));
  return { child, out: () => Buffer.concat(chunks).toString('latin1') };
}

/** Writes `L1`..`Ln` into svlogd in small bursts, sending it ALRM now and then. */
async function writeLines(svlogd: ChildProcess, n: number, alrmEvery: number): Promise<void> {
  const stdin = svlogd.stdin as NodeJS.WritableStream;
  for (let i = 1; i <= n; ) {
    let burst = '';
    for (let k = 0; k < 25 && i <= n; k++, i++) burst += `L${i} ${'p'.repeat(i % 23)}\n`;
    if (!stdin.write(burst)) await new Promise((r) => stdin.once('drain', r));
    if (alrmEvery > 0 && i % alrmEvery < 25) killPid(svlogd.pid as number, 'SIGALRM');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function expected(n: number): string {
  let s = '';
  for (let i = 1; i <= n; i++) s += `L${i} ${'p'.repeat(i % 23)}\n`;
  return s;
}

async function followCase(t: Test, svlogdBin: string, config: string, opts: { alrmEvery: number; lines: number; svlogFirst?: boolean }) {
  const dir = path.join(tempDir(t), 'log');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'config'), config);
  let svlog: Started;
  let svlogd: Started;
  if (opts.svlogFirst) {
    // no current yet: svlog waits for it (all lines, wherever they are by then)
    svlog = start(t, ourBin('svlog'), ['-f', '-n', '100000000', '--raw', dir]);
    svlogd = start(t, svlogdBin, [dir], 'pipe');
  } else {
    svlogd = start(t, svlogdBin, [dir], 'pipe');
    svlogd.child.stdin?.write('ready\n');
    await waitFor(() => {
      if (svlogd.child.exitCode !== null) throw new Error(`svlogd exited with ${svlogd.child.exitCode}`);
      return readdirSync(dir).includes('current');
    }, 'current', 60000);
    svlog = start(t, ourBin('svlog'), ['-f', '-n', '1', '--raw', dir]);
    await waitFor(() => svlog.out() === 'ready\n', 'svlog to show the last line', 60000);
  }
  await writeLines(svlogd.child, opts.lines, opts.alrmEvery);
  const last = `L${opts.lines} `;
  await waitFor(() => {
    if (svlogd.child.exitCode !== null && !svlog.out().includes(last)) throw new Error(`svlogd exited with ${svlogd.child.exitCode}`);
    return svlog.out().includes(last);
  }, `svlog to show ${last}`, 60000);
  const rotated = readdirSync(dir).filter((n) => n.startsWith('@')).length;
  t.ok(rotated >= 10, `rotations happened while following (${rotated} rotated files)`);
  // give a duplicate the chance to show up before judging
  await new Promise((r) => setTimeout(r, 300));
  const want = (opts.svlogFirst ? '' : 'ready\n') + expected(opts.lines);
  const got = svlog.out();
  t.equal(got.length, want.length, 'as many bytes as written');
  t.ok(got === want, 'every line exactly once, in order');
  if (got !== want) {
    const g = got.split('\n');
    const w = want.split('\n');
    const i = g.findIndex((l, k) => l !== w[k]);
    t.comment(`first difference at line ${i}: got ${JSON.stringify(g.slice(i, i + 3))} want ${JSON.stringify(w.slice(i, i + 3))}`);
  }
  svlogd.child.stdin?.end();
  await waitFor(() => svlogd.child.exitCode !== null, 'svlogd to exit');
  t.equal(svlog.child.exitCode, null, 'svlog still following');
}

/**
 * Our svlogd (another area, in progress) currently fails to lock its folder when
 * started from under tap (`unable to lock directory: file descriptor not open`):
 * then this case is a visible TODO instead of a failure of the pager's tests.
 */
function ourSvlogdWorks(): { todo: string | false } {
  const dir = mkdtempSync(path.join(tmpdir(), 'svlog-probe-'));
  try {
    const r = spawnSync(ourBin('svlogd'), [dir], { input: 'x\n', timeout: 30000 });
    return { todo: r.status === 0 ? false : `our svlogd fails here: ${r.stderr.toString().trim()}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('follows our svlogd across size rotations and ALRM', ourSvlogdWorks(), async (t) => {
  await followCase(t, ourBin('svlogd'), 's400\nn0\n', { alrmEvery: 400, lines: 3000 });
});

t.test('follows runit svlogd across size rotations and ALRM', referenceSkip('svlogd'), async (t) => {
  await followCase(t, referenceBin('svlogd') as string, 's400\nn0\n', { alrmEvery: 400, lines: 3000 });
});

t.test('follows through a processor (.u replaced by .s)', referenceSkip('svlogd'), async (t) => {
  await followCase(t, referenceBin('svlogd') as string, 's2000\nn0\n!cat\n', { alrmEvery: 0, lines: 2000 });
});

t.test('follows a folder whose current does not exist yet', referenceSkip('svlogd'), async (t) => {
  await followCase(t, referenceBin('svlogd') as string, 's400\nn0\n', { alrmEvery: 0, lines: 1500, svlogFirst: true });
});

t.test('pruning faster than it reads: never repeats, never reorders, keeps going', referenceSkip('svlogd'), async (t) => {
  // n2 and a rotation every few ms: files vanish before anyone could read them,
  // so lines may be missing; what is shown must still be in order and once
  const dir = path.join(tempDir(t), 'log');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'config'), 's2000\nn2\n');
  const svlogd = start(t, referenceBin('svlogd') as string, [dir], 'pipe');
  svlogd.child.stdin?.write('ready\n');
  await waitFor(() => readdirSync(dir).includes('current'), 'current', 60000);
  const svlog = start(t, ourBin('svlog'), ['-f', '-n', '1', '--raw', dir]);
  await waitFor(() => svlog.out() === 'ready\n', 'svlog to show the last line', 60000);
  await writeLines(svlogd.child, 4000, 0);
  await waitFor(() => svlog.out().includes('L4000 '), 'the last line', 60000);
  const lines = svlog.out().split('\n').slice(1, -1);
  let prev = 0;
  let bad = 0;
  for (const l of lines) {
    const n = Number(/^L(\d+) p*$/.exec(l)?.[1] ?? NaN);
    if (!(n > prev) || l !== `L${n} ${'p'.repeat(n % 23)}`) bad++;
    prev = n;
  }
  t.equal(bad, 0, `${lines.length} whole lines, strictly increasing`);
  t.equal(svlog.child.exitCode, null, 'still following');
  svlogd.child.stdin?.end();
  await waitFor(() => svlogd.child.exitCode !== null, 'svlogd to exit');
});
