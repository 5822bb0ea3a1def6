// Thin wrappers over syscalls Node does not offer. Arguments arrive validated by
// lib/native.ts; every failure throws an Error with code/errno/syscall set. The
// calls chpst makes too live in posix.cc, shared with the chpst program.
#include "sys.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "errors.h"
#include "exec.h"
#include "posix.h"

namespace runitd {
namespace {

int Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
std::string Str(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::String>().Utf8Value(); }

std::vector<std::string> StringArray(const Napi::Value& v) {
  std::vector<std::string> out;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

Napi::Value RlimToJs(Napi::Env env, rlim_t v) {
  if (v == RLIM_INFINITY) return Napi::Number::New(env, std::numeric_limits<double>::infinity());
  return Napi::Number::New(env, static_cast<double>(v));
}

rlim_t JsToRlim(const Napi::Value& v) {
  double d = v.As<Napi::Number>().DoubleValue();
  if (std::isinf(d) || d >= 18446744073709551615.0) return RLIM_INFINITY;
  return static_cast<rlim_t>(d);
}

}  // namespace

// flock(fd, "sh"|"ex"|"un", nonblocking)
Napi::Value Flock(const Napi::CallbackInfo& info) {
  int fd = Int(info, 0);
  std::string mode = Str(info, 1);
  int op = mode == "sh" ? LOCK_SH : mode == "ex" ? LOCK_EX : LOCK_UN;
  if (info[2].ToBoolean().Value()) op |= LOCK_NB;
  // flock(2) documents the contended case as EWOULDBLOCK; say it that way.
  if (int err = posix::Flock(fd, op)) ThrowErrno(info.Env(), err, "flock", "", err == EWOULDBLOCK ? "EWOULDBLOCK" : nullptr);
  return info.Env().Undefined();
}

Napi::Value Kill(const Napi::CallbackInfo& info) {
  if (kill(Int(info, 0), Int(info, 1)) < 0) ThrowErrno(info.Env(), errno, "kill");
  return info.Env().Undefined();
}

Napi::Value Killpg(const Napi::CallbackInfo& info) {
  if (killpg(Int(info, 0), Int(info, 1)) < 0) ThrowErrno(info.Env(), errno, "killpg");
  return info.Env().Undefined();
}

// getrlimit(resource) -> [soft, hard]; RLIM_INFINITY is Infinity
Napi::Value Getrlimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct rlimit rl;
  if (int err = posix::GetRlimit(Int(info, 0), &rl)) ThrowErrno(env, err, "getrlimit");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, RlimToJs(env, rl.rlim_cur));
  out.Set(1u, RlimToJs(env, rl.rlim_max));
  return out;
}

Napi::Value Setrlimit(const Napi::CallbackInfo& info) {
  struct rlimit rl;
  rl.rlim_cur = JsToRlim(info[1]);
  rl.rlim_max = JsToRlim(info[2]);
  if (int err = posix::SetRlimit(Int(info, 0), rl)) ThrowErrno(info.Env(), err, "setrlimit");
  return info.Env().Undefined();
}

Napi::Value Setuid(const Napi::CallbackInfo& info) {
  if (int err = posix::SetUid(info[0].As<Napi::Number>().Uint32Value())) ThrowErrno(info.Env(), err, "setuid");
  return info.Env().Undefined();
}

Napi::Value Setgid(const Napi::CallbackInfo& info) {
  if (int err = posix::SetGid(info[0].As<Napi::Number>().Uint32Value())) ThrowErrno(info.Env(), err, "setgid");
  return info.Env().Undefined();
}

Napi::Value Setgroups(const Napi::CallbackInfo& info) {
  Napi::Array a = info[0].As<Napi::Array>();
  std::vector<gid_t> groups;
  for (uint32_t i = 0; i < a.Length(); i++) groups.push_back(a.Get(i).As<Napi::Number>().Uint32Value());
  if (int err = posix::SetGroups(groups.data(), groups.size())) ThrowErrno(info.Env(), err, "setgroups");
  return info.Env().Undefined();
}

Napi::Value Initgroups(const Napi::CallbackInfo& info) {
  std::string user = Str(info, 0);
  if (initgroups(user.c_str(), static_cast<gid_t>(info[1].As<Napi::Number>().Uint32Value())) < 0)
    ThrowErrno(info.Env(), errno, "initgroups", user);
  return info.Env().Undefined();
}

Napi::Value Chroot(const Napi::CallbackInfo& info) {
  std::string path = Str(info, 0);
  if (int err = posix::Chroot(path.c_str())) ThrowErrno(info.Env(), err, "chroot", path);
  return info.Env().Undefined();
}

// nice(inc) -> the new nice value
Napi::Value Nice(const Napi::CallbackInfo& info) {
  int v = 0;
  if (int err = posix::Nice(Int(info, 0), &v)) ThrowErrno(info.Env(), err, "nice");
  return Napi::Number::New(info.Env(), v);
}

Napi::Value Getpriority(const Napi::CallbackInfo& info) {
  errno = 0;
  int v = getpriority(static_cast<__priority_which_t>(Int(info, 0)), static_cast<id_t>(Int(info, 1)));
  if (v == -1 && errno != 0) ThrowErrno(info.Env(), errno, "getpriority");
  return Napi::Number::New(info.Env(), v);
}

Napi::Value Setpriority(const Napi::CallbackInfo& info) {
  if (setpriority(static_cast<__priority_which_t>(Int(info, 0)), static_cast<id_t>(Int(info, 1)), Int(info, 2)) < 0)
    ThrowErrno(info.Env(), errno, "setpriority");
  return info.Env().Undefined();
}

Napi::Value Setsid(const Napi::CallbackInfo& info) {
  pid_t s = setsid();
  if (s < 0) ThrowErrno(info.Env(), errno, "setsid");
  return Napi::Number::New(info.Env(), s);
}

Napi::Value Setpgid(const Napi::CallbackInfo& info) {
  if (setpgid(Int(info, 0), Int(info, 1)) < 0) ThrowErrno(info.Env(), errno, "setpgid");
  return info.Env().Undefined();
}

Napi::Value Getpgid(const Napi::CallbackInfo& info) {
  pid_t g = getpgid(Int(info, 0));
  if (g < 0) ThrowErrno(info.Env(), errno, "getpgid");
  return Napi::Number::New(info.Env(), g);
}

Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, info[0].ToBoolean().Value() ? 1 : 0, 0, 0, 0) < 0)
    ThrowErrno(info.Env(), errno, "prctl");
  return info.Env().Undefined();
}

Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
#ifdef SYS_pidfd_open
  long fd = syscall(SYS_pidfd_open, Int(info, 0), 0);
  if (fd < 0) ThrowErrno(info.Env(), errno, "pidfd_open");
  return Napi::Number::New(info.Env(), static_cast<double>(fd));
#else
  ThrowErrno(info.Env(), ENOSYS, "pidfd_open");
#endif
}

// pipe(nonblockRead, nonblockWrite) -> [r, w], both close-on-exec
Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) ThrowErrno(env, errno, "pipe2");
  for (int i = 0; i < 2; i++) {
    if (info[i].ToBoolean().Value()) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, fds[0]));
  out.Set(1u, Napi::Number::New(env, fds[1]));
  return out;
}

// dup(fd) -> a new close-on-exec fd for the same open file description
Napi::Value Dup(const Napi::CallbackInfo& info) {
  int fd = fcntl(Int(info, 0), F_DUPFD_CLOEXEC, 3);
  if (fd < 0) ThrowErrno(info.Env(), errno, "dup");
  return Napi::Number::New(info.Env(), fd);
}

Napi::Value SetNonblock(const Napi::CallbackInfo& info) {
  int fd = Int(info, 0);
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) ThrowErrno(info.Env(), errno, "fcntl");
  fl = info[1].ToBoolean().Value() ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (fcntl(fd, F_SETFL, fl) < 0) ThrowErrno(info.Env(), errno, "fcntl");
  return info.Env().Undefined();
}

Napi::Value SetCloexec(const Napi::CallbackInfo& info) {
  int fd = Int(info, 0);
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0) ThrowErrno(info.Env(), errno, "fcntl");
  fl = info[1].ToBoolean().Value() ? (fl | FD_CLOEXEC) : (fl & ~FD_CLOEXEC);
  if (fcntl(fd, F_SETFD, fl) < 0) ThrowErrno(info.Env(), errno, "fcntl");
  return info.Env().Undefined();
}

// getpwnam(name) -> {name, uid, gid, dir, shell} or null
Napi::Value Getpwnam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = Str(info, 0);
  posix::Passwd pw;
  bool found = false;
  if (int err = posix::GetPasswd(name.c_str(), &pw, &found)) ThrowErrno(env, err, "getpwnam", name);
  if (!found) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, pw.name));
  o.Set("uid", Napi::Number::New(env, pw.uid));
  o.Set("gid", Napi::Number::New(env, pw.gid));
  o.Set("dir", Napi::String::New(env, pw.dir));
  o.Set("shell", Napi::String::New(env, pw.shell));
  return o;
}

// getgrnam(name) -> {name, gid} or null
Napi::Value Getgrnam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = Str(info, 0);
  posix::Group gr;
  bool found = false;
  if (int err = posix::GetGroup(name.c_str(), &gr, &found)) ThrowErrno(env, err, "getgrnam", name);
  if (!found) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, gr.name));
  o.Set("gid", Napi::Number::New(env, gr.gid));
  return o;
}

// getgrouplist(user, gid) -> gids the user belongs to (gid included)
Napi::Value Getgrouplist(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string user = Str(info, 0);
  gid_t gid = info[1].As<Napi::Number>().Uint32Value();
  int n = 64;
  std::vector<gid_t> groups(n);
  while (getgrouplist(user.c_str(), gid, groups.data(), &n) < 0) groups.resize(n);
  Napi::Array out = Napi::Array::New(env, n);
  for (int i = 0; i < n; i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, groups[i]));
  return out;
}

// execInPlace(file, argv, env, path): replace this process. Only returns by throwing.
Napi::Value ExecInPlace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file = Str(info, 0);
  std::vector<std::string> argvS = StringArray(info[1]);
  std::vector<std::string> envS = StringArray(info[2]);
  std::string path = info[3].IsString() ? Str(info, 3) : std::string();
  std::vector<char*> argv, envp;
  for (auto& s : argvS) argv.push_back(&s[0]);
  argv.push_back(nullptr);
  for (auto& s : envS) envp.push_back(&s[0]);
  envp.push_back(nullptr);

  // The new program must not inherit Node's state: libuv may have made the
  // stdio descriptors non-blocking or close-on-exec (it reopens ttys that way),
  // and Node ignores SIGPIPE and SIGXFSZ.
  for (int fd = 0; fd < 3; fd++) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int fdfl = fcntl(fd, F_GETFD);
    if (fdfl >= 0 && (fdfl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fdfl & ~FD_CLOEXEC);
  }
  struct sigaction dfl = {}, saved[NSIG];
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, &saved[sig]);
  }
  sigset_t empty, old;
  sigemptyset(&empty);
  pthread_sigmask(SIG_SETMASK, &empty, &old);

  ExecSearch(file.c_str(), argv.data(), envp.data(), info[3].IsString() ? path.c_str() : nullptr);
  int err = errno;

  // Still here: give Node its handlers back so the error can be reported normally.
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &saved[sig], nullptr);
  }
  ThrowErrno(env, err, "execve", file);
}

}  // namespace runitd
