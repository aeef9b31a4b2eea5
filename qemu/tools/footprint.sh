#!/bin/sh
# Writes the boot layer's own RAM footprint as JSON, for the manifest and for
# `mote inspect`: what the boot layer takes before the engine starts.
set -eu
elf=$1
param=$2
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
def() { gcc -E -dM "$param" | awk -v d="$1" '$2 == d { $1 = ""; $2 = ""; print }'; }
text=$(readelf -lW "$elf" | awk '$1 == "LOAD" && $8 == "E" { print $6 }')
data=$(readelf -lW "$elf" | awk '$1 == "LOAD" && $7 == "RW" { print $5 }')
mem=$(readelf -lW "$elf" | awk '$1 == "LOAD" && $7 == "RW" { print $6 }')
stack=$(( $(sym stack_top) - $(sym stack_bottom) ))
# The network's heap at boot when the machine has a NIC: the receive and
# transmit slots (1536 bytes each, virtio_net.c), plus 32 KiB for the two
# rings at QEMU's queue size of 256 and lwIP's own state (measured: 127,408
# bytes in all on QEMU 7.2, heapUsed with and without --net none).
cat <<J
{
  "loadAddress": $(( $(sym __image_start) )),
  "code": $(( text )),
  "data": $(( data )),
  "bss": $(( mem - data - stack )),
  "stack": $(( stack )),
  "payloadAddress": $(( $(sym __payload_start) )),
  "minHeap": $(( $(def MIN_HEAP) )),
  "heapReserve": $(( $(def HEAP_RESERVE) )),
  "netDevice": $(( ($(def NET_RX_SLOTS) + $(def NET_TX_SLOTS)) * 1536 + 32768 ))
}
J
