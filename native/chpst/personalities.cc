#include "personalities.h"

#include <unistd.h>

#include "changes.h"
#include "env.h"
#include "ids.h"
#include "messages.h"
#include "numbers.h"
#include "sgetopt.h"

namespace chpst {

void ChpstUsage(std::string_view name) {
  Usage(name,
        " [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice]"
        " [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog");
}

namespace {

// setuidgid ACCOUNT PROG..., envuidgid ACCOUNT PROG..., envdir DIR PROG...: no
// options at all (`setuidgid -x prog` looks up the account "-x").
[[noreturn]] void WithOperand(std::string_view name, int argc, char** argv) {
  const char* synopsis = name == "envdir" ? " dir child" : " account child";
  if (argv[1] == nullptr || argv[2] == nullptr) Usage(name, synopsis);
  EnvChanges env;
  if (name == "setuidgid") BecomeUser(argv[1], false);
  if (name == "envuidgid") PutIdsInEnv(argv[1], false, &env);
  if (name == "envdir") ReadEnvdir(argv[1], false, false, &env);
  LimitAndRun(Limits(), argv[2], argv + 2, &env, false);
}

[[noreturn]] void Pgrphack(std::string_view name, int argc, char** argv) {
  if (argv[1] == nullptr) Usage(name, " child");
  setsid();
  EnvChanges env;
  LimitAndRun(Limits(), argv[1], argv + 1, &env, false);
}

// runit's setlock: no flag fails at once if the lock is held, -n waits (the
// reverse of daemontools'); -x makes every failure, the exec's too, exit 0.
[[noreturn]] void Setlock(std::string_view name, int argc, char** argv) {
  constexpr const char* kSynopsis = " [ -nNxX ] file program [ arg ... ]";
  bool wait = false, quiet = false;
  Sgetopt g(argc, argv, "nNxX");
  for (int opt; (opt = g.Next()) != Sgetopt::kDone;) {
    switch (opt) {
      case 'n': wait = true; break;
      case 'N': wait = false; break;
      case 'x': quiet = true; break;
      case 'X': quiet = false; break;
      default: Usage(name, kSynopsis);
    }
  }
  char** rest = argv + g.index();
  if (rest[0] == nullptr || rest[1] == nullptr) Usage(name, kSynopsis);
  TakeLock(rest[0], wait, quiet);
  EnvChanges env;
  LimitAndRun(Limits(), rest[1], rest + 1, &env, quiet);
}

[[noreturn]] void SoftlimitUsage(std::string_view name) {
  Usage(name,
        " [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes]"
        " [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child");
}

[[noreturn]] void Softlimit(std::string_view name, int argc, char** argv) {
  Limits lim;
  Sgetopt g(argc, argv, "a:c:d:f:l:m:o:p:r:s:t:");
  for (int opt; (opt = g.Next()) != Sgetopt::kDone;) {
    if (opt == '?') SoftlimitUsage(name);
    long v = Limits::kHard;  // "=": the hard limit
    unsigned long ul;
    if (std::string_view(g.arg()) != "=") {
      if (!ScanWhole(g.arg(), &ul)) ChpstUsage(name);  // runit's quirk: chpst's usage text
      v = static_cast<long>(ul);
    }
    switch (opt) {
      case 'a': lim.as = v; break;
      case 'c': lim.core = v; break;
      case 'd': lim.data = v; break;
      case 'f': lim.fsize = v; break;
      case 'l': lim.memlock = v; break;
      case 'm': lim.SetMemory(v); break;
      case 'o': lim.nofile = v; break;
      case 'p': lim.nproc = v; break;
      case 'r': lim.rss = v; break;
      case 's': lim.stack = v; break;
      case 't': lim.cpu = v; break;
    }
  }
  char** rest = argv + g.index();
  if (rest[0] == nullptr) SoftlimitUsage(name);
  EnvChanges env;
  LimitAndRun(lim, rest[0], rest, &env, false);
}

}  // namespace

void RunPersonality(std::string_view name, int argc, char** argv) {
  if (name == "setuidgid" || name == "envuidgid" || name == "envdir") WithOperand(name, argc, argv);
  if (name == "pgrphack") Pgrphack(name, argc, argv);
  if (name == "setlock") Setlock(name, argc, argv);
  if (name == "softlimit") Softlimit(name, argc, argv);
}

}  // namespace chpst
