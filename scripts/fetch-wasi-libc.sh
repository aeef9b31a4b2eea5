#!/usr/bin/env bash
# Fetches wasi-libc's source from Debian's source package `wasi-libc` (this
# machine's release's, the version of the wasi-libc package setup.sh
# installs, whose headers the build uses) and unpacks it into
# qemu/deps/wasi-libc. The wasm64 engine (make -C qemu, the default,
# qemu/wasm/wasm64.mk) compiles the part of its musl that the engine calls
# (strings, formatting, strtod, libm) for wasm64 from there: Debian ships
# wasi-libc built for wasm32 only.
# Safe to run again: it does nothing once the source is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian-source.sh

dest=qemu/deps/wasi-libc
[ -f "$dest/libc-top-half/musl/src/stdio/vfprintf.c" ] && exit 0
fetch_debian_source wasi-libc "$dest" libc-top-half/musl/src/stdio/vfprintf.c
echo "setup: wasi-libc's source in $dest"
