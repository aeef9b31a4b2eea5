#!/usr/bin/env bash
# Fetches QuickJS's upstream source from Debian's source package `quickjs`
# in trixie (2025.04.26; bookworm has none) and unpacks it into
# qemu/deps/quickjs (the Makefile builds it from there when QUICKJS=2025).
# The deb-src entries are this machine's own release's, with its suite
# replaced by trixie (scripts/debian-source.sh); -updates, -security and
# other repositories are left out.
# Safe to run again: it does nothing once the source is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian-source.sh

dest=qemu/deps/quickjs
[ -f "$dest/quickjs.c" ] && exit 0
fetch_debian_source quickjs "$dest" quickjs.c trixie
echo "setup: QuickJS $(cat "$dest/VERSION") in $dest"
