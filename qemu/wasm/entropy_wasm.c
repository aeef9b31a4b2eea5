/* entropy_wasm.c: the platform's random() bytes from Node's crypto
   (builder/hosted/wasm/devices.ts's random import). */
#include <stdint.h>
#include <string.h>
#include "mote.h"
#include "import.h"

IMPORT("random") unsigned int mote_random(void);

int entropy_fill(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        unsigned int v = mote_random();
        size_t n = len < sizeof v ? len : sizeof v;
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
    return 0;
}
