#include "numbers.h"

namespace chpst {

size_t ScanUlong(const char* s, unsigned long* value) {
  unsigned long v = 0;
  size_t n = 0;
  for (; s[n] >= '0' && s[n] <= '9'; ++n) v = v * 10 + static_cast<unsigned long>(s[n] - '0');
  *value = v;
  return n;
}

bool ScanWhole(const char* s, unsigned long* value) { return s[ScanUlong(s, value)] == '\0'; }

}  // namespace chpst
