#pragma once

#include <napi.h>

namespace runitd {

Napi::Value Flock(const Napi::CallbackInfo& info);
Napi::Value Kill(const Napi::CallbackInfo& info);
Napi::Value Killpg(const Napi::CallbackInfo& info);
Napi::Value Getrlimit(const Napi::CallbackInfo& info);
Napi::Value Setrlimit(const Napi::CallbackInfo& info);
Napi::Value Setuid(const Napi::CallbackInfo& info);
Napi::Value Setgid(const Napi::CallbackInfo& info);
Napi::Value Setgroups(const Napi::CallbackInfo& info);
Napi::Value Initgroups(const Napi::CallbackInfo& info);
Napi::Value Chroot(const Napi::CallbackInfo& info);
Napi::Value Nice(const Napi::CallbackInfo& info);
Napi::Value Getpriority(const Napi::CallbackInfo& info);
Napi::Value Setpriority(const Napi::CallbackInfo& info);
Napi::Value Setsid(const Napi::CallbackInfo& info);
Napi::Value Setpgid(const Napi::CallbackInfo& info);
Napi::Value Getpgid(const Napi::CallbackInfo& info);
Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info);
Napi::Value PidfdOpen(const Napi::CallbackInfo& info);
Napi::Value Pipe(const Napi::CallbackInfo& info);
Napi::Value Dup(const Napi::CallbackInfo& info);
Napi::Value SetNonblock(const Napi::CallbackInfo& info);
Napi::Value SetCloexec(const Napi::CallbackInfo& info);
Napi::Value Getpwnam(const Napi::CallbackInfo& info);
Napi::Value Getgrnam(const Napi::CallbackInfo& info);
Napi::Value Getgrouplist(const Napi::CallbackInfo& info);
Napi::Value ExecInPlace(const Napi::CallbackInfo& info);

}  // namespace runitd
