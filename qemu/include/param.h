/* param.h: the boot layer's tunables, one place. */
#ifndef PARAM_H
#define PARAM_H

#define STACK_SIZE        (256 * 1024)  /* C stack for QuickJS; its limit is set a margin below */
#define STACK_MARGIN      (32 * 1024)   /* headroom left for C below the JS stack limit */
#ifndef JS_STACK_LIMIT                  /* QuickJS's stack limit (the wasm build sets its own: wasm_compat.h) */
#define JS_STACK_LIMIT    (STACK_SIZE - STACK_MARGIN)
#endif
#define MAX_REGIONS       16            /* RAM regions taken from the memory map */
#define MIN_HEAP          (512 * 1024)  /* below this, refuse to start the engine */
#define HEAP_RESERVE      (48 * 1024)   /* kept back from JS: the host's own needs and OOM_RESCUE */
#define OOM_RESCUE        (16 * 1024)   /* past the limit, room for the "out of memory" error itself */
#define PIT_CALIBRATE_MS  1             /* least TSC calibration window on the PIT: 1193 ticks, 0.1% */
#define INPUT_POLL_NS     (10 * 1000 * 1000) /* without an IOAPIC, poll the serial port this often while input is wanted */
#define CMDLINE_MAX       4096          /* kernel command line bytes (COMMAND_LINE_MAX in kernel/platform.ts) */
#define MAX_MODULE_NAME   100           /* ustar name field */
#define NET_RX_SLOTS      32            /* receive buffers offered to virtio-net, 1536 bytes each */
#define NET_TX_SLOTS      32            /* transmit buffers, 1536 bytes each */
#define NET_TX_QUEUE      256           /* frames waiting for a transmit slot before new ones drop */
#define NET_DATAGRAM_QUEUE 16           /* datagrams kept per UDP socket before new ones drop */
#define NET_JS_SHARE      4             /* the network's buffers may hold at most 3/4 of the JS heap limit */
#define NET_JS_MARGIN     16            /* and leave JS at least 1/16 of it free */
#define NET_SMALL_ALLOC   512           /* allocations up to this size (control frames) are exempt */
#define NET_TIME_WAIT_MAX 512           /* closed connections kept in TIME_WAIT; past it the oldest goes */
#define NET_LINGER_MS     2000          /* a closed connection may take this long to deliver what it was given */

#endif
