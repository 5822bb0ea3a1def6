// runit-init: as process 1 it becomes runit (/sbin/runit); otherwise
// `runit-init 0` asks runit to halt and `runit-init 6` to reboot, by arming
// stopit (and reboot for 6) in RUNIT_DIR and sending runit SIGCONT, as runit
// 2.1.2's runit-init does.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "paths.h"
#include "say.h"

extern char** environ;

namespace runit {
namespace {

constexpr const char* kFatal = "init: fatal: ";
const char* g_progname = "runit-init";

[[noreturn]] void Usage() { Die(1, {"usage: ", g_progname, " 0|6", "\n"}); }

// Creates `path` empty and marks it for runit: owner-executable only.
void Arm(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_NDELAY | O_TRUNC | O_CREAT, 0644);
  if (fd == -1) DieSys(111, errno, {kFatal, "unable to create ", path, ": "});
  close(fd);
  if (chmod(path.c_str(), 0100) == -1) DieSys(111, errno, {kFatal, "unable to chmod ", path, ": "});
}

[[noreturn]] void Halt(bool reboot) {
  Arm(RunitPath("stopit"));
  std::string rb = RunitPath("reboot");
  if (reboot) {
    Arm(rb);
  } else if (chmod(rb.c_str(), 0) == -1 && errno != ENOENT) {
    DieSys(111, errno, {kFatal, "unable to chmod ", rb, ": "});
  }
  kill(1, SIGCONT);
  _exit(0);
}

// Where runit lives: /sbin/runit, as in runit; where that is missing (a package
// installed but not linked into /sbin), the runit built beside this program.
void ExecRunit() {
  char* argv[] = {const_cast<char*>("runit"), nullptr};
  execve("/sbin/runit", argv, environ);
  int err = errno;
  if (err == ENOENT) {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
      std::string p(self, static_cast<size_t>(n));
      p = p.substr(0, p.rfind('/') + 1) + "runit";
      execve(p.c_str(), argv, environ);
    }
  }
  DieSys(111, err, {kFatal, "unable to start ", "runit", ": "});
}

}  // namespace
}  // namespace runit

int main(int argc, char** argv) {
  using namespace runit;
  if (argc > 0) g_progname = argv[0];
  if (getpid() == 1) ExecRunit();
  const char* arg = argc > 1 ? argv[1] : nullptr;
  if (arg == nullptr || *arg == '\0') Usage();
  switch (*arg) {
    case '0':
      Halt(false);
    case '6':
      Halt(true);
    case '-':
      if (arg[1] == 'V') Say({"$Id: runitd $"});
      Usage();
    default:
      Usage();
  }
}
