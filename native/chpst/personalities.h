// chpst's other names (argv[0]): setuidgid, envuidgid, envdir, pgrphack, setlock,
// softlimit. None of them parses chpst's options.
#pragma once

#include <string_view>

namespace chpst {

// Runs the personality `name` (argv[0]'s basename, one leading 'd' dropped) and
// never returns; returns at once if `name` is not one of them.
void RunPersonality(std::string_view name, int argc, char** argv);

// chpst's own usage text (softlimit prints it too, under its name, for a bad number).
[[noreturn]] void ChpstUsage(std::string_view name);

}  // namespace chpst
