#!/bin/sh
# stamp-boot-sum.sh ELF BOOT-SUM: stamps the boot layer's checksum of its text
# segment ([__image_start, __text_end) as linked) into its boot_layer_sum
# words (in .data, outside the bytes they cover), which boot_check.c checks at
# boot. BOOT-SUM is the build's tools/boot-sum.c.
set -eu
elf=$1 tool=$2
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
# The file offset of a linked address: through the PT_LOAD that holds it.
offset() {
  readelf -lW "$elf" | awk '$1 == "LOAD" { print $2, $3, $5 }' | while read -r off va fs; do
    if [ $(($1)) -ge $((va)) ] && [ $(($1)) -lt $((va + fs)) ]; then echo $(($1 - va + off)); break; fi
  done
}
start=$(sym __image_start) end=$(sym __text_end) word=$(sym boot_layer_sum)
from=$(offset "$start") at=$(offset "$word")
[ -n "$from" ] && [ -n "$at" ] || { echo "stamp-boot-sum.sh: $elf: no text segment, or no boot_layer_sum in the file" >&2; exit 1; }
"$tool" "$elf" "$from" $((end - start)) "$at"
