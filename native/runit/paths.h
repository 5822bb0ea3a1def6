// Where runit's control files live: /etc/runit, or $RUNIT_DIR when it is set and
// not empty (so tests and chroot-less experiments can boot from any folder).
#pragma once

#include <string>

namespace runit {

// RUNIT_DIR/NAME, or /etc/runit/NAME.
std::string RunitPath(const char* name);

}  // namespace runit
