// The reaper: SIGCHLD arrives in the libuv loop through a uv_signal_t (libuv's own
// self-pipe), then waitpid(-1, WNOHANG) runs until nothing is left and the whole
// batch goes to JS in one call as a flat [pid, status, pid, status, ...] array.
// Reaping every child is what lets a subreaper or PID 1 never keep zombies.
#include "reaper.h"

#include <sys/wait.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "errors.h"

namespace runitd {
namespace {

struct Reaper {
  napi_env env = nullptr;
  uv_signal_t handle;
  Napi::FunctionReference callback;
  std::unique_ptr<Napi::AsyncContext> context;
  bool started = false;
  bool closing = false;
};

Reaper* g_reaper = nullptr;

// Returns the exits collected; every exited child is reaped, whoever its parent was.
std::vector<int> Collect() {
  std::vector<int> out;
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      out.push_back(pid);
      out.push_back(status);
      continue;
    }
    if (pid < 0 && errno == EINTR) continue;
    break;  // 0: children left but none exited; ECHILD: none at all
  }
  return out;
}

void Deliver(Reaper* r, const std::vector<int>& exits) {
  if (exits.empty() || r->callback.IsEmpty()) return;
  Napi::Env env(r->env);
  Napi::HandleScope scope(env);
  Napi::Array arr = Napi::Array::New(env, exits.size());
  for (size_t i = 0; i < exits.size(); i++) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(env, exits[i]));
  try {
    r->callback.MakeCallback(env.Global(), {arr}, *r->context);
  } catch (const Napi::Error& e) {
    // An exception thrown by the JS handler belongs to the process's
    // uncaughtException machinery, not to this C++ frame.
    napi_fatal_exception(r->env, e.Value());
  }
}

void OnSignal(uv_signal_t* handle, int) {
  Reaper* r = static_cast<Reaper*>(handle->data);
  Deliver(r, Collect());
}

void Cleanup(void* arg) {
  Reaper* r = static_cast<Reaper*>(arg);
  if (r->started && !r->closing) {
    uv_signal_stop(&r->handle);
    r->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&r->handle), nullptr);
  }
  r->callback.Reset();
  r->context.reset();
}

}  // namespace

// reaperStart(callback): begins watching SIGCHLD; the handle starts unreferenced.
Napi::Value ReaperStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_reaper == nullptr) {
    g_reaper = new Reaper();
    napi_add_env_cleanup_hook(env, Cleanup, g_reaper);
  }
  Reaper* r = g_reaper;
  if (r->started) throw Napi::Error::New(env, "reaper already started");
  r->env = env;
  r->callback = Napi::Persistent(info[0].As<Napi::Function>());
  r->context = std::make_unique<Napi::AsyncContext>(env, "runitd.reaper");
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  uv_signal_init(loop, &r->handle);
  r->handle.data = r;
  int rc = uv_signal_start(&r->handle, OnSignal, SIGCHLD);
  if (rc < 0) ThrowErrno(env, -rc, "uv_signal_start");
  uv_unref(reinterpret_cast<uv_handle_t*>(&r->handle));
  r->started = true;
  return env.Undefined();
}

// reaperRef(bool): keep the loop alive while children we wait for are running.
Napi::Value ReaperRef(const Napi::CallbackInfo& info) {
  if (g_reaper != nullptr && g_reaper->started) {
    uv_handle_t* h = reinterpret_cast<uv_handle_t*>(&g_reaper->handle);
    if (info[0].ToBoolean().Value()) uv_ref(h); else uv_unref(h);
  }
  return info.Env().Undefined();
}

// reapNow(): a synchronous sweep, for exits that happened before the reaper started.
Napi::Value ReapNow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> exits = Collect();
  Napi::Array arr = Napi::Array::New(env, exits.size());
  for (size_t i = 0; i < exits.size(); i++) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(env, exits[i]));
  return arr;
}

}  // namespace runitd
