// utmpset [-w] LINE: marks LINE's login in utmp as ended (a getty's finish
// script calls it), and with -w appends a logout record to wtmp, as runit
// 2.1.2's utmpset does.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "say.h"

namespace runit {
namespace {

constexpr const char* kFatal = "utmpset: fatal: ";
constexpr const char* kWarning = "utmpset: warning: ";
constexpr const char* kUtmp = "/var/run/utmp";
constexpr const char* kWtmp = "/var/log/wtmp";
const char* g_progname = "utmpset";

[[noreturn]] void Usage() { Die(1, {"usage: ", g_progname, " [-w] line", "\n"}); }

int LockEx(int fd) {
  for (;;) {
    if (flock(fd, LOCK_EX) == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

bool FullRead(int fd, void* buf, size_t n) { return read(fd, buf, n) == static_cast<ssize_t>(n); }

// Returns false when LINE has no login record.
bool UtmpLogout(const std::string& line) {
  struct utmp ut;
  if (line.size() > sizeof ut.ut_line) Die(111, {kFatal, "unable to logout line ", line, " in utmp: name too long"});
  int fd = open(kUtmp, O_RDWR);
  if (fd < 0) DieSys(111, errno, {kFatal, "unable to open ", kUtmp, ": "});
  if (LockEx(fd) == -1) DieSys(111, errno, {kFatal, "unable to lock: ", kUtmp, ": "});
  bool ok = false;
  while (FullRead(fd, &ut, sizeof ut)) {
    if (ut.ut_user[0] == '\0' || strncmp(ut.ut_line, line.c_str(), sizeof ut.ut_line) != 0) continue;
    memset(ut.ut_user, 0, sizeof ut.ut_user);
    memset(ut.ut_host, 0, sizeof ut.ut_host);
    time_t now = time(nullptr);
    if (now == -1) break;
    ut.ut_tv.tv_sec = static_cast<int32_t>(now);
    ut.ut_type = DEAD_PROCESS;
    if (lseek(fd, -static_cast<off_t>(sizeof ut), SEEK_CUR) == -1) break;
    if (write(fd, &ut, sizeof ut) != static_cast<ssize_t>(sizeof ut)) break;
    ok = true;
    break;
  }
  close(fd);
  return ok;
}

bool WtmpLogout(const std::string& line) {
  int fd = open(kWtmp, O_WRONLY | O_NDELAY | O_APPEND | O_CREAT, 0600);
  if (fd == -1) DieSys(111, errno, {kFatal, "unable to open ", kWtmp, ": "});
  if (LockEx(fd) == -1) DieSys(111, errno, {kFatal, "unable to lock ", kWtmp, ": "});
  struct stat st;
  if (fstat(fd, &st) == -1) {
    close(fd);
    return false;
  }
  struct utmp ut;
  memset(&ut, 0, sizeof ut);
  size_t len = line.size() > sizeof ut.ut_line ? sizeof ut.ut_line - 2 : line.size();
  memcpy(ut.ut_line, line.data(), len);
  time_t now = time(nullptr);
  if (now == -1) {
    close(fd);
    return false;
  }
  ut.ut_tv.tv_sec = static_cast<int32_t>(now);
  ut.ut_type = DEAD_PROCESS;
  if (write(fd, &ut, sizeof ut) != static_cast<ssize_t>(sizeof ut)) {
    // no half record left behind for readers of wtmp
    if (ftruncate(fd, st.st_size) == -1) {
    }
    close(fd);
    return false;
  }
  close(fd);
  return true;
}

}  // namespace
}  // namespace runit

int main(int argc, char** argv) {
  using namespace runit;
  if (argc > 0) g_progname = argv[0];
  bool wtmp = false;
  int opt;
  opterr = 0;
  while ((opt = getopt(argc, argv, "+wV")) != -1) {
    switch (opt) {
      case 'w':
        wtmp = true;
        break;
      case 'V':
        Say({"$Id: runitd $"});
        Usage();
      default:
        // runit's getopt names the program by its own name here, not argv[0]
        Say({"utmpset: illegal option -- ", std::string(1, static_cast<char>(optopt))});
        Usage();
    }
  }
  if (optind >= argc) Usage();
  std::string line = argv[optind];
  if (!UtmpLogout(line)) Die(111, {kWarning, "unable to logout line ", line, " in utmp: no such entry"});
  if (wtmp && !WtmpLogout(line)) DieSys(111, errno, {kWarning, "unable to logout line ", line, " in wtmp: "});
  _exit(0);
}
