#include "env.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "../exec.h"
#include "messages.h"

namespace chpst {

std::vector<char*> EnvChanges::Apply(char* const* base) {
  std::vector<char*> e;
  for (char* const* p = base; *p != nullptr; ++p) e.push_back(*p);
  for (std::string& ch : changes_) {
    const size_t split = std::min(ch.find('='), ch.size());
    for (size_t t = 0; t < e.size(); ++t) {
      if (strncmp(e[t], ch.data(), split) == 0 && e[t][split] == '=') {
        e[t] = e.back();
        e.pop_back();
        break;
      }
    }
    if (split < ch.size()) e.push_back(&ch[0]);
  }
  e.push_back(nullptr);
  return e;
}

namespace {

// Reads the whole file into `content`. Returns 0, or -1 with errno set. A file
// that does not exist leaves `content` as it was (runit's openreadclose).
int ReadFile(const char* name, std::string* content) {
  int fd = open(name, O_RDONLY | O_NONBLOCK);
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  content->clear();
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      errno = err;
      return n < 0 ? -1 : 0;
    }
    content->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

void ReadEnvdir(const char* dir, bool skipSubdirs, bool verbose, EnvChanges* env) {
  // runit changes into DIR to read it and comes back through an fd on the cwd
  int start = open(".", O_RDONLY | O_NONBLOCK);
  if (start < 0) FatalSys(errno, {"unable to open current working directory"});
  if (chdir(dir) < 0) FatalSys(errno, {"unable to switch to directory: ", dir});
  DIR* d = opendir(".");
  if (d == nullptr) FatalSys(errno, {"unable to open directory: ", dir});
  // One buffer for every file, as runit's: a file that vanished between readdir
  // and open (a dangling symlink) gives the previous file's value once more.
  std::string content;
  for (;;) {
    errno = 0;
    struct dirent* ent = readdir(d);
    if (ent == nullptr) {
      if (errno != 0) FatalSys(errno, {"unable to read directory: ", dir});
      break;
    }
    const char* name = ent->d_name;
    if (name[0] == '.') continue;
    if (ReadFile(name, &content) < 0) {
      if (errno == EISDIR && skipSubdirs) {
        if (verbose) WarnSys(errno, {"unable to read ", dir, "/", name});
        continue;
      }
      FatalSys(errno, {"unable to read ", dir, "/", name});
    }
    if (content.empty()) {
      env->Unset(name);
      continue;
    }
    size_t len = std::min(content.find('\n'), content.size());
    while (len > 0 && (content[len - 1] == ' ' || content[len - 1] == '\t')) --len;
    content.resize(len);
    for (char& c : content) {
      if (c == '\0') c = '\n';
    }
    env->Set(name, content);
    // runit's buffer keeps the value plus its terminating NUL
    content.push_back('\0');
  }
  closedir(d);
  if (fchdir(start) < 0) FatalSys(errno, {"unable to switch to starting directory"});
  close(start);
}

void LimitAndRun(const Limits& limits, const char* file, char* const* argv, EnvChanges* env, bool quiet) {
  // everything exec needs is allocated before the limits: a low -d or -m could
  // leave no room for it afterwards
  std::vector<char*> envp = env->Apply(environ);
  const char* path = getenv("PATH");
  ApplyLimits(limits);
  runitd::ExecSearch(file, argv, envp.data(), path != nullptr ? path : "/bin:/usr/bin");
  if (quiet) _exit(0);
  FatalSys(errno, {"unable to run: ", argv[0]});
}

}  // namespace chpst
