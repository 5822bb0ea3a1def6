// readFiles(paths, max, callback): open, read (at most `max` bytes) and close
// each small file, in ONE threadpool job. fs.readFile is four round trips per
// file (open, fstat, read, close), one after the other; a supervisor's start
// reads supervise/pidstart and supervise/status before it may run anything.
// callback([errno, Buffer | null] per path), in order; what a missing file
// means is decided in TypeScript.
#include "readfiles.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace runitd {
namespace {

struct Got {
  int err;
  std::string data;
};

class ReadWorker : public Napi::AsyncWorker {
 public:
  ReadWorker(Napi::Function cb, std::vector<std::string>&& paths, size_t max)
      : Napi::AsyncWorker(cb, "runitd:readFiles"), paths_(std::move(paths)), max_(max) {}

  void Execute() override {
    for (const std::string& p : paths_) {
      Got g{0, std::string()};
      // O_NONBLOCK: a FIFO put where a file should be must not hang the job
      int fd = open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) {
        g.err = errno;
      } else {
        char buf[4096];
        while (g.data.size() < max_) {
          size_t want = max_ - g.data.size() < sizeof buf ? max_ - g.data.size() : sizeof buf;
          ssize_t n = read(fd, buf, want);
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) {
            g.err = errno;
            break;
          }
          if (n == 0) break;
          g.data.append(buf, static_cast<size_t>(n));
        }
        close(fd);
      }
      got_.push_back(std::move(g));
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array out = Napi::Array::New(env, got_.size());
    for (size_t i = 0; i < got_.size(); i++) {
      Napi::Array r = Napi::Array::New(env, 2);
      r.Set(0u, Napi::Number::New(env, got_[i].err));
      if (got_[i].err == 0) {
        r.Set(1u, Napi::Buffer<char>::Copy(env, got_[i].data.data(), got_[i].data.size()));
      } else {
        r.Set(1u, env.Null());
      }
      out.Set(static_cast<uint32_t>(i), r);
    }
    Callback().Call({out});
  }

 private:
  std::vector<std::string> paths_;
  size_t max_;
  std::vector<Got> got_;
};

}  // namespace

// paths: string[], max: bytes per file; validated by lib/native.ts
Napi::Value ReadFiles(const Napi::CallbackInfo& info) {
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::string> paths;
  paths.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); i++) paths.push_back(list.Get(i).As<Napi::String>().Utf8Value());
  size_t max = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
  auto* w = new ReadWorker(info[2].As<Napi::Function>(), std::move(paths), max);
  w->Queue();
  return info.Env().Undefined();
}

}  // namespace runitd
