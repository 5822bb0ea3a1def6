// replaceFiles(files, callback): write each file to its temporary name and rename
// it over the real one, in order, in ONE threadpool job. A status publication is
// three or four such files; as separate fs calls that was a dozen or more
// threadpool round trips (futex wake-ups, promises) per state change, the bulk
// of a crash-looping service's cost. What the results mean is decided in
// TypeScript (lib/supervise/publish.ts); this only does the syscalls.
#include "replace.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace runitd {
namespace {

enum Stage { kOk = 0, kOpen = 1, kWrite = 2, kRename = 3 };

struct Entry {
  std::string tmp;
  std::string name;
  std::string data;
  // a failed or short write: the file is not renamed (a failed one is removed) and the batch ends
  bool checked;
};

struct Result {
  int stage;
  int err;
  long written;
};

class ReplaceWorker : public Napi::AsyncWorker {
 public:
  ReplaceWorker(Napi::Function cb, std::vector<Entry>&& entries)
      : Napi::AsyncWorker(cb, "runitd:replaceFiles"), entries_(std::move(entries)) {}

  void Execute() override {
    for (const Entry& e : entries_) {
      int fd = open(e.tmp.c_str(), O_WRONLY | O_NONBLOCK | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) {
        // the rest of the update is skipped, as runsv does
        results_.push_back({kOpen, errno, -1});
        return;
      }
      ssize_t n;
      do n = write(fd, e.data.data(), e.data.size());
      while (n < 0 && errno == EINTR);
      int writeErr = n < 0 ? errno : 0;
      close(fd);
      if (e.checked && n != static_cast<ssize_t>(e.data.size())) {
        if (n < 0) unlink(e.tmp.c_str());
        results_.push_back({kWrite, writeErr, static_cast<long>(n)});
        return;
      }
      if (rename(e.tmp.c_str(), e.name.c_str()) < 0) {
        results_.push_back({kRename, errno, static_cast<long>(n)});
        continue;
      }
      results_.push_back({kOk, 0, static_cast<long>(n)});
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array out = Napi::Array::New(env, results_.size());
    for (size_t i = 0; i < results_.size(); i++) {
      Napi::Array r = Napi::Array::New(env, 3);
      r.Set(0u, Napi::Number::New(env, results_[i].stage));
      r.Set(1u, Napi::Number::New(env, results_[i].err));
      r.Set(2u, Napi::Number::New(env, static_cast<double>(results_[i].written)));
      out.Set(static_cast<uint32_t>(i), r);
    }
    Callback().Call({out});
  }

 private:
  std::vector<Entry> entries_;
  std::vector<Result> results_;
};

}  // namespace

// files: [tmpPath, path, Buffer, checked][], validated by lib/native.ts
Napi::Value ReplaceFiles(const Napi::CallbackInfo& info) {
  Napi::Array files = info[0].As<Napi::Array>();
  std::vector<Entry> entries;
  entries.reserve(files.Length());
  for (uint32_t i = 0; i < files.Length(); i++) {
    Napi::Array f = files.Get(i).As<Napi::Array>();
    Napi::Buffer<char> b = f.Get(2u).As<Napi::Buffer<char>>();
    entries.push_back({f.Get(0u).As<Napi::String>().Utf8Value(), f.Get(1u).As<Napi::String>().Utf8Value(),
                       std::string(b.Data(), b.Length()), f.Get(3u).ToBoolean().Value()});
  }
  auto* w = new ReplaceWorker(info[1].As<Napi::Function>(), std::move(entries));
  w->Queue();
  return info.Env().Undefined();
}

}  // namespace runitd
