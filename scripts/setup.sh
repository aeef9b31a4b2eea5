#!/usr/bin/env bash
# Installs what mote needs on a Debian machine with Node 20, then its npm packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang, lld, wasi-libc and compiler-rt's wasm64 builtins build the wasm engine (qemu/wasm/,
# for wasm64 by default: qemu/wasm/wasm64.mk); the wasm32 builtins its wasm32 build (WASM=32).
packages=(qemu-system-x86 musl-tools musl-dev make gcc binutils dpkg-dev xz-utils patch
          clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev-wasm64)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash scripts/fetch-lwip.sh               # lwIP's source, for the boot layer's network
bash scripts/fetch-quickjs.sh            # QuickJS 2025-04-26's source, the default engine (qemu/Makefile)
bash scripts/fetch-wasi-libc.sh          # wasi-libc's source, whose musl the wasm64 engine compiles
npm ci --no-audit --no-fund
