#include "posix.h"

#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace runitd {
namespace posix {

// getpwnam_r/getgrnam_r with a buffer that grows until the entry fits (a group
// with thousands of members does not fit the usual 16 kB).
constexpr size_t kFirstBuffer = 16384;
constexpr size_t kLastBuffer = 64u << 20;

int GetPasswd(const char* name, Passwd* out, bool* found) {
  std::vector<char> buf(kFirstBuffer);
  struct passwd pw, *res = nullptr;
  int rc;
  while ((rc = getpwnam_r(name, &pw, buf.data(), buf.size(), &res)) == ERANGE && buf.size() < kLastBuffer)
    buf.resize(buf.size() * 4);
  *found = rc == 0 && res != nullptr;
  // the strings point into buf: copy them before it goes
  if (*found) *out = Passwd{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir, pw.pw_shell};
  return rc;
}

int GetGroup(const char* name, Group* out, bool* found) {
  std::vector<char> buf(kFirstBuffer);
  struct group gr, *res = nullptr;
  int rc;
  while ((rc = getgrnam_r(name, &gr, buf.data(), buf.size(), &res)) == ERANGE && buf.size() < kLastBuffer)
    buf.resize(buf.size() * 4);
  *found = rc == 0 && res != nullptr;
  if (*found) *out = Group{gr.gr_name, gr.gr_gid};
  return rc;
}

int SetGroups(const gid_t* gids, size_t n) { return setgroups(n, gids) < 0 ? errno : 0; }
int SetGid(gid_t gid) { return setgid(gid) < 0 ? errno : 0; }
int SetUid(uid_t uid) { return setuid(uid) < 0 ? errno : 0; }

int GetRlimit(int resource, struct rlimit* out) {
  return getrlimit(static_cast<__rlimit_resource_t>(resource), out) < 0 ? errno : 0;
}

int SetRlimit(int resource, const struct rlimit& limit) {
  return setrlimit(static_cast<__rlimit_resource_t>(resource), &limit) < 0 ? errno : 0;
}

int Flock(int fd, int op) {
  int rc;
  do rc = flock(fd, op);
  while (rc < 0 && errno == EINTR);
  return rc < 0 ? errno : 0;
}

int Nice(int inc, int* now) {
  errno = 0;
  int v = nice(inc);
  if (v == -1 && errno != 0) return errno;
  *now = v;
  return 0;
}

int Chroot(const char* path) { return chroot(path) < 0 ? errno : 0; }

}  // namespace posix
}  // namespace runitd
