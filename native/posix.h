// The syscalls the addon and the chpst program both make, as plain C++: no N-API,
// no exceptions, no messages. Each returns 0 or the errno value that describes the
// failure; callers decide what a failure means (the addon throws, chpst dies with
// runit's words).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>

namespace runitd {
namespace posix {

struct Passwd {
  std::string name;
  uid_t uid;
  gid_t gid;
  std::string dir;
  std::string shell;
};

struct Group {
  std::string name;
  gid_t gid;
};

// NSS lookups. An unknown name is not an error: 0 with *found = false.
int GetPasswd(const char* name, Passwd* out, bool* found);
int GetGroup(const char* name, Group* out, bool* found);

// glibc's wrappers, which apply the change to every thread of the process.
int SetGroups(const gid_t* gids, size_t n);
int SetGid(gid_t gid);
int SetUid(uid_t uid);

int GetRlimit(int resource, struct rlimit* out);
int SetRlimit(int resource, const struct rlimit& limit);

// flock(2), retried when a signal interrupts a blocking wait.
int Flock(int fd, int op);

// nice(2): -1 is also a valid new nice value, so errno alone tells a failure.
int Nice(int inc, int* now);

int Chroot(const char* path);

}  // namespace posix
}  // namespace runitd
