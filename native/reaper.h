#pragma once

#include <napi.h>

namespace runitd {

Napi::Value ReaperStart(const Napi::CallbackInfo& info);
Napi::Value ReaperRef(const Napi::CallbackInfo& info);
Napi::Value ReapNow(const Napi::CallbackInfo& info);

}  // namespace runitd
