// Users and groups: runit's USER syntax for -u/-U (uidgids_get) and the
// personalities' plain ACCOUNT (uidgid_get), and what chpst does with them.
#pragma once

#include <sys/types.h>

#include <vector>

#include "env.h"

namespace chpst {

struct UidGids {
  uid_t uid = 0;
  // the first is the primary group; all of them become the supplementary groups
  std::vector<gid_t> gids;
};

// `ext`: chpst's USER (name, name:group[:group...], :uid:gid[:gid...]); else a
// plain account name. Dies with runit's message when it cannot be resolved.
UidGids Resolve(const char* user, bool ext);

// setgroups, setgid, setuid, in that order (-u, setuidgid).
void BecomeUser(const char* user, bool ext);
// GID= and UID= for the program's environment (-U, envuidgid).
void PutIdsInEnv(const char* user, bool ext, EnvChanges* env);

}  // namespace chpst
