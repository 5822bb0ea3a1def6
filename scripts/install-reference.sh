#!/usr/bin/env bash
# Installs Debian's runit and daemontools binaries into .reference/ (ignored by git)
# for the interop tests: apt-get download + dpkg -x, no maintainer scripts run.
# Idempotent and quiet when already present; never fails the caller: tests that
# need the binaries skip with a message when they are missing.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)/.reference"
want=(usr/bin/runsv usr/bin/runsvdir usr/bin/sv usr/bin/svlogd usr/bin/chpst usr/bin/svc usr/bin/svstat usr/bin/tai64nlocal)
have_all() { for f in "${want[@]}"; do [ -x "$root/$f" ] || return 1; done; }
have_all && exit 0

if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "install-reference: apt-get/dpkg not available; interop tests will skip" >&2
  exit 0
fi
debs="$root/debs"
mkdir -p "$debs"
cd "$debs" || exit 0
download() { apt-get download runit daemontools >/dev/null 2>&1; }
if ! download; then
  # a fresh machine has no package lists yet
  apt-get update >/dev/null 2>&1 || true
  download || { echo "install-reference: apt-get download runit daemontools failed; interop tests will skip" >&2; exit 0; }
fi
for d in "$debs"/*.deb; do dpkg -x "$d" "$root" || true; done
if have_all; then
  echo "install-reference: runit and daemontools in $root/usr/bin"
else
  echo "install-reference: some reference binaries are missing in $root; interop tests will skip" >&2
fi
exit 0
