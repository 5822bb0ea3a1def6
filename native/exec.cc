#include "exec.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <unistd.h>

namespace runitd {

void ExecSearch(const char* file, char* const argv[], char* const envp[], const char* path) {
  if (file[0] == '\0') {
    errno = ENOENT;
    return;
  }
  if (strchr(file, '/') != nullptr || path == nullptr) {
    execve(file, argv, envp);
    return;
  }
  const size_t flen = strlen(file);
  char buf[PATH_MAX];
  int saved = ENOENT;
  const char* p = path;
  for (;;) {
    const char* colon = strchr(p, ':');
    const size_t dlen = colon != nullptr ? static_cast<size_t>(colon - p) : strlen(p);
    if (dlen + 1 + flen + 1 <= sizeof buf) {
      size_t n = 0;
      if (dlen > 0) {
        memcpy(buf, p, dlen);
        n = dlen;
        buf[n++] = '/';
      }
      memcpy(buf + n, file, flen + 1);
      execve(buf, argv, envp);
      if (errno == EACCES) {
        saved = EACCES;
      } else if (errno != ENOENT && errno != ENOTDIR) {
        return;
      }
    }
    if (colon == nullptr) break;
    p = colon + 1;
  }
  errno = saved;
}

}  // namespace runitd
