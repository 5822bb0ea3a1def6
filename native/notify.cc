// notifySocketOpen(name, onMessage): an abstract AF_UNIX datagram socket for
// sd_notify (NOTIFY_SOCKET=@name). Node has no unix datagram sockets; this binds
// one and calls back with each datagram's text (readwatch.cc) while it is open.
// notifySocketClose(fd) stops the watch and closes the socket.
#include "notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "errors.h"
#include "readwatch.h"

namespace runitd {

Napi::Value NotifySocketOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  // abstract: a leading NUL, no file in the file system, gone with the socket
  if (name.size() + 1 > sizeof addr.sun_path) ThrowErrno(env, ENAMETOOLONG, "bind");
  memcpy(addr.sun_path + 1, name.data(), name.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) ThrowErrno(env, errno, "socket");
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, err, "bind");
  }
  try {
    // a listener alone must not keep the daemon alive
    WatchFd(env, fd, info[1].As<Napi::Function>(), ReadKind::kDatagram, false, env.Undefined());
  } catch (...) {
    close(fd);
    throw;
  }
  return Napi::Number::New(env, fd);
}

Napi::Value NotifySocketClose(const Napi::CallbackInfo& info) {
  UnwatchFd(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

}  // namespace runitd
