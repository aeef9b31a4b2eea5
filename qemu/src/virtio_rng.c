/* virtio_rng.c: the virtio entropy device (QEMU's virtio-rng-device on
   microvm, virtio-rng-pci on pc), over either transport. One queue: the
   driver offers a buffer for the device to fill and waits for it. Polled,
   with no interrupt routed: a request is small, QEMU answers it at once, and
   only crypto.getRandomValues asks, synchronously. */
#include <string.h>
#include "virtio.h"
#include "mote.h"

#define QUEUE_REQUEST  0
#define CHUNK          64                      /* bytes asked for at a time */
#define WAIT_NS        1000000000ull           /* a device silent this long has failed */
#define EMPTY_MAX      100                     /* as has one answering with no bytes this often */

static struct virtio_transport dev;
static struct vring queue;
static uint8_t chunk[CHUNK];

int vrng_init(void)
{
    if (virtio_mmio_find(VIRTIO_ID_RNG, &dev) < 0 && virtio_pci_find(VIRTIO_ID_RNG, &dev) < 0)
        return -1;
    dev.set_status(&dev, 0);                                           /* reset */
    dev.set_status(&dev, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    dev.set_features(&dev, 0);
    unsigned size = dev.queue_size(&dev, QUEUE_REQUEST);
    if (size == 0 || vring_init(&queue, size) < 0) {
        dev.set_status(&dev, VIRTIO_STATUS_FAILED);
        return -1;
    }
    dev.queue_set(&dev, QUEUE_REQUEST, size, vring_address(&queue));
    queue.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
    dev.set_status(&dev, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
    return 0;
}

/* Fill out[0, len) from the device; -1 if it stops answering. */
int vrng_read(uint8_t *out, size_t len)
{
    int empty = 0;                               /* answers with no bytes, in a row */
    while (len) {
        queue.desc[0] = (struct vring_desc){ (uintptr_t)chunk, CHUNK, VRING_DESC_F_WRITE, 0 };
        vring_offer(&queue, 0);
        dev.notify(&dev, QUEUE_REQUEST);
        uint64_t deadline = clock_ns() + WAIT_NS;
        uint32_t got = 0;
        while (vring_take(&queue, &got) < 0) {
            if (clock_ns() > deadline)
                return -1;
            __asm__ volatile("pause");
        }
        dev.ack(&dev);
        size_t n = got < len ? got : len;
        if (n > CHUNK)
            n = CHUNK;
        memcpy(out, chunk, n);
        out += n;
        len -= n;
        if (n == 0 && ++empty > EMPTY_MAX)
            return -1;                           /* a device that answers with nothing has failed */
        if (n)
            empty = 0;
    }
    return 0;
}
