#!/bin/sh
# patch-quickjs.sh DIST OUT: QuickJS's sources from the qjsc npm package
# (DIST), copied into OUT with patches/quickjs-*.patch applied, for every
# target the Makefile builds. Each patch is a minimal fix of a QuickJS
# defect, with a comment in the code marked "mote:"; the package is not
# edited. Runs again only when a patch or the package is newer than OUT.
set -e
dist=$1 out=$2
stamp=$out/.patched
here=$(dirname "$0")/..
if [ -f "$stamp" ] && [ -z "$(find "$here"/patches -name 'quickjs-*.patch' -newer "$stamp")" ] &&
   [ ! "$dist/quickjs.c" -nt "$stamp" ]; then
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cp -p "$dist"/*.c "$dist"/*.h "$dist"/VERSION "$out"/
for p in "$here"/patches/quickjs-*.patch; do
  patch --quiet --forward -p1 -d "$out" < "$p" || { echo "patch-quickjs.sh: $p does not apply to $dist" >&2; rm -rf "$out"; exit 1; }
done
touch "$stamp"
