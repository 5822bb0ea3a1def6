#include "sgetopt.h"

#include <cstring>

#include "messages.h"

namespace chpst {

Sgetopt::Sgetopt(int argc, char* const* argv, const char* opts) : argc_(argc), argv_(argv), opts_(opts) {
  const char* name = argc > 0 && argv[0] != nullptr ? argv[0] : "";
  const char* slash = strrchr(name, '/');
  progname_ = slash != nullptr ? slash + 1 : name;
}

int Sgetopt::Next() {
  arg_ = nullptr;
  if (index_ >= argc_ || argv_[index_] == nullptr) return kDone;
  if (pos_ > 0 && argv_[index_][pos_] == '\0') {
    ++index_;
    pos_ = 0;
    if (index_ >= argc_ || argv_[index_] == nullptr) return kDone;
  }
  if (pos_ == 0) {
    const char* word = argv_[index_];
    if (word[0] != '-') return kDone;
    if (word[1] == '\0') return kDone;
    if (word[1] == '-') {
      ++index_;
      return kDone;
    }
    pos_ = 1;
  }
  const char c = argv_[index_][pos_++];
  // ':' only marks options that take an argument; it is never an option itself
  const char* at = c == ':' ? nullptr : strchr(opts_, c);
  if (at == nullptr) {
    Say({progname_, ": illegal option -- ", std::string_view(&c, 1), "\n"});
    return '?';
  }
  if (at[1] != ':') return c;
  arg_ = argv_[index_] + pos_;
  ++index_;
  pos_ = 0;
  if (*arg_ == '\0') {
    if (index_ >= argc_ || argv_[index_] == nullptr) {
      arg_ = nullptr;
      Say({progname_, ": option requires an argument -- ", std::string_view(&c, 1), "\n"});
      return '?';
    }
    arg_ = argv_[index_++];
  }
  return c;
}

}  // namespace chpst
