// What chpst says on stderr, in runit's words: "chpst: fatal: ..." (exit 111),
// "chpst: warning: ...", "usage: NAME ..." (exit 100), errno texts from runit's
// error_str. Every message goes out in one write(2); if fd 2 is closed (-2) it is
// lost, as runit's is.
#pragma once

#include <initializer_list>
#include <string_view>

namespace chpst {

constexpr int kExitFatal = 111;
constexpr int kExitUsage = 100;

// runit's text for an errno value ("file does not exist", "access denied" ...).
const char* ErrorStr(int err);

void Say(std::initializer_list<std::string_view> parts);

// "chpst: fatal: PARTS: ERRTEXT", exit 111.
[[noreturn]] void FatalSys(int err, std::initializer_list<std::string_view> parts);
// "chpst: fatal: PARTS", exit 111.
[[noreturn]] void Fatal(std::initializer_list<std::string_view> parts);
// "chpst: warning: PARTS: ERRTEXT".
void WarnSys(int err, std::initializer_list<std::string_view> parts);
// "usage: NAME SYNOPSIS" and a blank line, exit 100.
[[noreturn]] void Usage(std::string_view name, std::string_view synopsis);

}  // namespace chpst
