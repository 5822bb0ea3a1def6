#pragma once

#include <napi.h>

namespace runitd {

Napi::Value Spawn(const Napi::CallbackInfo& info);

}  // namespace runitd
