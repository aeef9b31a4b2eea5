# Sourced by fetch-lwip.sh and fetch-quickjs.sh: fetch_debian_source takes a
# Debian source package through this machine's own apt sources and unpacks
# its upstream tarball. No host is named: the deb-src entries are derived
# from the machine's apt sources into a private apt configuration (under
# qemu/deps/) that leaves the system's alone. apt checks the .dsc against the
# signed index; the tarball is checked here against the .dsc.
#
#   fetch_debian_source PACKAGE DEST MARKER [SUITE]
#
# MARKER is a file the tarball must hold (relative to its top). With SUITE,
# only the entries of the machine's own release are taken, for SUITE instead
# (bookworm's main archive asked for trixie's package); without it, every
# entry as it is.

# Writes the deb-src entries into $1/sources.list and $1/sources.list.d/.
derive_deb_src() {
  local apt_dir=$1 suite=${2:-} release="" f
  if [ -n "$suite" ]; then
    release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$release" ] || { echo "setup: /etc/os-release names no release codename" >&2; return 1; }
  fi
  : > "$apt_dir/sources.list"
  # deb822 files: each stanza (blank-line separated) offering deb offers deb-src;
  # with a suite, only stanzas whose suites include the release, for that suite.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v rel="$release" -v suite="$suite" '
      function flush() { if (keep) printf "%s\n", text; text = ""; keep = (suite == "") }
      BEGIN { keep = (suite == "") }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/ { text = text "Types: deb-src\n"; next }
      /^Suites:/ && suite != "" { n = split($0, w, /[[:space:]]+/)
                   for (i = 2; i <= n; i++) if (w[i] == rel) keep = 1
                   text = text "Suites: " suite "\n"; next }
      { text = text $0 "\n" }
      END { flush() }' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
  done
  # One-line files: "deb [opts] URI SUITE components" becomes the same deb-src line.
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    if [ -n "$suite" ]; then
      sed -nE "s/^[[:space:]]*deb([[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+)$release([[:space:]])/deb-src\1$suite\3/p" "$f"
    else
      sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f"
    fi >> "$apt_dir/sources.list"
  done
}

fetch_debian_source() {
  local package=$1 dest=$2 marker=$3 suite=${4:-}
  local deps apt_dir
  deps=$(dirname "$dest")
  apt_dir=$(pwd)/$deps/apt-$package
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deps/src"
  derive_deb_src "$apt_dir" "$suite" || return 1

  local apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=1"
  )
  # apt drops to the _apt user to download; that user cannot write here.
  [ "$(id -u)" -eq 0 ] && apt_opts+=(-o "APT::Sandbox::User=root")

  echo "setup: fetching the source package $package${suite:+ from $suite}, through this machine's apt sources"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$deps/src" && apt-get "${apt_opts[@]}" source --download-only -qq "$package")

  local dsc orig want have
  dsc=$(ls "$deps"/src/"${package}"_*.dsc | head -n1)
  orig=$(ls "$deps"/src/"${package}"_*.orig.tar.* | head -n1)
  want=$(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && $3 == name {print $1}' name="$(basename "$orig")" "$dsc")
  have=$(sha256sum "$orig" | cut -d' ' -f1)
  if [ -z "$want" ] || [ "$want" != "$have" ]; then
    echo "setup: $(basename "$orig") does not match the checksum in $(basename "$dsc")" >&2
    return 1
  fi

  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  tar -xf "$orig" -C "$dest.tmp" --strip-components=1
  [ -f "$dest.tmp/$marker" ] || { echo "setup: $(basename "$orig") holds no $marker" >&2; return 1; }
  mv "$dest.tmp" "$dest"
  rm -rf "$apt_dir"                   # the private index lists served their purpose
}
