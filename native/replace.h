#pragma once

#include <napi.h>

namespace runitd {

Napi::Value ReplaceFiles(const Napi::CallbackInfo& info);

}  // namespace runitd
