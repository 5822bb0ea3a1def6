// spawn(plan): clone(CLONE_VM|CLONE_VFORK) + execve, like posix_spawn but with the
// few extra steps a supervisor needs (rlimit restore, uid/gid, close every other fd).
// The child shares our memory until it execs, so it may only make raw syscalls and
// touch data prepared here beforehand: no malloc, no locks, no glibc setxid.
#include "spawn.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "errors.h"
#include "exec.h"

namespace runitd {
namespace {

constexpr int kInherit = -1;
constexpr int kDevNull = -2;
constexpr size_t kChildStack = 64 * 1024;

struct ChildPlan {
  const char* file;
  char* const* argv;
  char* const* envp;
  const char* path;  // PATH for the search, or nullptr for no search
  const char* cwd;   // nullptr: stay
  int stdio[3];
  // one more fd for the child at a number of the caller's choosing (s6's
  // notification-fd): extraTarget < 0 for none
  int extraSrc;
  int extraTarget;
  bool setsid;
  int pgid;  // -1: leave; otherwise setpgid(0, pgid)
  long nofile;  // -1: leave; otherwise the soft RLIMIT_NOFILE
  sigset_t mask;
  long uid, gid;  // -1: leave
  const gid_t* groups;
  long ngroups;  // -1: leave
  // > 0: the child shares our fd table (CLONE_FILES) and must first take a
  // private copy of only the fds below this number (close_range UNSHARE)
  unsigned unshareFrom;
  // >= -1000: written to /proc/self/oom_score_adj (a daemon that shields itself
  // from the OOM killer gives its children the ordinary score back)
  int oomScoreAdj;
  char oomText[12];
  // written by the child when it fails, read by the parent after the vfork returns
  volatile int err;
  volatile const char* failed;
};

[[noreturn]] void Fail(ChildPlan* p, const char* what) {
  p->err = errno;
  p->failed = what;
  _exit(127);
}

int ChildMain(void* arg) {
  ChildPlan* p = static_cast<ChildPlan*>(arg);

  // chdir first: cwd may be /proc/self/fd/N, an fd the unshare below drops.
  if (p->cwd != nullptr && chdir(p->cwd) < 0) Fail(p, "chdir");

  // Then, before any change to fds: a private fd table holding only the low fds
  // (stdio and the reserved slots the sources were parked in), not a copy of
  // every fd a daemon with 1000 services holds, which made a spawn O(open fds).
  if (p->unshareFrom > 0 && syscall(SYS_close_range, p->unshareFrom, ~0U, CLOSE_RANGE_UNSHARE) < 0) Fail(p, "close_range");

  // Every disposition back to default: Node ignores SIGPIPE and SIGXFSZ, and a
  // handler of Node's must never run in this half-process. Signals are all
  // blocked (by the parent) until the final mask is installed below.
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, nullptr);
  }

  if (p->setsid && setsid() < 0) Fail(p, "setsid");
  if (p->pgid >= 0 && setpgid(0, p->pgid) < 0) Fail(p, "setpgid");

  if (p->nofile >= 0) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != static_cast<rlim_t>(p->nofile)) {
      rl.rlim_cur = static_cast<rlim_t>(p->nofile);
      if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) rl.rlim_cur = rl.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &rl) < 0) Fail(p, "setrlimit");
    }
  }

  if (p->oomScoreAdj >= -1000) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0) Fail(p, "open");
    int len = 0;
    while (p->oomText[len] != '\0') len++;
    if (write(fd, p->oomText, len) < 0) Fail(p, "write");
    close(fd);
  }

  // glibc's setuid & co. broadcast to all threads; here that would hit Node's threads.
  if (p->ngroups >= 0 && syscall(SYS_setgroups, p->ngroups, p->groups) < 0) Fail(p, "setgroups");
  if (p->gid >= 0 && syscall(SYS_setgid, p->gid) < 0) Fail(p, "setgid");
  if (p->uid >= 0 && syscall(SYS_setuid, p->uid) < 0) Fail(p, "setuid");

  // Move every source above 2 first so that a plan like {0: 1, 1: 0} cannot clobber.
  int moved[3];
  for (int i = 0; i < 3; i++) {
    int src = p->stdio[i];
    if (src == kInherit) {
      moved[i] = kInherit;
      continue;
    }
    if (src == kDevNull) {
      src = open("/dev/null", O_RDWR | O_CLOEXEC);
      if (src < 0) Fail(p, "open");
      moved[i] = src;  // already >= 3 or about to be replaced: see below
      if (src <= 2) {
        int up = fcntl(src, F_DUPFD_CLOEXEC, 3);
        if (up < 0) Fail(p, "fcntl");
        moved[i] = up;
      }
      continue;
    }
    moved[i] = fcntl(src, F_DUPFD_CLOEXEC, 3);
    if (moved[i] < 0) Fail(p, "dup");
  }
  for (int i = 0; i < 3; i++) {
    if (moved[i] == kInherit) {
      int flags = fcntl(i, F_GETFD);
      if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(i, F_SETFD, flags & ~FD_CLOEXEC);
      continue;
    }
    if (dup2(moved[i], i) < 0) Fail(p, "dup2");
  }

  if (p->extraTarget >= 3) {
    int src = fcntl(p->extraSrc, F_DUPFD_CLOEXEC, 3);
    if (src < 0) Fail(p, "dup");
    if (src == p->extraTarget) {
      if (fcntl(src, F_SETFD, 0) < 0) Fail(p, "fcntl");
    } else if (dup2(src, p->extraTarget) < 0) {
      Fail(p, "dup2");
    }
  }

  if (p->extraTarget >= 3) {
    // every fd but the extra one
    if (p->extraTarget > 3 && syscall(SYS_close_range, 3U, static_cast<unsigned>(p->extraTarget - 1), 0U) < 0) Fail(p, "close_range");
    if (syscall(SYS_close_range, static_cast<unsigned>(p->extraTarget + 1), ~0U, 0U) < 0) Fail(p, "close_range");
  } else if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
    // kernels before 5.9: close by hand up to the hard limit
    struct rlimit rl;
    long max = (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
                   ? static_cast<long>(rl.rlim_max)
                   : 65536;
    for (long fd = 3; fd < max; fd++) close(static_cast<int>(fd));
  }

  sigprocmask(SIG_SETMASK, &p->mask, nullptr);
  ExecSearch(p->file, p->argv, p->envp, p->path);
  Fail(p, "execve");
}

// Four fd numbers, low and always occupied (by /dev/null), where a spawn parks
// the child's stdio sources and its extra fd for the duration of the clone; see ChildMain.
int g_slots[4] = {-1, -1, -1, -1};
int g_devnull = -1;
unsigned g_unshareFrom = 0;

}  // namespace

void ReserveSpawnSlots() {
  if (g_devnull >= 0) return;
  g_devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (g_devnull < 0) return;
  int top = g_devnull;
  for (int& slot : g_slots) {
    slot = fcntl(g_devnull, F_DUPFD_CLOEXEC, 3);
    if (slot < 0) return;
    if (slot > top) top = slot;
  }
  // close_range and its UNSHARE flag came together in Linux 5.9. Probe the call
  // on an empty range, never with UNSHARE: that would give this thread an fd
  // table of its own, apart from the threadpool's.
  if (syscall(SYS_close_range, ~0U - 1, ~0U - 1, 0U) == 0) g_unshareFrom = static_cast<unsigned>(top) + 1;
}

namespace {

std::vector<std::string> StringArray(const Napi::Value& v) {
  std::vector<std::string> out;
  Napi::Array a = v.As<Napi::Array>();
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(&s[0]);
  out.push_back(nullptr);
  return out;
}

long OptionalLong(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? static_cast<long>(v.As<Napi::Number>().Int64Value()) : -1;
}

}  // namespace

// The plan arrives validated by lib/native.ts; fields are read without re-checking types.
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();

  std::string file = o.Get("file").As<Napi::String>().Utf8Value();
  std::vector<std::string> argvS = StringArray(o.Get("argv"));
  std::vector<std::string> envS = StringArray(o.Get("env"));
  std::vector<char*> argv = Pointers(argvS);
  std::vector<char*> envp = Pointers(envS);
  Napi::Value pathV = o.Get("path");
  std::string path = pathV.IsString() ? pathV.As<Napi::String>().Utf8Value() : std::string();
  Napi::Value cwdV = o.Get("cwd");
  std::string cwd = cwdV.IsString() ? cwdV.As<Napi::String>().Utf8Value() : std::string();

  ChildPlan plan = {};
  plan.file = file.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.path = pathV.IsString() ? path.c_str() : nullptr;
  plan.cwd = cwdV.IsString() ? cwd.c_str() : nullptr;
  Napi::Array stdio = o.Get("stdio").As<Napi::Array>();
  for (uint32_t i = 0; i < 3; i++) plan.stdio[i] = stdio.Get(i).As<Napi::Number>().Int32Value();
  plan.extraTarget = -1;
  Napi::Value extraV = o.Get("extraFd");
  if (extraV.IsArray()) {
    Napi::Array e = extraV.As<Napi::Array>();
    plan.extraTarget = e.Get(0u).As<Napi::Number>().Int32Value();
    plan.extraSrc = e.Get(1u).As<Napi::Number>().Int32Value();
  }
  plan.setsid = o.Get("setsid").ToBoolean().Value();
  plan.pgid = static_cast<int>(OptionalLong(o, "pgid"));
  plan.nofile = OptionalLong(o, "nofile");
  plan.uid = OptionalLong(o, "uid");
  plan.gid = OptionalLong(o, "gid");
  Napi::Value oomV = o.Get("oomScoreAdj");
  plan.oomScoreAdj = oomV.IsNumber() ? oomV.As<Napi::Number>().Int32Value() : -1001;
  if (plan.oomScoreAdj >= -1000) snprintf(plan.oomText, sizeof plan.oomText, "%d", plan.oomScoreAdj);
  std::vector<gid_t> groups;
  Napi::Value groupsV = o.Get("groups");
  plan.ngroups = -1;
  if (groupsV.IsArray()) {
    Napi::Array g = groupsV.As<Napi::Array>();
    for (uint32_t i = 0; i < g.Length(); i++) groups.push_back(g.Get(i).As<Napi::Number>().Uint32Value());
    plan.groups = groups.data();
    plan.ngroups = static_cast<long>(groups.size());
  }
  sigemptyset(&plan.mask);
  Napi::Value maskV = o.Get("sigmask");
  if (maskV.IsArray()) {
    Napi::Array m = maskV.As<Napi::Array>();
    for (uint32_t i = 0; i < m.Length(); i++) sigaddset(&plan.mask, m.Get(i).As<Napi::Number>().Int32Value());
  }

  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  bool parked[4] = {false, false, false, false};
  if (g_unshareFrom > 0) {
    for (int i = 0; i < 4; i++) {
      int* src = i < 3 ? &plan.stdio[i] : &plan.extraSrc;
      if (i == 3 && plan.extraTarget < 0) continue;
      if (*src < 0) continue;
      if (dup3(*src, g_slots[i], O_CLOEXEC) < 0) {
        int err = errno;
        for (int j = 0; j < i; j++) {
          if (parked[j]) dup3(g_devnull, g_slots[j], O_CLOEXEC);
        }
        ThrowErrno(env, err, "dup3");
      }
      parked[i] = true;
      *src = g_slots[i];
    }
    plan.unshareFrom = g_unshareFrom;
    flags |= CLONE_FILES;
  }

  std::vector<char> stack(kChildStack);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(ChildMain, stack.data() + stack.size(), flags, &plan);
  int cloneErr = errno;
  for (int i = 0; i < 4; i++) {
    if (parked[i]) dup3(g_devnull, g_slots[i], O_CLOEXEC);
  }
  if (pid > 0 && plan.failed != nullptr) {
    // The child has already _exit()ed; reap it here so no exit event reaches JS
    // for a process the caller was told never ran.
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);

  if (pid < 0) ThrowErrno(env, cloneErr, "clone");
  if (plan.failed != nullptr) {
    const char* what = const_cast<const char*>(plan.failed);
    std::string subject = std::string(what) == "chdir" ? cwd : file;
    ThrowErrno(env, plan.err, what, subject);
  }
  return Napi::Number::New(env, pid);
}

}  // namespace runitd
