#pragma once

#include <napi.h>

namespace runitd {

Napi::Value LowMemoryNotification(const Napi::CallbackInfo& info);

}  // namespace runitd
