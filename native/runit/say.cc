#include "say.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "../chpst/messages.h"

namespace runit {

void Put(int fd, std::initializer_list<std::string_view> parts) {
  std::string line;
  for (std::string_view p : parts) line += p;
  const char* s = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = write(fd, s, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // no console: runit's messages are lost the same way
    s += n;
    left -= static_cast<size_t>(n);
  }
}

void Say(std::initializer_list<std::string_view> parts) {
  std::string line;
  for (std::string_view p : parts) line += p;
  line += '\n';
  Put(2, {line});
}

void SaySys(int err, std::initializer_list<std::string_view> parts) {
  std::string line;
  for (std::string_view p : parts) line += p;
  line += chpst::ErrorStr(err);
  Say({line});
}

void Die(int code, std::initializer_list<std::string_view> parts) {
  Say(parts);
  _exit(code);
}

void DieSys(int code, int err, std::initializer_list<std::string_view> parts) {
  SaySys(err, parts);
  _exit(code);
}

}  // namespace runit
