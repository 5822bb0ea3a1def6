// execve with runit's PATH search (pathexec_run): async-signal-safe, no allocation,
// so it can run in a vfork-style child. Returns only on failure, with errno set.
// Shared by the addon's spawn/execInPlace and the chpst program.
#pragma once

namespace runitd {

// A file containing '/' (or any file when `path` is null) is exec'd as is. Otherwise
// each ':'-separated entry of `path` is tried, an empty entry meaning the current
// directory ("./file"). ENOENT goes on to the next entry; EACCES, EPERM and EISDIR
// are remembered and the search goes on; any other error ends it. errno is then the
// last remembered error, else ENOENT.
void ExecSearch(const char* file, char* const argv[], char* const envp[], const char* path);

}  // namespace runitd
