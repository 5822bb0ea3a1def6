// The other changes chpst makes to its own process before it execs: the lock and
// the resource limits.
#pragma once

namespace chpst {

// open FILE (created 0600, O_WRONLY|O_APPEND|O_NONBLOCK) and flock it exclusively,
// waiting or not. The fd stays open and is inherited: the program holds the lock.
// `quiet` (setlock -x): a failure exits 0 without a word.
void TakeLock(const char* file, bool wait, bool quiet);

// One C long per limit, as runit keeps them: kUnset = not asked for, kHard = the
// hard limit (softlimit's "=", or a number that wrapped to -1); a value that
// wrapped below -1 is not applied at all.
struct Limits {
  static constexpr long kUnset = -2;
  static constexpr long kHard = -1;
  long data = kUnset, stack = kUnset, memlock = kUnset, as = kUnset, nofile = kUnset;
  long nproc = kUnset, fsize = kUnset, core = kUnset, rss = kUnset, cpu = kUnset;

  // -m: data, stack, locked memory and address space alike
  void SetMemory(long v) { data = stack = memlock = as = v; }
};

// Sets each soft limit asked for, in runit's order, to the value or, if it is
// above the hard limit, to the hard limit. The hard limits are never changed.
void ApplyLimits(const Limits& limits);

}  // namespace chpst
