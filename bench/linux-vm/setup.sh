#!/bin/sh
# Builds the network bench's Linux reference into build/linux-vm/: Debian's
# kernel (linux-image-amd64) and an initramfs holding busybox-static, the
# virtio-net modules, qjs-net (QuickJS from the qjsc npm package's sources,
# static with musl-gcc) and server.js. Installs what it needs from apt.
#   sh bench/linux-vm/setup.sh        (run by bench/net.ts when missing)
set -eu
cd "$(dirname "$0")/../.."
SRC=bench/linux-vm
OUT=build/linux-vm
QJS=node_modules/qjsc/deps/quickjs_2021_03_27

need=
for p in linux-image-amd64 busybox-static musl-tools cpio; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi
[ -d "$QJS" ] || { echo "setup: $QJS missing: run npm ci first" >&2; exit 1; }

KERNEL=$(ls -v /boot/vmlinuz-* | tail -n 1)
KVER=${KERNEL#/boot/vmlinuz-}
MODS=/lib/modules/$KVER
mkdir -p "$OUT/obj"
rm -rf "$OUT/root"
mkdir -p "$OUT/root/bin" "$OUT/root/proc" "$OUT/root/sys" "$OUT/root/dev" "$OUT/root/lib/modules"

# qjs-net: QuickJS's own sources and one small main, static on musl.
CFLAGS="-O2 -D_GNU_SOURCE -DCONFIG_VERSION=\"2021-03-27\" -DCONFIG_BIGNUM -w -I$QJS"
for f in quickjs libregexp libunicode cutils libbf quickjs-libc; do
  [ "$OUT/obj/$f.o" -nt "$QJS/$f.c" ] || musl-gcc $CFLAGS -c "$QJS/$f.c" -o "$OUT/obj/$f.o"
done
musl-gcc $CFLAGS -c "$SRC/qjs-net.c" -o "$OUT/obj/qjs-net.o"
musl-gcc -static -s -o "$OUT/root/bin/qjs-net" "$OUT"/obj/*.o -lm -lpthread

# The NIC's modules with what they depend on, in load order (modules.dep
# lists a module's dependencies deepest last).
order=
add() {
  case " $order " in *" $1 "*) return ;; esac
  deps=$(grep "^[^:]*/$1:" "$MODS/modules.dep" | cut -d: -f2)
  for d in $(echo $deps | tr ' ' '\n' | tac); do add "$(basename "$d")"; done
  order="$order $1"
}
add virtio_pci.ko
add virtio_net.ko
for m in $order; do cp "$(find "$MODS/kernel" -name "$m")" "$OUT/root/lib/modules/"; done
echo $order | tr ' ' '\n' > "$OUT/root/modules"

cp /bin/busybox "$OUT/root/bin/busybox"
cp "$SRC/init" "$OUT/root/init"
chmod 755 "$OUT/root/init"
cp "$SRC/server.js" "$OUT/root/server.js"
(cd "$OUT/root" && find . | cpio -o -H newc --quiet) > "$OUT/initramfs.cpio"
cp "$KERNEL" "$OUT/vmlinuz"
echo "setup: $OUT/vmlinuz ($KVER) and $OUT/initramfs.cpio ($(du -k "$OUT/initramfs.cpio" | cut -f1) KiB; modules:$order)"
