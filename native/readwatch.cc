// watchRead(fd, callback, keepAlive, buffer): the bytes written into a FIFO or
// pipe, handed to JavaScript as they arrive, without a net.Socket: loading
// node:net is a tenth of a daemon's start-up before its first service runs, and
// a Socket with its stream state costs kilobytes per FIFO, where a poll handle
// costs a hundred bytes. Without `buffer`, callback(latin1 text) per read; with
// it, each read fills at most the buffer and callback(n) follows before the next
// read. callback(null, errno name or "EOF") once when the fd can no longer be
// read (the watch stops polling then, so a dead fd never spins).
// pauseRead(fd, on) stops and restarts reading (unread data stays in the pipe:
// back-pressure); unwatchRead(fd) stops and closes. The sd_notify socket
// (notify.cc) is watched the same way, one datagram a call.
#include "readwatch.h"

#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <map>
#include <memory>

#include "errors.h"

namespace runitd {
namespace {

struct Watch {
  uv_poll_t handle;
  int fd;
  // the fd is the watch's to close (from a successful start until UnwatchFd)
  bool ownsFd;
  ReadKind kind;
  bool paused;
  // told its end: never polled again
  bool ended;
  // the caller's buffer (kept alive here) or none: latin1 text
  Napi::Reference<Napi::Buffer<char>> target;
  char* into;
  size_t size;
  napi_env env;
  Napi::FunctionReference callback;
  std::unique_ptr<Napi::AsyncContext> context;
};

std::map<int, Watch*> g_watches;

void Closed(uv_handle_t* h) { delete static_cast<Watch*>(h->data); }

bool StillWatched(Watch* w) {
  if (!w->ownsFd) return false;
  auto it = g_watches.find(w->fd);
  return it != g_watches.end() && it->second == w;
}

// false when the callback ended the watch (or threw)
bool Deliver(Watch* w, const char* data, size_t n, const char* endCode) {
  Napi::Env env(w->env);
  Napi::HandleScope scope(env);
  try {
    if (endCode != nullptr) {
      w->callback.MakeCallback(env.Global(), {env.Null(), Napi::String::New(env, endCode)}, *w->context);
    } else if (w->into != nullptr) {
      w->callback.MakeCallback(env.Global(), {Napi::Number::New(env, static_cast<double>(n))}, *w->context);
    } else {
      napi_value text;
      if (w->kind == ReadKind::kDatagram) {
        text = Napi::String::New(env, data, n);
      } else {
        // bytes as they are: one char per byte
        napi_create_string_latin1(env, data, n, &text);
      }
      w->callback.MakeCallback(env.Global(), {text}, *w->context);
    }
  } catch (const Napi::Error& e) {
    napi_fatal_exception(w->env, e.Value());
    return false;
  }
  return StillWatched(w);
}

void OnReadable(uv_poll_t* handle, int status, int events) {
  Watch* w = static_cast<Watch*>(handle->data);
  if (status < 0) {
    uv_poll_stop(handle);
    w->ended = true;
    Deliver(w, nullptr, 0, ErrnoName(-status));
    return;
  }
  char own[4096];
  char* buf = w->into != nullptr ? w->into : own;
  size_t size = w->into != nullptr ? w->size : sizeof own;
  // a bounded number of reads per wake-up: a writer that never pauses must not
  // keep the loop from everything else
  for (int i = 0; i < 16 && !w->paused; i++) {
    ssize_t n = w->kind == ReadKind::kDatagram ? recv(w->fd, buf, size, MSG_DONTWAIT) : read(w->fd, buf, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0 || (n == 0 && w->kind == ReadKind::kStream)) {
      const char* code = n < 0 ? ErrnoName(errno) : "EOF";
      uv_poll_stop(handle);
      w->ended = true;
      Deliver(w, nullptr, 0, code);
      return;
    }
    if (!Deliver(w, buf, static_cast<size_t>(n), nullptr)) return;
  }
}

}  // namespace

void WatchFd(Napi::Env env, int fd, Napi::Function callback, ReadKind kind, bool keepAlive, Napi::Value target) {
  if (g_watches.count(fd) != 0) ThrowErrno(env, EEXIST, "uv_poll_init");
  auto w = std::make_unique<Watch>();
  w->fd = fd;
  w->ownsFd = false;
  w->kind = kind;
  w->paused = false;
  w->ended = false;
  w->into = nullptr;
  w->size = 0;
  if (target.IsBuffer()) {
    auto b = target.As<Napi::Buffer<char>>();
    if (b.Length() == 0) ThrowErrno(env, EINVAL, "read");
    w->target = Napi::Persistent(b);
    w->into = b.Data();
    w->size = b.Length();
  }
  w->env = env;
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  int rc = uv_poll_init(loop, &w->handle, fd);
  if (rc < 0) ThrowErrno(env, -rc, "uv_poll_init");
  w->callback = Napi::Persistent(callback);
  w->context = std::make_unique<Napi::AsyncContext>(env, "runitd.readwatch");
  w->handle.data = w.get();
  if (!keepAlive) uv_unref(reinterpret_cast<uv_handle_t*>(&w->handle));
  rc = uv_poll_start(&w->handle, UV_READABLE, OnReadable);
  if (rc < 0) {
    // the handle is initialised: only uv_close may free it; the fd stays the caller's
    uv_close(reinterpret_cast<uv_handle_t*>(&w.release()->handle), Closed);
    ThrowErrno(env, -rc, "uv_poll_start");
  }
  w->ownsFd = true;
  g_watches[fd] = w.release();
}

bool PauseFd(int fd, bool paused) {
  auto it = g_watches.find(fd);
  if (it == g_watches.end()) return false;
  Watch* w = it->second;
  if (w->paused == paused) return true;
  w->paused = paused;
  if (w->ended) return true;
  if (paused) {
    uv_poll_stop(&w->handle);
  } else {
    uv_poll_start(&w->handle, UV_READABLE, OnReadable);
  }
  return true;
}

bool UnwatchFd(int fd) {
  auto it = g_watches.find(fd);
  if (it == g_watches.end()) return false;
  Watch* w = it->second;
  g_watches.erase(it);
  // uv_close takes the fd out of the poll set at once, so it can be closed now:
  // the caller may count on the fd being gone when this returns
  uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), Closed);
  if (w->ownsFd) close(w->fd);
  w->ownsFd = false;
  return true;
}

Napi::Value WatchRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  WatchFd(env, fd, info[1].As<Napi::Function>(), ReadKind::kStream, info[2].ToBoolean().Value(), info[3]);
  return env.Undefined();
}

Napi::Value PauseRead(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), PauseFd(info[0].As<Napi::Number>().Int32Value(), info[1].ToBoolean().Value()));
}

Napi::Value UnwatchRead(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), UnwatchFd(info[0].As<Napi::Number>().Int32Value()));
}

}  // namespace runitd
