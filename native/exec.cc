#include "exec.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <unistd.h>

namespace runitd {

void ExecSearch(const char* file, char* const argv[], char* const envp[], const char* path) {
  if (strchr(file, '/') != nullptr || path == nullptr) {
    execve(file, argv, envp);
    return;
  }
  const size_t flen = strlen(file);
  char buf[PATH_MAX];
  int saved = 0;
  const char* p = path;
  for (;;) {
    const char* colon = strchr(p, ':');
    const size_t dlen = colon != nullptr ? static_cast<size_t>(colon - p) : strlen(p);
    const char* dir = dlen > 0 ? p : ".";
    const size_t n = dlen > 0 ? dlen : 1;
    if (n + 1 + flen + 1 <= sizeof buf) {
      memcpy(buf, dir, n);
      buf[n] = '/';
      memcpy(buf + n + 1, file, flen + 1);
      execve(buf, argv, envp);
    } else {
      errno = ENAMETOOLONG;
    }
    if (errno != ENOENT) {
      saved = errno;
      if (errno != EACCES && errno != EPERM && errno != EISDIR) return;
    }
    if (colon == nullptr) break;
    p = colon + 1;
  }
  errno = saved != 0 ? saved : ENOENT;
}

}  // namespace runitd
