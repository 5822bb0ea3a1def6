// V8's LowMemoryNotification(): the full, memory-reducing collection that V8's
// own memory reducer runs some seconds after a burst of work (it also gives back
// the young generation's spare semi-space), at a moment the daemon chooses, so
// the daemon can run without that reducer and its wake-ups. A plain gc() does
// not release those pages. Node-API has no such call; the two V8 symbols are
// looked up at run time rather than linked, so that a Node whose V8 lacks them
// still loads the addon (prebuilds are Node-API, not tied to one V8): then the
// call does nothing and says so. malloc_trim(0) after it hands back the malloc
// pages that collection freed (~270 KB after a boot).
#include "heap.h"

#include <dlfcn.h>
#include <malloc.h>

namespace runitd {
namespace {

// Itanium C++ ABI names of v8::Isolate::GetCurrent() and
// v8::Isolate::LowMemoryNotification(); a member function takes `this` first.
using GetCurrentFn = void* (*)();
using NotifyFn = void (*)(void*);

struct Symbols {
  GetCurrentFn current = nullptr;
  NotifyFn notify = nullptr;
  Symbols() {
    current = reinterpret_cast<GetCurrentFn>(dlsym(RTLD_DEFAULT, "_ZN2v87Isolate10GetCurrentEv"));
    notify = reinterpret_cast<NotifyFn>(dlsym(RTLD_DEFAULT, "_ZN2v87Isolate21LowMemoryNotificationEv"));
  }
};

}  // namespace

Napi::Value LowMemoryNotification(const Napi::CallbackInfo& info) {
  static const Symbols syms;
  if (syms.current == nullptr || syms.notify == nullptr) return Napi::Boolean::New(info.Env(), false);
  void* isolate = syms.current();
  if (isolate == nullptr) return Napi::Boolean::New(info.Env(), false);
  syms.notify(isolate);
  malloc_trim(0);
  return Napi::Boolean::New(info.Env(), true);
}

}  // namespace runitd
