#include "messages.h"

#include <unistd.h>

#include <cerrno>
#include <string>

namespace chpst {

namespace {

struct ErrText {
  int err;
  const char* text;
};

// The texts runit's error_str() prints (the same table as lib/errstr.ts).
constexpr ErrText kErrTexts[] = {
    {EPERM, "permission denied"},
    {ENOENT, "file does not exist"},
    {ESRCH, "no such process"},
    {EINTR, "interrupted system call"},
    {EIO, "input/output error"},
    {ENXIO, "device not configured"},
    {E2BIG, "argument list too long"},
    {ENOEXEC, "exec format error"},
    {EBADF, "file descriptor not open"},
    {ECHILD, "no child processes"},
    {EAGAIN, "temporary failure"},
    {ENOMEM, "out of memory"},
    {EACCES, "access denied"},
    {EFAULT, "bad address"},
    {ENOTBLK, "not a block device"},
    {EBUSY, "device busy"},
    {EEXIST, "file already exists"},
    {EXDEV, "cross-device link"},
    {ENODEV, "device does not support operation"},
    {ENOTDIR, "not a directory"},
    {EISDIR, "is a directory"},
    {EINVAL, "invalid argument"},
    {ENFILE, "system cannot open more files"},
    {EMFILE, "process cannot open more files"},
    {ENOTTY, "not a tty"},
    {ETXTBSY, "text busy"},
    {EFBIG, "file too big"},
    {ENOSPC, "out of disk space"},
    {ESPIPE, "unseekable descriptor"},
    {EROFS, "read-only file system"},
    {EMLINK, "too many links"},
    {EPIPE, "broken pipe"},
    {EDOM, "input out of range"},
    {ERANGE, "output out of range"},
    {EDEADLK, "operation would cause deadlock"},
    {ENAMETOOLONG, "file name too long"},
    {ENOLCK, "no locks available"},
    {ENOSYS, "system call not available"},
    {ENOTEMPTY, "directory not empty"},
    {ELOOP, "symbolic link loop"},
    {ENOMSG, "no message of desired type"},
    {EIDRM, "identifier removed"},
    {ENOSTR, "not a stream device"},
    {ETIME, "timer expired"},
    {ENOSR, "out of stream resources"},
    {ENONET, "machine not on network"},
    {EREMOTE, "too many levels of remote in path"},
    {ENOLINK, "link severed"},
    {EADV, "advertise error"},
    {ESRMNT, "srmount error"},
    {ECOMM, "communication error"},
    {EPROTO, "protocol error"},
    {EMULTIHOP, "multihop attempted"},
    {EBADMSG, "bad message type"},
    {EREMCHG, "remote address changed"},
    {EUSERS, "too many users"},
    {ENOTSOCK, "not a socket"},
    {EDESTADDRREQ, "destination address required"},
    {EMSGSIZE, "message too long"},
    {EPROTOTYPE, "incorrect protocol type"},
    {ENOPROTOOPT, "protocol not available"},
    {EPROTONOSUPPORT, "protocol not supported"},
    {ESOCKTNOSUPPORT, "socket type not supported"},
    {EOPNOTSUPP, "operation not supported"},
    {EPFNOSUPPORT, "protocol family not supported"},
    {EAFNOSUPPORT, "address family not supported"},
    {EADDRINUSE, "address already used"},
    {EADDRNOTAVAIL, "address not available"},
    {ENETDOWN, "network down"},
    {ENETUNREACH, "network unreachable"},
    {ENETRESET, "network reset"},
    {ECONNABORTED, "connection aborted"},
    {ECONNRESET, "connection reset"},
    {ENOBUFS, "out of buffer space"},
    {EISCONN, "already connected"},
    {ENOTCONN, "not connected"},
    {ESHUTDOWN, "socket shut down"},
    {ETOOMANYREFS, "too many references"},
    {ETIMEDOUT, "timed out"},
    {ECONNREFUSED, "connection refused"},
    {EHOSTDOWN, "host down"},
    {EHOSTUNREACH, "host unreachable"},
    {EALREADY, "operation already in progress"},
    {EINPROGRESS, "operation in progress"},
    {ESTALE, "stale NFS file handle"},
    {EDQUOT, "disk quota exceeded"},
};

void Emit(std::string_view head, std::initializer_list<std::string_view> parts, std::string_view tail) {
  std::string line(head);
  for (std::string_view p : parts) line += p;
  line += tail;
  const char* s = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = write(2, s, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s += n;
    left -= static_cast<size_t>(n);
  }
}

std::string ErrTail(int err) { return std::string(": ") + ErrorStr(err) + "\n"; }

}  // namespace

const char* ErrorStr(int err) {
  if (err == 0) return "no error";
  for (const ErrText& e : kErrTexts) {
    if (e.err == err) return e.text;
  }
  return "unknown error";
}

void Say(std::initializer_list<std::string_view> parts) { Emit("", parts, ""); }

void FatalSys(int err, std::initializer_list<std::string_view> parts) {
  Emit("chpst: fatal: ", parts, ErrTail(err));
  _exit(kExitFatal);
}

void Fatal(std::initializer_list<std::string_view> parts) {
  Emit("chpst: fatal: ", parts, "\n");
  _exit(kExitFatal);
}

void WarnSys(int err, std::initializer_list<std::string_view> parts) { Emit("chpst: warning: ", parts, ErrTail(err)); }

void Usage(std::string_view name, std::string_view synopsis) {
  Emit("usage: ", {name, synopsis}, "\n\n");
  _exit(kExitUsage);
}

}  // namespace chpst
