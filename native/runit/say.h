// How runit's init programs speak: every message is one write(2) to fd 2 built
// from parts, with runit's errno texts (shared with chpst) where a call failed.
#pragma once

#include <initializer_list>
#include <string_view>

namespace runit {

// PARTS and a newline.
void Say(std::initializer_list<std::string_view> parts);
// PARTS, then runit's text for `err`, and a newline.
void SaySys(int err, std::initializer_list<std::string_view> parts);
// Say, then _exit(code).
[[noreturn]] void Die(int code, std::initializer_list<std::string_view> parts);
[[noreturn]] void DieSys(int code, int err, std::initializer_list<std::string_view> parts);
// Writes PARTS as they are (no newline) to `fd`.
void Put(int fd, std::initializer_list<std::string_view> parts);

}  // namespace runit
