// runsvchdir DIR: makes /etc/runit/runsvdir/DIR ($RUNIT_DIR/runsvdir/DIR when
// RUNIT_DIR is set) the current runlevel, by pointing the `current` symlink
// at it with renames, so runsvdir scanning /etc/service (a link to current)
// switches in one step. The old one becomes `previous`. As runit 2.1.2's.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "paths.h"
#include "say.h"

namespace runit {
namespace {

const char* g_progname = "runsvchdir";

[[noreturn]] void Fatal(const std::string& m1, const std::string& m2) {
  DieSys(111, errno, {g_progname, ": fatal: ", m1, m2, ": "});
}
[[noreturn]] void FatalX(const std::string& m1, const std::string& m2) { Die(111, {g_progname, ": fatal: ", m1, m2}); }

}  // namespace
}  // namespace runit

int main(int argc, char** argv) {
  using namespace runit;
  if (argc > 0) g_progname = argv[0];
  if (argc < 2) Die(1, {"usage: ", g_progname, " dir", "\n"});
  std::string target = argv[1];
  std::string runsvdir = RunitPath("runsvdir");
  if (target.empty() || target[0] == '.') FatalX(target, ": must not start with a dot.");
  if (chdir(runsvdir.c_str()) == -1) Fatal("unable to chdir: ", runsvdir);

  struct stat st;
  if (stat(target.c_str(), &st) == -1) {
    if (errno == ENOENT) Fatal(target, "");
    Fatal("unable to stat: ", target);
  }
  if (!S_ISDIR(st.st_mode)) FatalX(target, "not a directory.");
  dev_t dev = st.st_dev;
  ino_t ino = st.st_ino;
  if (stat("current", &st) == -1) Fatal("unable to stat: ", "current");
  if (st.st_ino == ino && st.st_dev == dev) {
    Put(1, {"runsvchdir: ", target, ": current.\n"});
    _exit(0);
  }

  if (unlink("current.new") == -1 && errno != ENOENT) Fatal("unable to unlink: ", "current.new");
  if (symlink(target.c_str(), "current.new") == -1) Fatal("unable to create: current.new -> ", target);
  if (unlink("previous") == -1 && errno != ENOENT) Fatal("unable to unlink: ", "previous");
  if (rename("current", "previous") == -1) Fatal("unable to copy: current to ", "previous");
  if (rename("current.new", "current") == -1) {
    SaySys(errno, {g_progname, ": fatal: ", "unable to move: current.new to ", "current", ": "});
    if (rename("previous", "current") == -1) Fatal("unable to move previous back to ", "current");
    _exit(111);
  }
  Put(1, {"runsvchdir: ", target, ": now current.\n"});
  _exit(0);
}
