#include "changes.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

#include "../posix.h"
#include "messages.h"

namespace chpst {

void TakeLock(const char* file, bool wait, bool quiet) {
  int fd = open(file, O_WRONLY | O_APPEND | O_NONBLOCK | O_CREAT, 0600);
  if (fd < 0) {
    if (quiet) _exit(0);
    FatalSys(errno, {"unable to open lock: ", file});
  }
  if (int err = runitd::posix::Flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB)) {
    if (quiet) _exit(0);
    FatalSys(err, {"unable to lock: ", file});
  }
}

namespace {

void Limit(int resource, long value) {
  if (value < Limits::kHard) return;
  struct rlimit rl;
  if (int err = runitd::posix::GetRlimit(resource, &rl)) FatalSys(err, {"unable to getrlimit()"});
  const rlim_t want = static_cast<rlim_t>(value);
  rl.rlim_cur = value < 0 || want > rl.rlim_max ? rl.rlim_max : want;
  if (int err = runitd::posix::SetRlimit(resource, rl)) FatalSys(err, {"unable to setrlimit()"});
}

}  // namespace

void ApplyLimits(const Limits& l) {
  Limit(RLIMIT_DATA, l.data);
  Limit(RLIMIT_STACK, l.stack);
  Limit(RLIMIT_MEMLOCK, l.memlock);
  Limit(RLIMIT_AS, l.as);
  Limit(RLIMIT_NOFILE, l.nofile);
  Limit(RLIMIT_NPROC, l.nproc);
  Limit(RLIMIT_FSIZE, l.fsize);
  Limit(RLIMIT_CORE, l.core);
  Limit(RLIMIT_RSS, l.rss);
  Limit(RLIMIT_CPU, l.cpu);
}

}  // namespace chpst
