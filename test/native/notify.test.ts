// notifySocketOpen: an abstract unix datagram socket (sd_notify's NOTIFY_SOCKET)
// that calls back with each datagram, and is gone once closed.
import t from 'tap';
import { execFile } from 'node:child_process';
import { notifySocketClose, notifySocketOpen } from '../../lib/native';

// python3 speaks AF_UNIX datagrams; Node does not
function send(name: string, text: string): Promise<{ code: number | null; stderr: string }> {
  const code = "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.connect('\\0'+sys.argv[1])\ns.send(sys.argv[2].encode())";
  return new Promise((resolve) => {
    execFile('python3', ['-c', code, name, text], (err, _out, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

t.test('datagrams arrive in order, one callback each, until closed', async (t) => {
  const name = `runitd-test/notify/${process.pid}/a`;
  const got: string[] = [];
  let wake: () => void = () => undefined;
  const fd = notifySocketOpen(name, (text) => {
    got.push(text);
    wake();
  });
  let closed = false;
  t.teardown(() => {
    if (!closed) notifySocketClose(fd);
  });
  for (const msg of ['STATUS=starting', 'READY=1\nSTATUS=up']) {
    const arrived = new Promise<void>((r) => (wake = r));
    t.equal((await send(name, msg)).code, 0, `sent ${JSON.stringify(msg)}`);
    await arrived;
  }
  t.same(got, ['STATUS=starting', 'READY=1\nSTATUS=up']);
  notifySocketClose(fd);
  closed = true;
  const after = await send(name, 'READY=1');
  t.not(after.code, 0, 'nobody listens once closed');
  t.match(after.stderr, /ConnectionRefused|No such file/);
});

t.test('a name bound twice is refused', async (t) => {
  const name = `runitd-test/notify/${process.pid}/b`;
  const fd = notifySocketOpen(name, () => undefined);
  t.teardown(() => notifySocketClose(fd));
  t.throws(() => notifySocketOpen(name, () => undefined), { code: 'EADDRINUSE' });
});
