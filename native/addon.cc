// Module registration: the addon's whole surface, typed in lib/native.ts.
#include <napi.h>
#include <sys/resource.h>

#include "heap.h"
#include "listdir.h"
#include "notify.h"
#include "pidwatch.h"
#include "makefifo.h"
#include "readfiles.h"
#include "readwatch.h"
#include "reaper.h"
#include "replace.h"
#include "spawn.h"
#include "sys.h"

namespace runitd {
namespace {

Napi::Object RlimitConstants(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("AS", Napi::Number::New(env, static_cast<int>(RLIMIT_AS)));
  o.Set("CORE", Napi::Number::New(env, static_cast<int>(RLIMIT_CORE)));
  o.Set("CPU", Napi::Number::New(env, static_cast<int>(RLIMIT_CPU)));
  o.Set("DATA", Napi::Number::New(env, static_cast<int>(RLIMIT_DATA)));
  o.Set("FSIZE", Napi::Number::New(env, static_cast<int>(RLIMIT_FSIZE)));
  o.Set("MEMLOCK", Napi::Number::New(env, static_cast<int>(RLIMIT_MEMLOCK)));
  o.Set("NOFILE", Napi::Number::New(env, static_cast<int>(RLIMIT_NOFILE)));
  o.Set("NPROC", Napi::Number::New(env, static_cast<int>(RLIMIT_NPROC)));
  o.Set("RSS", Napi::Number::New(env, static_cast<int>(RLIMIT_RSS)));
  o.Set("STACK", Napi::Number::New(env, static_cast<int>(RLIMIT_STACK)));
  return o;
}

}  // namespace
}  // namespace runitd

using namespace runitd;

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  ReserveSpawnSlots();
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
  exports.Set("reaperStart", Napi::Function::New(env, ReaperStart, "reaperStart"));
  exports.Set("reaperRef", Napi::Function::New(env, ReaperRef, "reaperRef"));
  exports.Set("reapNow", Napi::Function::New(env, ReapNow, "reapNow"));
  exports.Set("flock", Napi::Function::New(env, Flock, "flock"));
  exports.Set("kill", Napi::Function::New(env, Kill, "kill"));
  exports.Set("killpg", Napi::Function::New(env, Killpg, "killpg"));
  exports.Set("getrlimit", Napi::Function::New(env, Getrlimit, "getrlimit"));
  exports.Set("setrlimit", Napi::Function::New(env, Setrlimit, "setrlimit"));
  exports.Set("setuid", Napi::Function::New(env, Setuid, "setuid"));
  exports.Set("setgid", Napi::Function::New(env, Setgid, "setgid"));
  exports.Set("setgroups", Napi::Function::New(env, Setgroups, "setgroups"));
  exports.Set("initgroups", Napi::Function::New(env, Initgroups, "initgroups"));
  exports.Set("chroot", Napi::Function::New(env, Chroot, "chroot"));
  exports.Set("nice", Napi::Function::New(env, Nice, "nice"));
  exports.Set("getpriority", Napi::Function::New(env, Getpriority, "getpriority"));
  exports.Set("setpriority", Napi::Function::New(env, Setpriority, "setpriority"));
  exports.Set("setsid", Napi::Function::New(env, Setsid, "setsid"));
  exports.Set("setpgid", Napi::Function::New(env, Setpgid, "setpgid"));
  exports.Set("getpgid", Napi::Function::New(env, Getpgid, "getpgid"));
  exports.Set("setChildSubreaper", Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
  exports.Set("watchPidfd", Napi::Function::New(env, WatchPidfd, "watchPidfd"));
  exports.Set("notifySocketOpen", Napi::Function::New(env, NotifySocketOpen, "notifySocketOpen"));
  exports.Set("notifySocketClose", Napi::Function::New(env, NotifySocketClose, "notifySocketClose"));
  exports.Set("watchRead", Napi::Function::New(env, WatchRead, "watchRead"));
  exports.Set("unwatchRead", Napi::Function::New(env, UnwatchRead, "unwatchRead"));
  exports.Set("pauseRead", Napi::Function::New(env, PauseRead, "pauseRead"));
  exports.Set("procStat", Napi::Function::New(env, ProcStat, "procStat"));
  exports.Set("pidfdOpen", Napi::Function::New(env, PidfdOpen, "pidfdOpen"));
  exports.Set("pipe", Napi::Function::New(env, Pipe, "pipe"));
  exports.Set("dup", Napi::Function::New(env, Dup, "dup"));
  exports.Set("lowMemoryNotification", Napi::Function::New(env, LowMemoryNotification, "lowMemoryNotification"));
  exports.Set("setNonblock", Napi::Function::New(env, SetNonblock, "setNonblock"));
  exports.Set("setCloexec", Napi::Function::New(env, SetCloexec, "setCloexec"));
  exports.Set("getpwnam", Napi::Function::New(env, Getpwnam, "getpwnam"));
  exports.Set("getgrnam", Napi::Function::New(env, Getgrnam, "getgrnam"));
  exports.Set("getgrouplist", Napi::Function::New(env, Getgrouplist, "getgrouplist"));
  exports.Set("listFolder", Napi::Function::New(env, ListFolder, "listFolder"));
  exports.Set("makeFifo", Napi::Function::New(env, MakeFifo, "makeFifo"));
  exports.Set("readFiles", Napi::Function::New(env, ReadFiles, "readFiles"));
  exports.Set("replaceFiles", Napi::Function::New(env, ReplaceFiles, "replaceFiles"));
  exports.Set("execInPlace", Napi::Function::New(env, ExecInPlace, "execInPlace"));
  exports.Set("RLIMIT", RlimitConstants(env));
  return exports;
}

NODE_API_MODULE(runitd, InitAddon)
