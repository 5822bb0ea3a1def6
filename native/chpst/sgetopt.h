// djb's sgetopt, as runit uses it: options end at the first word not starting with
// '-', at a lone "-" (an operand) and at "--" (consumed, as is any "--word");
// bundling is allowed; an option's argument is the rest of its word, else the next
// word (even one starting with '-'). A problem is reported on stderr as
// "BASENAME: illegal option -- x" or "BASENAME: option requires an argument -- x"
// and returned as '?'.
#pragma once

namespace chpst {

class Sgetopt {
 public:
  static constexpr int kDone = -1;

  Sgetopt(int argc, char* const* argv, const char* opts);

  // The next option character, '?' after a problem, or kDone.
  int Next();
  // The argument of the option Next() returned.
  const char* arg() const { return arg_; }
  // After kDone: the index of the first operand.
  int index() const { return index_; }

 private:
  int argc_;
  char* const* argv_;
  const char* opts_;
  const char* progname_;
  const char* arg_ = nullptr;
  int index_ = 1;
  int pos_ = 0;
};

}  // namespace chpst
