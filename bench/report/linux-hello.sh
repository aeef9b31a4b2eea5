#!/bin/sh
# The report's Linux reference for boot: Debian's kernel (from the network
# bench's build, bench/linux-vm/setup.sh, run when missing) and the smallest
# initramfs that runs QuickJS's hello: busybox-static for /init and
# poweroff, the static qjs (qjs-net) and hello.js. No modules, no network.
# Also build/linux-vm/tsc-khz (bench/linux-vm/tsc-khz.c), the TSC rate the
# kernel is told on its command line.
#   sh bench/report/linux-hello.sh   writes build/linux-vm/hello.cpio
set -eu
cd "$(dirname "$0")/../.."
VM=build/linux-vm
[ -x "$VM/root/bin/qjs-net" ] && [ -f "$VM/vmlinuz" ] || sh bench/linux-vm/setup.sh >&2
ROOT=$VM/hello-root
rm -rf "$ROOT"
mkdir -p "$ROOT/bin" "$ROOT/dev"
mknod -m 600 "$ROOT/dev/console" c 5 1 # the kernel opens it for PID 1's output
cp "$VM/root/bin/busybox" "$VM/root/bin/qjs-net" "$ROOT/bin/"
cp bench/report/linux-hello-init "$ROOT/init"
chmod 755 "$ROOT/init"
cp bench/report/linux-hello.js "$ROOT/hello.js"
(cd "$ROOT" && find . | cpio -o -H newc --quiet) > "$VM/hello.cpio"
[ "$VM/tsc-khz" -nt bench/linux-vm/tsc-khz.c ] || gcc -O2 -o "$VM/tsc-khz" bench/linux-vm/tsc-khz.c
echo "$VM/hello.cpio"
