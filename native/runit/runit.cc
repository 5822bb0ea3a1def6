// runit: stage 1/2/3 init, as runit 2.1.2's runit. Run as process 1, it runs
// RUNIT_DIR/1 (one-time setup), then RUNIT_DIR/2 (which normally execs runsvdir)
// until it exits, then RUNIT_DIR/3, then kills everything left and halts, powers
// off or reboots. Stage 2 is started again when it exits 111 or is killed by a
// signal. SIGCONT with an executable `stopit` ends stage 2; SIGINT (CTRL-ALT-DEL)
// runs an executable `ctrlaltdel` first. RUNIT_DIR defaults to /etc/runit.
//
// Native and tiny on purpose: process 1 must never die (the kernel panics when it
// does), so it holds no runtime that could abort on a heap limit or a script
// fault, and it costs a few hundred kilobytes on a small router.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <string>

#include "paths.h"
#include "say.h"

extern char** environ;

namespace runit {
namespace {

constexpr const char* kInfo = "- runit: ";
constexpr const char* kWarning = "- runit: warning: ";
constexpr const char* kFatal = "- runit: fatal: ";
// runit waits this long in poll before looking again, signal or not
constexpr int kPollMs = 14000;

int g_selfpipe[2] = {-1, -1};
volatile sig_atomic_t g_cont = 0;
volatile sig_atomic_t g_int = 0;

void Wake() {
  int saved = errno;
  ssize_t n = write(g_selfpipe[1], "", 1);
  (void)n;  // a full pipe already wakes the loop
  errno = saved;
}
void OnCont(int) {
  g_cont = 1;
  Wake();
}
void OnInt(int) {
  g_int = 1;
  Wake();
}
void OnChild(int) { Wake(); }

// The signals process 1 keeps blocked outside its wait: nothing may kill it,
// and the ones it handles only arrive where it looks for them.
const int kBlocked[] = {SIGALRM, SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGPIPE, SIGTERM};

void Catch(int sig, void (*handler)(int)) {
  struct sigaction sa = {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, nullptr);
}

void SetMask(int how, std::initializer_list<int> sigs) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : sigs) sigaddset(&set, s);
  sigprocmask(how, &set, nullptr);
}

// Stage 2 may have taken the console away (or it came up late): every message
// after a wait goes to the console again.
void ReopenConsoleStderr() {
  int fd = open("/dev/console", O_WRONLY | O_NDELAY | O_CLOEXEC);
  if (fd < 0) return;
  dup2(fd, 2);
  if (fd != 2) close(fd);
}

bool OwnerMayExec(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) != 0;
}

void Pause(unsigned seconds) {
  struct timespec ts = {static_cast<time_t>(seconds), 0};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

pid_t ForkOrPause(const std::string& what) {
  for (;;) {
    pid_t pid = fork();
    if (pid != -1) return pid;
    SaySys(errno, {kFatal, "unable to fork for \"", what, "\" pausing: "});
    Pause(5);
  }
}

enum class Console { kTake, kNewSession, kKeep };

// In the child: a clean signal state, then the program. A program that cannot be
// started exits 0, as runit's child does, so the boot goes on to the next stage.
[[noreturn]] void Exec(const std::string& path, Console console) {
  if (console == Console::kTake) {
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
      ioctl(fd, TIOCSCTTY, 0);
      dup2(fd, 0);
      if (fd > 2) close(fd);
    } else {
      SaySys(errno, {kWarning, "unable to open /dev/console: "});
    }
  } else if (console == Console::kNewSession) {
    setsid();
  }
  for (int s : {SIGCHLD, SIGCONT, SIGINT}) signal(s, SIG_DFL);
  // runit leaves these blocked for ctrlaltdel; a script waiting on a child or a
  // pipe must not inherit that, so every program starts unblocked
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  Say({kInfo, "enter stage: ", path});
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
  execve(argv[0], argv, environ);
  DieSys(0, errno, {kFatal, "unable to start child: ", path, ": "});
}

bool Crashed(int wstat) { return WIFSIGNALED(wstat); }

pid_t WaitFor(pid_t pid, int* wstat) {
  for (;;) {
    pid_t r = waitpid(pid, wstat, 0);
    if (r == -1 && errno == EINTR) continue;
    return r;
  }
}

void SyncUnlessNosync(const std::string& nosync) {
  struct stat st;
  if (stat(nosync.c_str(), &st) == -1) sync();
}

struct Paths {
  std::string stage[3] = {RunitPath("1"), RunitPath("2"), RunitPath("3")};
  std::string ctrlaltdel = RunitPath("ctrlaltdel");
  std::string stopit = RunitPath("stopit");
  std::string reboot = RunitPath("reboot");
  std::string nosync = RunitPath("nosync");
};

// CTRL-ALT-DEL: run `ctrlaltdel` to its end (it usually arms stopit), then
// handle it as a SIGCONT.
void CtrlAltDel(const Paths& p) {
  Say({kInfo, "ctrl-alt-del request..."});
  pid_t pid = ForkOrPause(p.ctrlaltdel);
  if (pid == 0) Exec(p.ctrlaltdel, Console::kKeep);
  int wstat = 0;
  if (WaitFor(pid, &wstat) == -1) SaySys(errno, {kFatal, "wait_pid: "});
  else if (Crashed(wstat)) Say({kWarning, "child crashed: ", p.ctrlaltdel});
  Say({kInfo, "leave stage: ", p.ctrlaltdel});
  g_int = 0;
  g_cont = 1;
}

// stopit armed: TERM to stage 2, five seconds for it to go, then KILL.
void EndStage2(const Paths& p, pid_t pid) {
  chmod(p.stopit.c_str(), 0);
  kill(pid, SIGTERM);
  for (int waited = 0; waited < 5;) {
    int wstat = 0;
    pid_t child = waitpid(-1, &wstat, WNOHANG);
    if (child == pid) return;
    if (child > 0) continue;  // an orphan: reap on
    if (child == -1) SaySys(errno, {kWarning, "wait_nohang: "});
    Pause(1);
    waited++;
  }
  Say({kWarning, "stage 2 not terminated, sending sigkill..."});
  kill(pid, SIGKILL);
  int wstat = 0;
  if (WaitFor(pid, &wstat) == -1) SaySys(errno, {kWarning, "wait_pid: "});
}

// Runs stage `st` until it ends; returns the next stage to run (3: none left).
int RunStage(const Paths& p, int st) {
  pid_t pid = ForkOrPause(p.stage[st]);
  if (pid == 0) Exec(p.stage[st], st == 0 ? Console::kTake : Console::kNewSession);

  sigset_t waitMask;
  sigprocmask(SIG_SETMASK, nullptr, &waitMask);
  for (int s : {SIGCHLD, SIGCONT, SIGINT}) sigdelset(&waitMask, s);
  struct pollfd pfd = {g_selfpipe[0], POLLIN, 0};
  const struct timespec timeout = {kPollMs / 1000, 0};
  for (;;) {
    ppoll(&pfd, 1, &timeout, &waitMask);
    char ch;
    while (read(g_selfpipe[0], &ch, 1) == 1) {
    }
    int wstat = 0;
    pid_t child;
    // every orphan of the machine ends up here: reap them all
    while ((child = waitpid(-1, &wstat, WNOHANG)) > 0) {
      if (child == pid) break;
    }
    if (child == -1) {
      SaySys(errno, {kWarning, "wait_nohang, pausing: "});
      Pause(5);
    }
    ReopenConsoleStderr();

    if (child == pid) {
      bool crashed = Crashed(wstat);
      int code = WIFEXITED(wstat) ? WEXITSTATUS(wstat) : 0;
      if (crashed || code != 0) {
        Say({kWarning, crashed ? "child crashed: " : "child failed: ", p.stage[st]});
        if (st == 0 && (crashed || code == 100)) {
          Say({kInfo, "leave stage: ", p.stage[st]});
          Say({kWarning, "skipping stage 2..."});
          return 2;
        }
        if (st == 1 && (crashed || code == 111)) {
          Say({kWarning, "killing all processes in stage 2..."});
          kill(-pid, SIGKILL);
          Pause(5);
          Say({kWarning, "restarting."});
          return 1;
        }
      }
      Say({kInfo, "leave stage: ", p.stage[st]});
      return st + 1;
    }
    if (child != 0) {
      Wake();
      continue;
    }

    if (!g_cont && !g_int) continue;
    if (st != 1) {
      Say({kWarning, "signals only work in stage 2."});
      g_cont = g_int = 0;
      continue;
    }
    if (g_int && OwnerMayExec(p.ctrlaltdel)) CtrlAltDel(p);
    if (g_cont && OwnerMayExec(p.stopit)) {
      EndStage2(p, pid);
      g_cont = 0;
      Say({kInfo, "leave stage: ", p.stage[st]});
      return st + 1;
    }
    g_cont = g_int = 0;
  }
}

// The end: everything still alive is killed, then the machine stops. reboot(2)
// runs in a child, as runit does; in a PID namespace it ends the namespace
// (its init dies of SIGHUP for a reboot, SIGINT for a halt or power off).
[[noreturn]] void Shutdown(const Paths& p) {
  ReopenConsoleStderr();
  Say({kInfo, "sending KILL signal to all processes..."});
  kill(-1, SIGKILL);
  pid_t pid = fork();
  if (pid <= 0) {
    if (OwnerMayExec(p.reboot)) {
      Say({kInfo, "system reboot."});
      SyncUnlessNosync(p.nosync);
      reboot(RB_AUTOBOOT);
    } else {
      Say({kInfo, "power off..."});
      SyncUnlessNosync(p.nosync);
      reboot(RB_POWER_OFF);
      Pause(2);
      Say({kInfo, "system halt."});
      SyncUnlessNosync(p.nosync);
      reboot(RB_HALT_SYSTEM);
    }
    if (pid == 0) _exit(0);
  } else {
    SetMask(SIG_UNBLOCK, {SIGCHLD});
    int wstat = 0;
    WaitFor(pid, &wstat);
  }
  for (;;) pause();
}

}  // namespace
}  // namespace runit

int main() {
  using namespace runit;
  if (getpid() != 1) Die(111, {kFatal, "must be run as process no 1."});
  setsid();

  SetMask(SIG_BLOCK, {kBlocked[0], kBlocked[1], kBlocked[2], kBlocked[3], kBlocked[4], kBlocked[5], kBlocked[6]});
  Catch(SIGCHLD, OnChild);
  Catch(SIGCONT, OnCont);
  Catch(SIGINT, OnInt);

  int tty = open("/dev/console", O_WRONLY | O_NDELAY);
  if (tty != -1) {
    dup2(tty, 0);
    dup2(tty, 1);
    dup2(tty, 2);
    if (tty > 2) close(tty);
  }

  while (pipe2(g_selfpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
    SaySys(errno, {kFatal, "unable to create selfpipe, pausing: "});
    Pause(5);
  }

  // CTRL-ALT-DEL becomes SIGINT to us instead of an immediate reboot
  reboot(RB_DISABLE_CAD);

  Say({kInfo, "$Id: runitd $: booting."});
  Paths paths;
  for (int st = 0; st < 3;) st = RunStage(paths, st);
  Shutdown(paths);
}
