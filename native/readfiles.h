#pragma once

#include <napi.h>

namespace runitd {

Napi::Value ReadFiles(const Napi::CallbackInfo& info);

}  // namespace runitd
