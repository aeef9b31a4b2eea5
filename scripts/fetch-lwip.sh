#!/usr/bin/env bash
# Fetches lwIP's upstream source from Debian's source package `lwip` and
# unpacks it into qemu/deps/lwip (the Makefile builds it from there).
# No host is named here: the deb-src entry is derived from this machine's own
# apt sources, into a private apt configuration that leaves the system's alone.
# Safe to run again: it does nothing once the source is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."

deps=qemu/deps
dest=$deps/lwip
[ -f "$dest/src/core/tcp.c" ] && exit 0

apt_dir=$(pwd)/$deps/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deps/src"
: > "$apt_dir/sources.list"

# deb822 files: each "Types:" line that offers deb also offers deb-src.
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  sed -E 's/^Types:.*$/Types: deb-src/' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
done
# One-line files: each "deb ..." line becomes "deb-src ...".
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >> "$apt_dir/sources.list"
done

apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1"
)
# apt drops to the _apt user to download; that user cannot write here.
[ "$(id -u)" -eq 0 ] && apt_opts+=(-o "APT::Sandbox::User=root")

echo "setup: fetching lwIP's source package from this machine's apt sources"
apt-get "${apt_opts[@]}" update -qq
(cd "$deps/src" && apt-get "${apt_opts[@]}" source --download-only -qq lwip)

# apt checked the .dsc against the signed index; check the tarball against the .dsc.
dsc=$(ls "$deps"/src/lwip_*.dsc | head -n1)
orig=$(ls "$deps"/src/lwip_*.orig.tar.* | head -n1)
want=$(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && $3 == name {print $1}' name="$(basename "$orig")" "$dsc")
have=$(sha256sum "$orig" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$have" ]; then
  echo "setup: $(basename "$orig") does not match the checksum in $(basename "$dsc")" >&2
  exit 1
fi

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$orig" -C "$dest.tmp" --strip-components=1
[ -f "$dest.tmp/src/core/tcp.c" ] || { echo "setup: $(basename "$orig") holds no src/core/tcp.c" >&2; exit 1; }
mv "$dest.tmp" "$dest"
rm -rf "$apt_dir"                     # the private index lists served their purpose
echo "setup: lwIP $(basename "$orig" | sed -E 's/lwip_([^.]*\.[^.]*\.[^.+~]*).*/\1/') in $dest"
