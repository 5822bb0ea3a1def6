#pragma once

#include <napi.h>

namespace runitd {

Napi::Value ListFolder(const Napi::CallbackInfo& info);

}  // namespace runitd
