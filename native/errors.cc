#include "errors.h"

#include <cerrno>
#include <cstring>

namespace runitd {

const char* ErrnoName(int err) {
  // glibc >= 2.32 knows every name; the fallback keeps older libcs building.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* name = strerrorname_np(err);
  if (name != nullptr) return name;
#endif
  return "EUNKNOWN";
}

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall,
                       const std::string& path, const char* codeOverride) {
  const char* code = codeOverride != nullptr ? codeOverride : ErrnoName(err);
  std::string msg = std::string(code) + ": " + strerror(err) + ", " + syscall;
  if (!path.empty()) msg += " '" + path + "'";
  Napi::Error e = Napi::Error::New(env, msg);
  Napi::Object o = e.Value();
  o.Set("code", Napi::String::New(env, code));
  o.Set("errno", Napi::Number::New(env, -err));
  o.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) o.Set("path", Napi::String::New(env, path));
  return e;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& path,
                const char* codeOverride) {
  throw ErrnoError(env, err, syscall, path, codeOverride);
}

}  // namespace runitd
