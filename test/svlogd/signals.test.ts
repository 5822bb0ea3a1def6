// The svlogd command on a live pipe: signals, time rotation, processors, UDP,
// several dirs, locking.
import t, { Test } from 'tap';
import { ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { alive, killPid, tempDir, waitFor } from '../helpers/proc';
import { ourBin } from '../helpers/reference';

interface Run {
  child: ChildProcess;
  err: () => string;
  exit: Promise<number | null>;
}

function start(t: Test, cwd: string, args: string[]): Run {
  const child = spawn(ourBin('svlogd'), args, { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  t.teardown(() => killPid(child.pid as number));
  return { child, err: () => err, exit };
}

const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
const mode = (f: string): number => statSync(f).mode & 0o777;
const old = (dir: string, ext: string): string[] => readdirSync(dir).filter((f) => f.startsWith('@') && f.endsWith(ext)).sort();

function logDir(base: string, name = 'log', config?: string): string {
  const d = path.join(base, name);
  mkdirSync(d);
  if (config !== undefined) writeFileSync(path.join(d, 'config'), config);
  return d;
}

t.test('HUP re-reads config; several dirs with their own config; modes', async (t) => {
  const base = tempDir(t);
  const a = logDir(base, 'a', 'pA:\n');
  const b = logDir(base, 'b', 'pB:\n-*\n+keep*\n');
  const r = start(t, base, ['-v', 'a', 'b']);
  r.child.stdin!.write('one\nkeep two\n');
  await waitFor(() => read(path.join(a, 'current')) === 'A:one\nA:keep two\n', 'a/current');
  await waitFor(() => read(path.join(b, 'current')) === 'B:keep two\n', 'b/current');
  t.equal(mode(path.join(a, 'current')), 0o644, 'current is 0644 while written');
  writeFileSync(path.join(a, 'config'), 'pX:\n');
  r.child.kill('SIGHUP');
  await waitFor(() => r.err().includes('info: append: b/current'), 'reopen');
  t.match(r.err(), /info: sighangup received\.\nsvlogd: info: close: a\n/);
  r.child.stdin!.write('three\n');
  await waitFor(() => read(path.join(a, 'current')).endsWith('X:three\n'), 'new prefix after HUP');
  t.equal(read(path.join(b, 'current')), 'B:keep two\n');
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
  t.equal(mode(path.join(a, 'current')), 0o744, 'current is 0744 after a clean exit');
  t.equal(mode(path.join(b, 'current')), 0o744);
});

t.test('ALRM rotates non-empty current only', async (t) => {
  const base = tempDir(t);
  const d = logDir(base);
  const r = start(t, base, ['-v', 'log']);
  r.child.stdin!.write('before\n');
  await waitFor(() => read(path.join(d, 'current')) === 'before\n', 'line');
  r.child.kill('SIGALRM');
  await waitFor(() => old(d, '.s').length === 1, 'rotation');
  const [s] = old(d, '.s');
  t.match(s, /^@[0-9a-f]{24}\.s$/);
  t.equal(read(path.join(d, s)), 'before\n');
  t.equal(mode(path.join(d, s)), 0o744);
  r.child.kill('SIGALRM');
  await waitFor(() => r.err().split('sigalarm received').length === 3, 'second ALRM handled');
  r.child.stdin!.write('after\n');
  await waitFor(() => read(path.join(d, 'current')) === 'after\n', 'next line');
  t.equal(old(d, '.s').length, 1, 'ALRM with an empty current did nothing');
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
});

t.test('TERM waits for a half line and keeps it (runit drops it)', async (t) => {
  const base = tempDir(t);
  const d = logDir(base);
  const r = start(t, base, ['log']);
  r.child.stdin!.write('first\nincompl');
  await waitFor(() => read(path.join(d, 'current')) === 'first\n', 'first line');
  r.child.kill('SIGTERM');
  await new Promise((res) => setTimeout(res, 300));
  t.ok(alive(r.child.pid as number), 'still waiting for the end of the line');
  r.child.stdin!.write('ete\n');
  t.equal(await r.exit, 0);
  t.equal(read(path.join(d, 'current')), 'first\nincomplete\n');
  t.equal(mode(path.join(d, 'current')), 0o744);
});

t.test('TERM at a line boundary exits at once, leaving the rest in the pipe', async (t) => {
  const base = tempDir(t);
  const d = logDir(base);
  const r = start(t, base, ['log']);
  r.child.stdin!.write('a\nb\n');
  await waitFor(() => read(path.join(d, 'current')) === 'a\nb\n', 'lines');
  r.child.kill('SIGTERM');
  t.equal(await r.exit, 0);
});

t.test('t rotates on time', async (t) => {
  const base = tempDir(t);
  const d = logDir(base, 'log', 't1\n');
  const r = start(t, base, ['log']);
  r.child.stdin!.write('tick\n');
  await waitFor(() => old(d, '.s').length === 1, 'time rotation', 10000);
  t.equal(read(path.join(d, old(d, '.s')[0])), 'tick\n');
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
});

t.test('a failing processor is restarted until it succeeds', async (t) => {
  const base = tempDir(t);
  const d = logDir(base, 'log', 's20\n!test -e ok || { touch ok; exit 1; }; tr a-z A-Z\n');
  const r = start(t, base, ['log']);
  r.child.stdin!.write('abcdefghijklmnopqrs\nmore\n');
  await waitFor(() => old(d, '.s').length === 1 && old(d, '.u').length === 0, 'processed');
  t.match(r.err(), 'svlogd: warning: processor failed, restart: log\n');
  const s = old(d, '.s')[0];
  t.equal(read(path.join(d, s)), 'ABCDEFGHIJKLMNOPQRS\n');
  t.equal(mode(path.join(d, s)), 0o744);
  t.same(old(d, '.t'), []);
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
});

t.test('a hanging processor holds back the next rotation without losing lines', async (t) => {
  const base = tempDir(t);
  const d = logDir(base, 'log', 's100\n!while [ ! -e go ]; do sleep 0.05; done; cat\n');
  const r = start(t, base, ['log']);
  const input = Array.from({ length: 200 }, (_, i) => `line ${i} padding padding\n`).join('');
  r.child.stdin!.write(input);
  await waitFor(() => old(d, '.u').length === 1 && existsSync(path.join(d, 'current')) && read(path.join(d, 'current')).length === 100, 'first rotation, blocked');
  await new Promise((res) => setTimeout(res, 300));
  t.equal(old(d, '.u').length, 1, 'no second rotation while the processor runs');
  t.equal(old(d, '.s').length, 0);
  writeFileSync(path.join(d, 'go'), '');
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
  t.same(old(d, '.u'), [], 'all processed at exit');
  const all = [...old(d, '.s').map((f) => read(path.join(d, f))), read(path.join(d, 'current'))].join('');
  // n10 prunes the oldest: what remains is an exact tail of the input
  t.ok(input.endsWith(all) && all.length > 900, `kept an unbroken tail (${all.length} bytes)`);
});

t.test('UDP forwarding to loopback (u and U)', async (t) => {
  const base = tempDir(t);
  const sock = dgram.createSocket('udp4');
  const got: string[] = [];
  sock.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  t.teardown(() => sock.close());
  const port = sock.address().port;
  const u = logDir(base, 'u', `u127.0.0.1:${port}\npU:\n`);
  const U = logDir(base, 'U', `U127.0.0.1:${port}\npV:\n`);
  const r = start(t, base, ['-l', '10', 'u', 'U']);
  r.child.stdin!.write('short\n0123456789abcdef\n');
  await waitFor(() => got.length === 4, 'four datagrams');
  t.same(got.sort(), ['U:0123456789...\n', 'U:short\n', 'V:0123456789...\n', 'V:short\n'].sort());
  r.child.stdin!.end();
  t.equal(await r.exit, 0);
  t.equal(read(path.join(u, 'current')), 'U:short\nU:0123456789abcdef\n', 'u also writes the full line');
  t.equal(read(path.join(U, 'current')), '', 'U does not write');
});

t.test('a locked dir is refused', async (t) => {
  const base = tempDir(t);
  logDir(base);
  const r1 = start(t, base, ['log']);
  await waitFor(() => existsSync(path.join(base, 'log', 'current')), 'first svlogd up');
  const r2 = start(t, base, ['log']);
  t.equal(await r2.exit, 111);
  t.equal(r2.err(), 'svlogd: warning: unable to lock directory: log: temporary failure\nsvlogd: fatal: no functional log directories.\n');
  r1.child.stdin!.end();
  t.equal(await r1.exit, 0);
});
