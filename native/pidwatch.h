#pragma once

#include <napi.h>

namespace runitd {

Napi::Value WatchPidfd(const Napi::CallbackInfo& info);
Napi::Value ProcStat(const Napi::CallbackInfo& info);

}  // namespace runitd
