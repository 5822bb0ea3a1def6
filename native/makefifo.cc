// makeFifo(path, mode, callback): mkfifo, then stat what the name now is, in one
// threadpool job. mkfifo allocates an inode, and on a busy or slow filesystem
// that can take long (ext4 without a journal scans past every inode freed in
// the last half minute); made on the loop thread, it held up every other
// service's start. callback(mkfifoErrno, statErrno, isFifo); what an error
// means (EEXIST is usual) is decided in TypeScript.
#include "makefifo.h"

#include <sys/stat.h>

#include <cerrno>
#include <string>

namespace runitd {
namespace {

class FifoWorker : public Napi::AsyncWorker {
 public:
  FifoWorker(Napi::Function cb, std::string&& path, mode_t mode)
      : Napi::AsyncWorker(cb, "runitd:makeFifo"), path_(std::move(path)), mode_(mode) {}

  void Execute() override {
    if (mkfifo(path_.c_str(), mode_) < 0) made_ = errno;
    struct stat st;
    if (stat(path_.c_str(), &st) < 0) {
      stat_ = errno;
    } else {
      fifo_ = S_ISFIFO(st.st_mode);
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Callback().Call({Napi::Number::New(env, made_), Napi::Number::New(env, stat_), Napi::Boolean::New(env, fifo_)});
  }

 private:
  std::string path_;
  mode_t mode_;
  int made_ = 0;
  int stat_ = 0;
  bool fifo_ = false;
};

}  // namespace

// path: string, mode: number; validated by lib/native.ts
Napi::Value MakeFifo(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  auto mode = static_cast<mode_t>(info[1].As<Napi::Number>().Uint32Value());
  auto* w = new FifoWorker(info[2].As<Napi::Function>(), std::move(path), mode);
  w->Queue();
  return info.Env().Undefined();
}

}  // namespace runitd
