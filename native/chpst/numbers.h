// djb's scan_ulong: leading decimal digits, no sign, no overflow check: the value
// wraps modulo 2^64 like the C unsigned long it is (runit relies on that).
#pragma once

#include <cstddef>

namespace chpst {

// Returns how many characters were digits; *value gets their value.
size_t ScanUlong(const char* s, unsigned long* value);

// The whole string must be digits (an empty string is 0).
bool ScanWhole(const char* s, unsigned long* value);

}  // namespace chpst
