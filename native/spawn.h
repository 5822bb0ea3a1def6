#pragma once

#include <napi.h>

namespace runitd {

Napi::Value Spawn(const Napi::CallbackInfo& info);

// Called once at load, while the process holds few fds.
void ReserveSpawnSlots();

}  // namespace runitd
