#!/usr/bin/env bash
# Fetches lwIP's upstream source from Debian's source package `lwip` and
# unpacks it into qemu/deps/lwip (the Makefile builds it from there), through
# this machine's own apt sources (scripts/debian-source.sh).
# Safe to run again: it does nothing once the source is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian-source.sh

dest=qemu/deps/lwip
[ -f "$dest/src/core/tcp.c" ] && exit 0
fetch_debian_source lwip "$dest" src/core/tcp.c
echo "setup: lwIP $(ls qemu/deps/src/lwip_*.orig.tar.* | head -n1 | sed -E 's/.*lwip_([^.]*\.[^.]*\.[^.+~]*).*/\1/') in $dest"
