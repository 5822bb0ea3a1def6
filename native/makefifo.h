#pragma once

#include <napi.h>

namespace runitd {

Napi::Value MakeFifo(const Napi::CallbackInfo& info);

}  // namespace runitd
