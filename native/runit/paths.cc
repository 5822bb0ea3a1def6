#include "paths.h"

#include <cstdlib>

namespace runit {

std::string RunitPath(const char* name) {
  const char* dir = getenv("RUNIT_DIR");
  std::string p = (dir != nullptr && *dir != '\0') ? dir : "/etc/runit";
  if (p.back() != '/') p += '/';
  return p + name;
}

}  // namespace runit
