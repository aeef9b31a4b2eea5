#!/usr/bin/env bash
# Fetches QuickJS's upstream source from Debian's source package `quickjs`
# in trixie (2025.04.26; bookworm has none) and unpacks it into
# qemu/deps/quickjs (the Makefile builds it from there when QUICKJS=2025).
# No host is named here: the deb-src entries are derived from this machine's
# own apt sources, with the release's suite replaced by trixie, into a
# private apt configuration that leaves the system's alone.
# Safe to run again: it does nothing once the source is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."

suite=trixie
deps=qemu/deps
dest=$deps/quickjs
[ -f "$dest/quickjs.c" ] && exit 0

# The machine's own release (bookworm): its main archive's entries name it
# alone as a suite; -updates, -security and other repositories are left out.
release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$release" ] || { echo "setup: /etc/os-release names no release codename" >&2; exit 1; }

apt_dir=$(pwd)/$deps/apt-quickjs
rm -rf "$apt_dir"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deps/src"
: > "$apt_dir/sources.list"

# deb822 files: each stanza whose suites include the release becomes a
# deb-src stanza for trixie alone (stanzas are separated by blank lines).
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  awk -v rel="$release" -v suite="$suite" '
    function flush() { if (keep) printf "%s\n", text; text = ""; keep = 0 }
    /^[[:space:]]*$/ { flush(); next }
    /^Types:/ { text = text "Types: deb-src\n"; next }
    /^Suites:/ { n = split($0, w, /[[:space:]]+/)
                 for (i = 2; i <= n; i++) if (w[i] == rel) keep = 1
                 text = text "Suites: " suite "\n"; next }
    { text = text $0 "\n" }
    END { flush() }' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
done
# One-line files: "deb [opts] URI RELEASE components" becomes the same deb-src line for trixie.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -nE "s/^[[:space:]]*deb([[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+)$release([[:space:]])/deb-src\1$suite\3/p" "$f" \
    >> "$apt_dir/sources.list"
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

echo "setup: fetching QuickJS's source package from $suite, through this machine's apt sources"
apt-get "${apt_opts[@]}" update -qq
(cd "$deps/src" && apt-get "${apt_opts[@]}" source --download-only -qq quickjs)

# apt checked the .dsc against the signed index; check the tarball against the .dsc.
dsc=$(ls "$deps"/src/quickjs_*.dsc | head -n1)
orig=$(ls "$deps"/src/quickjs_*.orig.tar.* | head -n1)
want=$(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && $3 == name {print $1}' name="$(basename "$orig")" "$dsc")
have=$(sha256sum "$orig" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$have" ]; then
  echo "setup: $(basename "$orig") does not match the checksum in $(basename "$dsc")" >&2
  exit 1
fi

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$orig" -C "$dest.tmp" --strip-components=1
[ -f "$dest.tmp/quickjs.c" ] || { echo "setup: $(basename "$orig") holds no quickjs.c" >&2; exit 1; }
mv "$dest.tmp" "$dest"
rm -rf "$apt_dir"                     # the private index lists served their purpose
echo "setup: QuickJS $(cat "$dest/VERSION") in $dest"
