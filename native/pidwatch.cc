// watchPidfd(fd, callback): calls back once when the process behind a pidfd has
// exited (the pidfd turns readable). For processes the daemon adopted but did not
// start: they are not its children, so the reaper never hears of them. The fd
// stays the caller's to close.
#include "pidwatch.h"

#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "errors.h"

namespace runitd {
namespace {

struct Watch {
  uv_poll_t handle;
  napi_env env;
  Napi::FunctionReference callback;
  std::unique_ptr<Napi::AsyncContext> context;
};

void Closed(uv_handle_t* h) { delete static_cast<Watch*>(h->data); }

void OnReadable(uv_poll_t* handle, int status, int events) {
  Watch* w = static_cast<Watch*>(handle->data);
  uv_poll_stop(handle);
  {
    Napi::Env env(w->env);
    Napi::HandleScope scope(env);
    try {
      w->callback.MakeCallback(env.Global(), {}, *w->context);
    } catch (const Napi::Error& e) {
      napi_fatal_exception(w->env, e.Value());
    }
  }
  uv_close(reinterpret_cast<uv_handle_t*>(handle), Closed);
}

}  // namespace

Napi::Value WatchPidfd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto* w = new Watch();
  w->env = env;
  w->callback = Napi::Persistent(info[1].As<Napi::Function>());
  w->context = std::make_unique<Napi::AsyncContext>(env, "runitd.pidfd");
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  int rc = uv_poll_init(loop, &w->handle, fd);
  if (rc < 0) {
    delete w;
    ThrowErrno(env, -rc, "uv_poll_init");
  }
  w->handle.data = w;
  rc = uv_poll_start(&w->handle, UV_READABLE, OnReadable);
  if (rc < 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), Closed);
    ThrowErrno(env, -rc, "uv_poll_start");
  }
  return env.Undefined();
}

}  // namespace runitd

namespace runitd {

// procStat(pid): [ppid, starttime] from /proc/PID/stat (starttime in clock ticks
// since boot: with the pid it names one process for good), or null when there is
// no such process. procfs is memory, not disk: a synchronous read is cheap.
Napi::Value ProcStat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = info[0].As<Napi::Number>().Int32Value();
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return env.Null();
  char buf[1024];
  ssize_t n;
  do {
    n = read(fd, buf, sizeof buf - 1);
  } while (n < 0 && errno == EINTR);
  close(fd);
  if (n <= 0) return env.Null();
  buf[n] = '\0';
  // the command name may hold spaces and parentheses: fields restart after the last ')'
  char* p = strrchr(buf, ')');
  if (p == nullptr) return env.Null();
  p++;
  // field 3 is the state, 4 the ppid, 22 the start time
  unsigned long long fields[20] = {};
  int field = 2;
  char* save = nullptr;
  for (char* tok = strtok_r(p, " ", &save); tok != nullptr && field < 22; tok = strtok_r(nullptr, " ", &save)) {
    field++;
    if (field >= 4) fields[field - 4] = strtoull(tok, nullptr, 10);
  }
  if (field < 22) return env.Null();
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, static_cast<double>(fields[0])));
  out.Set(1u, Napi::Number::New(env, static_cast<double>(fields[22 - 4])));
  return out;
}

}  // namespace runitd
