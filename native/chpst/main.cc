// chpst: change the process state, then exec a program in place (same pid), as
// runit 2.1.2's chpst does: same options, order of changes, messages, exit codes
// (100 usage, 111 fatal). Its argv[0] may name a personality instead (envdir,
// setuidgid ...). A native program because it runs in the exec path of nearly
// every run script: it must cost what runit's costs. It passes the environment and
// every fd on untouched, apart from the changes asked for. Options are runit's
// sgetopt rules, by hand (sgetopt.cc): no option library, as in every command
// that takes runit's syntax (commander is for `runitd` alone).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "../posix.h"
#include "changes.h"
#include "env.h"
#include "ids.h"
#include "messages.h"
#include "numbers.h"
#include "personalities.h"
#include "sgetopt.h"

namespace chpst {
void OwnFlag(std::string_view arg);
namespace {

constexpr const char* kVersion = "$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $";

struct Options {
  const char* setUser = nullptr;  // -u
  const char* envUser = nullptr;  // -U
  const char* argv0 = nullptr;    // -b
  const char* envDir = nullptr;   // -e
  const char* root = nullptr;     // -/
  long nice = 0;                  // -n
  const char* lock = nullptr;     // -l / -L
  bool lockWait = false;
  bool verbose = false;  // -v
  bool pgrp = false;     // -P
  bool close[3] = {false, false, false};
  Limits limits;
};

// The number an option takes, as the C long runit stores it in (2^64-1 is -1);
// anything but digits is a usage error.
unsigned long Number(std::string_view name, const char* arg) {
  unsigned long v;
  if (!ScanWhole(arg, &v)) ChpstUsage(name);
  return v;
}

// Options are acted on as they are parsed: a bad number hides a later bad option.
Options Parse(std::string_view name, int argc, char** argv, int* first) {
  Options o;
  Sgetopt g(argc, argv, "u:U:b:e:m:d:o:p:f:c:r:t:/:n:l:L:vP012V");
  for (int opt; (opt = g.Next()) != Sgetopt::kDone;) {
    const char* arg = g.arg();
    switch (opt) {
      case 'u': o.setUser = arg; break;
      case 'U': o.envUser = arg; break;
      case 'b': o.argv0 = arg; break;
      case 'e': o.envDir = arg; break;
      case '/': o.root = arg; break;
      case 'm': o.limits.SetMemory(static_cast<long>(Number(name, arg))); break;
      case 'd': o.limits.data = static_cast<long>(Number(name, arg)); break;
      case 'o': o.limits.nofile = static_cast<long>(Number(name, arg)); break;
      case 'p': o.limits.nproc = static_cast<long>(Number(name, arg)); break;
      case 'f': o.limits.fsize = static_cast<long>(Number(name, arg)); break;
      case 'c': o.limits.core = static_cast<long>(Number(name, arg)); break;
      case 'r': o.limits.rss = static_cast<long>(Number(name, arg)); break;
      case 't': o.limits.cpu = static_cast<long>(Number(name, arg)); break;
      case 'n':
        if (arg[0] == '-') {
          o.nice = static_cast<long>(0UL - Number(name, arg + 1));
        } else {
          o.nice = static_cast<long>(Number(name, arg[0] == '+' ? arg + 1 : arg));
        }
        break;
      case 'l':
      case 'L':
        if (o.lock != nullptr) ChpstUsage(name);  // one lock only
        o.lock = arg;
        o.lockWait = opt == 'l';
        break;
      case 'v': o.verbose = true; break;
      case 'P': o.pgrp = true; break;
      case '0': o.close[0] = true; break;
      case '1': o.close[1] = true; break;
      case '2': o.close[2] = true; break;
      case 'V':
        Say({kVersion, "\n"});
        ChpstUsage(name);
      default:
        ChpstUsage(name);
    }
  }
  *first = g.index();
  return o;
}

[[noreturn]] void Chpst(std::string_view name, int argc, char** argv) {
  int first = 0;
  const Options o = Parse(name, argc, argv, &first);
  char** prog = argv + first;
  if (prog[0] == nullptr) ChpstUsage(name);

  EnvChanges env;
  // runit's order; lookups for -U and -u happen inside the new root, and the lock
  // is opened there too, as the new user
  if (o.pgrp) setsid();
  if (o.envDir != nullptr) ReadEnvdir(o.envDir, true, o.verbose, &env);
  if (o.root != nullptr) {
    if (chdir(o.root) < 0) FatalSys(errno, {"unable to change directory: ", o.root});
    if (int err = runitd::posix::Chroot(".")) FatalSys(err, {"unable to change root directory"});
  }
  if (o.nice != 0) {
    int now;
    if (int err = runitd::posix::Nice(static_cast<int>(o.nice), &now)) FatalSys(err, {"unable to set nice level"});
  }
  if (o.envUser != nullptr) PutIdsInEnv(o.envUser, true, &env);
  if (o.setUser != nullptr) BecomeUser(o.setUser, true);
  if (o.lock != nullptr) TakeLock(o.lock, o.lockWait, false);
  static const char* const kStdName[] = {"stdin", "stdout", "stderr"};
  for (int fd = 0; fd < 3; ++fd) {
    if (o.close[fd] && close(fd) < 0) FatalSys(errno, {"unable to close ", kStdName[fd]});
  }
  const char* file = prog[0];
  if (o.argv0 != nullptr) prog[0] = const_cast<char*>(o.argv0);
  LimitAndRun(o.limits, file, prog, &env, false);
}

}  // namespace

// --help and --version, taken only alone: runit's chpst has neither and prints
// its usage for them, so no command line that means something to runit changes.
void OwnFlag(std::string_view arg) {
#define RUNITD_STR2(x) #x
#define RUNITD_STR(x) RUNITD_STR2(x)
  std::string_view text;
  if (arg == "--version") {
    text = "chpst (runitd) " RUNITD_STR(RUNITD_VERSION) "\n";
  } else if (arg == "--help") {
    text =
        "usage: chpst [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n"
        "Changes the process state, then runs prog in the same process (runit's chpst).\n"
        "  -u user[:group]  become user (and group)     -U user[:group]  set $UID and $GID\n"
        "  -e dir           set variables from dir      -/ root          chroot to root\n"
        "  -n inc           add inc to the nice level   -l|-L lock       take lock (wait | fail)\n"
        "  -m -d -o -p -f -c -r -t n  limit memory, data, open files, processes, file size,\n"
        "                   core size, resident set, cpu seconds\n"
        "  -b argv0         run prog under this name    -P               new process group\n"
        "  -0 -1 -2         close stdin, stdout, stderr  -v              verbose\n"
        "As envdir, envuidgid, pgrphack, setuidgid, softlimit, setlock it is daemontools' tool.\n";
  } else {
    return;
  }
#undef RUNITD_STR
#undef RUNITD_STR2
  while (!text.empty()) {
    ssize_t n = write(1, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(kExitFatal);
    text.remove_prefix(static_cast<size_t>(n));
  }
  _exit(0);
}

}  // namespace chpst

int main(int argc, char** argv) {
  // the name chpst answers to: argv[0]'s basename, one leading 'd' dropped
  const char* a0 = argc > 0 && argv[0] != nullptr ? argv[0] : "";
  const char* slash = strrchr(a0, '/');
  std::string_view name(slash != nullptr ? slash + 1 : a0);
  if (!name.empty() && name[0] == 'd') name.remove_prefix(1);
  chpst::RunPersonality(name, argc, argv);
  if (argc == 2) chpst::OwnFlag(argv[1]);
  chpst::Chpst(name, argc, argv);
}
