// listFolder(dir, callback): readdir plus a stat (following symlinks) of every
// entry, in ONE threadpool job. A scan of the scan folder was one round trip
// per entry (a promise, a BigInt stat object, a futex wake-up each): 100
// services cost ~9 ms before the first could start, 1000 ten times that.
// Entries whose names start with '.' are listed but not looked at: runsvdir
// ignores them, and a look could only cost (or hang on a dead mount).
// callback(openErrno, readErrno, flat) where flat holds, per entry:
// name, "dev:ino" ('' when not looked at or failed), isDir, stat errno.
#include "listdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace runitd {
namespace {

struct Entry {
  std::string name;
  std::string key;
  bool isDir;
  int err;
};

class ListWorker : public Napi::AsyncWorker {
 public:
  ListWorker(Napi::Function cb, std::string dir) : Napi::AsyncWorker(cb, "runitd:listFolder"), dir_(std::move(dir)) {}

  void Execute() override {
    DIR* d = opendir(dir_.c_str());
    if (d == nullptr) {
      openErr_ = errno;
      return;
    }
    int dfd = dirfd(d);
    for (;;) {
      errno = 0;
      dirent* e = readdir(d);
      if (e == nullptr) {
        readErr_ = errno;
        break;
      }
      const char* n = e->d_name;
      if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
      Entry out{n, std::string(), false, 0};
      if (n[0] != '.') {
        struct stat st;
        if (fstatat(dfd, n, &st, 0) < 0) {
          out.err = errno;
        } else {
          out.key = std::to_string(static_cast<unsigned long long>(st.st_dev)) + ":" +
                    std::to_string(static_cast<unsigned long long>(st.st_ino));
          out.isDir = S_ISDIR(st.st_mode);
        }
      }
      entries_.push_back(std::move(out));
    }
    closedir(d);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array flat = Napi::Array::New(env, entries_.size() * 4);
    uint32_t i = 0;
    for (const Entry& e : entries_) {
      flat.Set(i++, Napi::String::New(env, e.name));
      flat.Set(i++, Napi::String::New(env, e.key));
      flat.Set(i++, Napi::Boolean::New(env, e.isDir));
      flat.Set(i++, Napi::Number::New(env, e.err));
    }
    Callback().Call({Napi::Number::New(env, openErr_), Napi::Number::New(env, readErr_), flat});
  }

 private:
  std::string dir_;
  int openErr_ = 0;
  int readErr_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace

Napi::Value ListFolder(const Napi::CallbackInfo& info) {
  auto* w = new ListWorker(info[1].As<Napi::Function>(), info[0].As<Napi::String>().Utf8Value());
  w->Queue();
  return info.Env().Undefined();
}

}  // namespace runitd
