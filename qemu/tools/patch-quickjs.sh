#!/bin/sh
# patch-quickjs.sh DIST OUT PATCHES: QuickJS's C sources (DIST: the qjsc npm
# package's 2021-03-27, or deps/quickjs from Debian's source package),
# copied into OUT with PATCHES/*.patch applied (the patches made for that
# version), for every target the Makefile builds. Each patch is a minimal
# fix of a QuickJS defect, with a comment in the code marked "mote:"; DIST is
# not edited. Runs again only when DIST changes or is newer than OUT, or a
# patch is.
set -e
dist=$1 out=$2 patches=$3
stamp=$out/.patched
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$dist" ] &&
   [ -z "$(find "$patches" -name '*.patch' -newer "$stamp")" ] && [ ! "$dist/quickjs.c" -nt "$stamp" ]; then
  exit 0
fi
[ -f "$dist/quickjs.c" ] || { echo "patch-quickjs.sh: no QuickJS sources in $dist" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cp "$dist"/*.c "$dist"/*.h "$dist"/VERSION "$out"/   # new mtimes: every object is rebuilt
for p in "$patches"/*.patch; do
  patch --quiet --forward -p1 -d "$out" < "$p" || { echo "patch-quickjs.sh: $p does not apply to $dist" >&2; rm -rf "$out"; exit 1; }
done
echo "$dist" > "$stamp"
