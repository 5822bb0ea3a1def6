// Node-style errors: an Error whose `code` is the errno name and whose `syscall`
// names the failed call, so TypeScript can switch on err.code as with fs errors.
#pragma once

#include <napi.h>
#include <string>

namespace runitd {

const char* ErrnoName(int err);

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall,
                       const std::string& path = std::string(),
                       const char* codeOverride = nullptr);

[[noreturn]] void ThrowErrno(Napi::Env env, int err, const char* syscall,
                             const std::string& path = std::string(),
                             const char* codeOverride = nullptr);

}  // namespace runitd
