/* virtio_mmio.c: virtio over memory-mapped registers, as QEMU's microvm has
   it: up to 24 transports at 0xfeb00000 + i * 0x200, in the legacy
   (version 1) layout. Transport i interrupts on GSI 24 + i (the second
   IOAPIC) when microvm has ACPI, which mote's runner leaves on, and on
   GSI 5 + i (8 transports) without it. */
#include "virtio.h"
#include "mote.h"

#define MMIO_BASE          0xfeb00000u
#define MMIO_STRIDE        0x200u
#define MMIO_SLOTS         24
#define MMIO_MAGIC_VALUE   0x74726976u   /* "virt" */
#define GSI_BASE_ACPI      24
#define GSI_BASE_NO_ACPI   5

#define REG_MAGIC          0x000
#define REG_VERSION        0x004
#define REG_DEVICE_ID      0x008
#define REG_HOST_FEATURES  0x010
#define REG_HOST_FEATURES_SEL 0x014
#define REG_GUEST_FEATURES 0x020
#define REG_GUEST_FEATURES_SEL 0x024
#define REG_GUEST_PAGE_SIZE 0x028
#define REG_QUEUE_SEL      0x030
#define REG_QUEUE_NUM_MAX  0x034
#define REG_QUEUE_NUM      0x038
#define REG_QUEUE_ALIGN    0x03c
#define REG_QUEUE_PFN      0x040
#define REG_QUEUE_NOTIFY   0x050
#define REG_INT_STATUS     0x060
#define REG_INT_ACK        0x064
#define REG_STATUS         0x070
#define REG_CONFIG         0x100
#define QUEUE_MAX          256          /* more descriptors than the driver ever offers */

static volatile uint32_t *reg(struct virtio_transport *t, unsigned off)
{
    return (volatile uint32_t *)(t->base + off);
}

static uint32_t features(struct virtio_transport *t)
{
    *reg(t, REG_HOST_FEATURES_SEL) = 0;
    return *reg(t, REG_HOST_FEATURES);
}

static void set_features(struct virtio_transport *t, uint32_t f)
{
    *reg(t, REG_GUEST_FEATURES_SEL) = 0;
    *reg(t, REG_GUEST_FEATURES) = f;
}

static void set_status(struct virtio_transport *t, uint8_t s) { *reg(t, REG_STATUS) = s; }

static uint8_t config8(struct virtio_transport *t, unsigned off)
{
    return *(volatile uint8_t *)(t->base + REG_CONFIG + off);
}

static unsigned queue_size(struct virtio_transport *t, unsigned q)
{
    *reg(t, REG_QUEUE_SEL) = q;
    if (*reg(t, REG_QUEUE_PFN))
        return 0;                                  /* already in use */
    unsigned max = *reg(t, REG_QUEUE_NUM_MAX);
    return max < QUEUE_MAX ? max : QUEUE_MAX;
}

static void queue_set(struct virtio_transport *t, unsigned q, unsigned size, uintptr_t ring)
{
    *reg(t, REG_QUEUE_SEL) = q;
    *reg(t, REG_QUEUE_NUM) = size;
    *reg(t, REG_QUEUE_ALIGN) = VIRTIO_QUEUE_ALIGN;
    *reg(t, REG_QUEUE_PFN) = (uint32_t)(ring / VIRTIO_QUEUE_ALIGN);
}

static void notify(struct virtio_transport *t, unsigned q) { *reg(t, REG_QUEUE_NOTIFY) = q; }

static uint8_t ack(struct virtio_transport *t)
{
    uint32_t s = *reg(t, REG_INT_STATUS);
    *reg(t, REG_INT_ACK) = s;
    return (uint8_t)s;
}

int virtio_mmio_find(unsigned device_id, struct virtio_transport *t)
{
    int gsi_base = ioapic_count() > 1 ? GSI_BASE_ACPI : GSI_BASE_NO_ACPI;
    int slots = gsi_base == GSI_BASE_ACPI ? MMIO_SLOTS : 8;
    for (int i = 0; i < slots; i++) {
        volatile uint32_t *r = (volatile uint32_t *)(uintptr_t)(MMIO_BASE + i * MMIO_STRIDE);
        if (r[REG_MAGIC / 4] != MMIO_MAGIC_VALUE || r[REG_VERSION / 4] != 1 || r[REG_DEVICE_ID / 4] != device_id)
            continue;
        *t = (struct virtio_transport){
            .name = "virtio-mmio", .base = MMIO_BASE + i * MMIO_STRIDE, .gsi = gsi_base + i,
            .features = features, .set_features = set_features, .set_status = set_status,
            .config8 = config8, .queue_size = queue_size, .queue_set = queue_set,
            .notify = notify, .ack = ack,
        };
        r[REG_GUEST_PAGE_SIZE / 4] = VIRTIO_QUEUE_ALIGN;
        return 0;
    }
    return -1;
}
