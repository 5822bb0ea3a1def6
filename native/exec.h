// execve with runit's PATH search (pathexec): async-signal-safe, no allocation,
// so it can run in a vfork-style child. Returns only on failure, with errno set.
#pragma once

namespace runitd {

// file containing '/' is exec'd as is; otherwise each entry of `path` (":"-separated,
// an empty entry means the current directory) is tried. ENOENT/ENOTDIR/EACCES go on
// to the next entry; EACCES is remembered and reported if nothing else worked.
void ExecSearch(const char* file, char* const argv[], char* const envp[], const char* path);

}  // namespace runitd
