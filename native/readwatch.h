#pragma once

#include <napi.h>

namespace runitd {

enum class ReadKind { kStream, kDatagram };

// Polls `fd` (non-blocking) in the event loop and calls `callback` with what each
// read returns (into `target` when it is a Buffer), until UnwatchFd. Takes the
// fd: UnwatchFd closes it. Throws a Node-style error when the loop refuses the fd.
void WatchFd(Napi::Env env, int fd, Napi::Function callback, ReadKind kind, bool keepAlive, Napi::Value target);
// Stops the watch of `fd` and closes it; false when nothing watched it.
bool UnwatchFd(int fd);

Napi::Value WatchRead(const Napi::CallbackInfo& info);
Napi::Value UnwatchRead(const Napi::CallbackInfo& info);
Napi::Value PauseRead(const Napi::CallbackInfo& info);

}  // namespace runitd
