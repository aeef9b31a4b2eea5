/* virtio_ring.c: a split virtqueue laid out as legacy virtio wants it:
   descriptors, then the available ring, then (on the next page) the used
   ring, in one block of the counted heap. The driver owns descriptor
   numbering; this file only moves numbers between the rings. */
#include <string.h>
#include "virtio.h"
#include "mote.h"

#define barrier() __asm__ volatile("" ::: "memory")   /* x86 keeps stores in order; the compiler must too */

static size_t align_up(size_t n, size_t a) { return (n + a - 1) & ~(a - 1); }

static size_t used_offset(unsigned size)
{
    return align_up(16 * size + 2 * (3 + size), VIRTIO_QUEUE_ALIGN);
}

int vring_init(struct vring *r, unsigned size)
{
    size_t bytes = used_offset(size) + 2 * 3 + 8 * size;
    char *block = host_net_alloc(bytes + VIRTIO_QUEUE_ALIGN);
    if (!block)
        return -1;
    char *base = (char *)align_up((uintptr_t)block, VIRTIO_QUEUE_ALIGN);   /* never freed */
    memset(base, 0, bytes);
    r->size = size;
    r->desc = (struct vring_desc *)base;
    r->avail = (volatile uint16_t *)(base + 16 * size);
    r->used = (volatile uint16_t *)(base + used_offset(size));
    r->avail_idx = r->used_seen = 0;
    return 0;
}

uintptr_t vring_address(const struct vring *r) { return (uintptr_t)r->desc; }

void vring_offer(struct vring *r, uint16_t desc)
{
    r->avail[2 + r->avail_idx % r->size] = desc;
    barrier();
    r->avail[1] = ++r->avail_idx;
    barrier();
}

int vring_pending(const struct vring *r)
{
    return (uint16_t)(r->used[1] - r->used_seen);
}

int vring_take(struct vring *r, uint32_t *len)
{
    if (!vring_pending(r))
        return -1;
    barrier();
    volatile uint32_t *elem = (volatile uint32_t *)(r->used + 2) + 2 * (r->used_seen % r->size);
    int id = (int)elem[0];
    if (len)
        *len = elem[1];
    r->used_seen++;
    return id;
}
