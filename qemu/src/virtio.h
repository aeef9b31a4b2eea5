/* virtio.h: the legacy (0.9.5) virtio interface shared by the two transports
   (virtio_mmio.c on microvm, virtio_pci.c on pc), the ring (virtio_ring.c)
   and the devices driven over them (virtio_net.c, virtio_rng.c). */
#ifndef VIRTIO_H
#define VIRTIO_H
#include <stdint.h>

#define VIRTIO_STATUS_ACK       1
#define VIRTIO_STATUS_DRIVER    2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FAILED    128
#define VIRTIO_ID_NET           1
#define VIRTIO_ID_RNG           4
#define VIRTIO_QUEUE_ALIGN      4096   /* legacy rings: the used ring starts on a page */

/* One device's registers, whichever bus they sit on. */
struct virtio_transport {
    const char *name;                                        /* for the boot log */
    uintptr_t base;                                          /* MMIO address or I/O port */
    int gsi;                                                 /* the IOAPIC input it interrupts on */
    uint32_t (*features)(struct virtio_transport *t);
    void     (*set_features)(struct virtio_transport *t, uint32_t f);
    void     (*set_status)(struct virtio_transport *t, uint8_t s);
    uint8_t  (*config8)(struct virtio_transport *t, unsigned off);
    unsigned (*queue_size)(struct virtio_transport *t, unsigned q);   /* 0: no such queue */
    void     (*queue_set)(struct virtio_transport *t, unsigned q, unsigned size, uintptr_t ring);
    void     (*notify)(struct virtio_transport *t, unsigned q);
    uint8_t  (*ack)(struct virtio_transport *t);                      /* read and clear the interrupt status */
};

/* virtio_mmio.c, virtio_pci.c: find a device of the given type; 0 if found. */
int virtio_mmio_find(unsigned device_id, struct virtio_transport *t);
int virtio_pci_find(unsigned device_id, struct virtio_transport *t);

/* virtio_ring.c: a split virtqueue in the legacy layout. */
struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring_used_elem { uint32_t id, len; };
#define VRING_DESC_F_WRITE      2      /* the device writes this buffer */
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring {
    unsigned size;
    struct vring_desc *desc;
    volatile uint16_t *avail;          /* flags, idx, ring[size] */
    volatile uint16_t *used;           /* flags, idx, then size {id, len} pairs */
    uint16_t avail_idx, used_seen;
};

int  vring_init(struct vring *r, unsigned size);          /* counted heap; -1 if it cannot */
uintptr_t vring_address(const struct vring *r);
void vring_offer(struct vring *r, uint16_t desc);         /* make a descriptor available */
int  vring_take(struct vring *r, uint32_t *len);          /* a used descriptor's id, -1 if none */
int  vring_pending(const struct vring *r);                /* used entries not yet taken */
#endif
