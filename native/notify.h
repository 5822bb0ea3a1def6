#pragma once

#include <napi.h>

namespace runitd {

Napi::Value NotifySocketOpen(const Napi::CallbackInfo& info);
Napi::Value NotifySocketClose(const Napi::CallbackInfo& info);

}  // namespace runitd
