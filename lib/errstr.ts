// runit's error_str(): the text djb's libraries print for an errno, shared by every
// command so messages match runit's byte for byte. Node errors carry the errno's
// name in `code`; unlisted errnos print 'unknown error', as runit does.
import { constants } from 'node:os';

const TEXT: Record<string, string> = {
  EPERM: 'permission denied',
  ENOENT: 'file does not exist',
  ESRCH: 'no such process',
  EINTR: 'interrupted system call',
  EIO: 'input/output error',
  ENXIO: 'device not configured',
  E2BIG: 'argument list too long',
  ENOEXEC: 'exec format error',
  EBADF: 'file descriptor not open',
  ECHILD: 'no child processes',
  EAGAIN: 'temporary failure',
  ENOMEM: 'out of memory',
  EACCES: 'access denied',
  EFAULT: 'bad address',
  ENOTBLK: 'not a block device',
  EBUSY: 'device busy',
  EEXIST: 'file already exists',
  EXDEV: 'cross-device link',
  ENODEV: 'device does not support operation',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EINVAL: 'invalid argument',
  ENFILE: 'system cannot open more files',
  EMFILE: 'process cannot open more files',
  ENOTTY: 'not a tty',
  ETXTBSY: 'text busy',
  EFBIG: 'file too big',
  ENOSPC: 'out of disk space',
  ESPIPE: 'unseekable descriptor',
  EROFS: 'read-only file system',
  EMLINK: 'too many links',
  EPIPE: 'broken pipe',
  EDOM: 'input out of range',
  ERANGE: 'output out of range',
  EDEADLK: 'operation would cause deadlock',
  ENAMETOOLONG: 'file name too long',
  ENOLCK: 'no locks available',
  ENOSYS: 'system call not available',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'symbolic link loop',
  ENOMSG: 'no message of desired type',
  EIDRM: 'identifier removed',
  ENOSTR: 'not a stream device',
  ETIME: 'timer expired',
  ENOSR: 'out of stream resources',
  ENONET: 'machine not on network',
  EREMOTE: 'too many levels of remote in path',
  ENOLINK: 'link severed',
  EADV: 'advertise error',
  ESRMNT: 'srmount error',
  ECOMM: 'communication error',
  EPROTO: 'protocol error',
  EMULTIHOP: 'multihop attempted',
  EBADMSG: 'bad message type',
  EREMCHG: 'remote address changed',
  EUSERS: 'too many users',
  ENOTSOCK: 'not a socket',
  EDESTADDRREQ: 'destination address required',
  EMSGSIZE: 'message too long',
  EPROTOTYPE: 'incorrect protocol type',
  ENOPROTOOPT: 'protocol not available',
  EPROTONOSUPPORT: 'protocol not supported',
  ESOCKTNOSUPPORT: 'socket type not supported',
  EOPNOTSUPP: 'operation not supported',
  EPFNOSUPPORT: 'protocol family not supported',
  EAFNOSUPPORT: 'address family not supported',
  EADDRINUSE: 'address already used',
  EADDRNOTAVAIL: 'address not available',
  ENETDOWN: 'network down',
  ENETUNREACH: 'network unreachable',
  ENETRESET: 'network reset',
  ECONNABORTED: 'connection aborted',
  ECONNRESET: 'connection reset',
  ENOBUFS: 'out of buffer space',
  EISCONN: 'already connected',
  ENOTCONN: 'not connected',
  ESHUTDOWN: 'socket shut down',
  ETOOMANYREFS: 'too many references',
  ETIMEDOUT: 'timed out',
  ECONNREFUSED: 'connection refused',
  EHOSTDOWN: 'host down',
  EHOSTUNREACH: 'host unreachable',
  EALREADY: 'operation already in progress',
  EINPROGRESS: 'operation in progress',
  ESTALE: 'stale NFS file handle',
  EDQUOT: 'disk quota exceeded',
};
// Linux has one number for these two names; Node reports EAGAIN, flock EWOULDBLOCK.
TEXT.EWOULDBLOCK = TEXT.EAGAIN;

const NAME_BY_ERRNO = new Map<number, string>();
for (const [name, num] of Object.entries(constants.errno)) if (!NAME_BY_ERRNO.has(num)) NAME_BY_ERRNO.set(num, name);

/** The runit text for an errno given by name ('ENOENT') or number (2 or Node's -2). */
export function errnoText(errno: string | number): string {
  if (errno === 0) return 'no error';
  const name = typeof errno === 'number' ? NAME_BY_ERRNO.get(Math.abs(errno)) : errno;
  return (name !== undefined && TEXT[name]) || 'unknown error';
}

/** The runit text for a thrown error (a Node fs error or a lib/native SysError). */
export function errorText(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown } | null;
  if (e && typeof e.code === 'string' && TEXT[e.code]) return TEXT[e.code];
  if (e && typeof e.errno === 'number') return errnoText(e.errno);
  return 'unknown error';
}

/** The errno name of a thrown error ('ENOENT'), if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
