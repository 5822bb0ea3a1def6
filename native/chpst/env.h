// The program's environment: chpst's own, untouched, plus the changes collected
// from -e/envdir and -U/envuidgid, merged at exec time the way runit's pathexec
// does it. And the exec itself, with runit's PATH search.
#pragma once

#include <string>
#include <vector>

#include "changes.h"

namespace chpst {

class EnvChanges {
 public:
  void Set(const std::string& name, const std::string& value) { changes_.push_back(name + "=" + value); }
  void Unset(const std::string& name) { changes_.push_back(name); }

  // `base` (chpst's environ) with each change applied in order: the first entry of that name goes
  // (the last entry moves into its slot), then NAME=value is appended. The name
  // ends at the first '=': an envdir file "B=C" holding "x" sets B to "C=x".
  std::vector<char*> Apply(char* const* base);

 private:
  std::vector<std::string> changes_;
};

// envdir: every file DIR/NAME (not starting with '.') sets NAME to its first line,
// trailing blanks cut, NULs turned into newlines; an empty file unsets NAME.
// `skipSubdirs` (chpst -e) skips subdirectories, with a warning if `verbose`; the
// envdir personality dies on them. Dies with runit's messages.
void ReadEnvdir(const char* dir, bool skipSubdirs, bool verbose, EnvChanges* env);

// The last steps: the limits, then exec `file` (PATH searched as runit does, in
// chpst's own PATH, not one an envdir set) with argv and the changed environment.
// An exec failure dies with "unable to run: ARGV0", or exits 0 silently if `quiet`
// (setlock -x).
[[noreturn]] void LimitAndRun(const Limits& limits, const char* file, char* const* argv, EnvChanges* env, bool quiet);

}  // namespace chpst
