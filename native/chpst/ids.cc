#include "ids.h"

#include <string>

#include "../posix.h"
#include "messages.h"
#include "numbers.h"

namespace chpst {

namespace {

constexpr int kMaxGroups = 60;

enum class Outcome { kOk, kInvalid, kUnknown, kLookupFailed };

// ":uid:gid[:gid...]" without the leading colon. An empty number is 0; ids keep the
// low bits of the scanned unsigned long, as the C casts do.
Outcome Numeric(const char* s, UidGids* out) {
  unsigned long v;
  s += ScanUlong(s, &v);
  if (*s != ':') return Outcome::kInvalid;
  out->uid = static_cast<uid_t>(v);
  ++s;
  for (int i = 0; i < kMaxGroups; ++i, ++s) {
    s += ScanUlong(s, &v);
    out->gids.push_back(static_cast<gid_t>(v));
    if (*s != ':') break;
  }
  return *s == '\0' ? Outcome::kOk : Outcome::kInvalid;
}

Outcome User(const std::string& name, runitd::posix::Passwd* pw, int* err) {
  bool found = false;
  *err = runitd::posix::GetPasswd(name.c_str(), pw, &found);
  if (*err != 0) return Outcome::kLookupFailed;
  return found ? Outcome::kOk : Outcome::kUnknown;
}

Outcome UserSpec(const std::string& spec, UidGids* out, int* err) {
  if (spec[0] == ':') return Numeric(spec.c_str() + 1, out);
  const size_t colon = spec.find(':');
  runitd::posix::Passwd pw;
  Outcome o = User(spec.substr(0, colon), &pw, err);
  if (o != Outcome::kOk) return o;
  out->uid = pw.uid;
  if (colon == std::string::npos) {
    out->gids.push_back(pw.gid);
    return Outcome::kOk;
  }
  // further groups past the 60th are ignored, as in runit
  size_t at = colon + 1;
  for (int i = 0; i < kMaxGroups; ++i) {
    const size_t end = spec.find(':', at);
    runitd::posix::Group gr;
    bool found = false;
    *err = runitd::posix::GetGroup(spec.substr(at, end - at).c_str(), &gr, &found);
    if (*err != 0) return Outcome::kLookupFailed;
    if (!found) return Outcome::kUnknown;
    out->gids.push_back(gr.gid);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return Outcome::kOk;
}

}  // namespace

UidGids Resolve(const char* user, bool ext) {
  UidGids ids;
  int err = 0;
  if (!ext) {
    runitd::posix::Passwd pw;
    switch (User(user, &pw, &err)) {
      case Outcome::kOk:
        ids.uid = pw.uid;
        ids.gids.push_back(pw.gid);
        return ids;
      case Outcome::kLookupFailed:
        FatalSys(err, {"unable to get password file entry"});
      default:
        Fatal({"unknown account: ", user});
    }
  }
  switch (UserSpec(user, &ids, &err)) {
    case Outcome::kOk:
      return ids;
    case Outcome::kInvalid:
      Fatal({"invalid uid/gids: ", user + 1});
    case Outcome::kLookupFailed:
      FatalSys(err, {"unable to get password/group file entry"});
    default:
      Fatal({"unknown user/group: ", user});
  }
}

void BecomeUser(const char* user, bool ext) {
  const UidGids ids = Resolve(user, ext);
  if (int err = runitd::posix::SetGroups(ids.gids.data(), ids.gids.size())) FatalSys(err, {"unable to setgroups"});
  if (int err = runitd::posix::SetGid(ids.gids[0])) FatalSys(err, {"unable to setgid"});
  if (int err = runitd::posix::SetUid(ids.uid)) FatalSys(err, {"unable to setuid"});
}

void PutIdsInEnv(const char* user, bool ext, EnvChanges* env) {
  const UidGids ids = Resolve(user, ext);
  env->Set("GID", std::to_string(ids.gids[0]));
  env->Set("UID", std::to_string(ids.uid));
}

}  // namespace chpst
