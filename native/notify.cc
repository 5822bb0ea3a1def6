// notifySocketOpen(name, onMessage): an abstract AF_UNIX datagram socket for
// sd_notify (NOTIFY_SOCKET=@name). Node has no unix datagram sockets; this binds
// one and calls back with each datagram's text while it is open.
// notifySocketClose(fd) stops the watch and closes the socket.
#include "notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "errors.h"

namespace runitd {
namespace {

struct Listener {
  uv_poll_t handle;
  int fd;
  napi_env env;
  Napi::FunctionReference callback;
  std::unique_ptr<Napi::AsyncContext> context;
};

std::map<int, Listener*> g_listeners;

void Closed(uv_handle_t* h) {
  Listener* l = static_cast<Listener*>(h->data);
  close(l->fd);
  delete l;
}

void OnReadable(uv_poll_t* handle, int status, int events) {
  Listener* l = static_cast<Listener*>(handle->data);
  // sd_notify messages are small; a bigger datagram is cut, which no READY=1 needs
  char buf[4096];
  for (;;) {
    ssize_t n = recv(l->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    Napi::Env env(l->env);
    Napi::HandleScope scope(env);
    try {
      l->callback.MakeCallback(env.Global(), {Napi::String::New(env, buf, static_cast<size_t>(n))}, *l->context);
    } catch (const Napi::Error& e) {
      napi_fatal_exception(l->env, e.Value());
    }
    // the callback may have closed this socket
    if (g_listeners.find(l->fd) == g_listeners.end() || g_listeners[l->fd] != l) return;
  }
}

}  // namespace

Napi::Value NotifySocketOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  // abstract: a leading NUL, no file in the file system, gone with the socket
  if (name.size() + 1 > sizeof addr.sun_path) {
    ThrowErrno(env, ENAMETOOLONG, "bind");
    return env.Undefined();
  }
  memcpy(addr.sun_path + 1, name.data(), name.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ThrowErrno(env, errno, "socket");
    return env.Undefined();
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, err, "bind");
    return env.Undefined();
  }
  auto* l = new Listener();
  l->fd = fd;
  l->env = env;
  l->callback = Napi::Persistent(info[1].As<Napi::Function>());
  l->context = std::make_unique<Napi::AsyncContext>(env, "runitd.notify");
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  int rc = uv_poll_init(loop, &l->handle, fd);
  if (rc < 0) {
    close(fd);
    delete l;
    ThrowErrno(env, -rc, "uv_poll_init");
    return env.Undefined();
  }
  l->handle.data = l;
  // a listener alone must not keep the daemon alive
  uv_unref(reinterpret_cast<uv_handle_t*>(&l->handle));
  rc = uv_poll_start(&l->handle, UV_READABLE, OnReadable);
  if (rc < 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&l->handle), Closed);
    ThrowErrno(env, -rc, "uv_poll_start");
    return env.Undefined();
  }
  g_listeners[fd] = l;
  return Napi::Number::New(env, fd);
}

Napi::Value NotifySocketClose(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto it = g_listeners.find(fd);
  if (it == g_listeners.end()) return info.Env().Undefined();
  Listener* l = it->second;
  g_listeners.erase(it);
  uv_poll_stop(&l->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&l->handle), Closed);
  return info.Env().Undefined();
}

}  // namespace runitd
