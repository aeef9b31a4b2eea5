/* virtio_pci.c: virtio over PCI, as QEMU's pc has it: a transitional
   virtio-net-pci (1af4:1000) found by scanning configuration space through
   ports 0xcf8/0xcfc, driven through BAR0's legacy I/O registers. It
   interrupts on INTx, which the firmware routed to the ISA IRQ written in
   its interrupt-line register; the IOAPIC input of that number. */
#include "virtio.h"
#include "mote.h"
#include "io.h"

#define PCI_ADDRESS        0xcf8
#define PCI_DATA           0xcfc
#define PCI_VENDOR_VIRTIO  0x1af4
#define PCI_COMMAND        0x04
#define PCI_CMD_IO         0x1
#define PCI_CMD_BUS_MASTER 0x4
#define PCI_BAR0           0x10
#define PCI_INTERRUPT_LINE 0x3c

#define REG_HOST_FEATURES  0x00         /* legacy I/O layout */
#define REG_GUEST_FEATURES 0x04
#define REG_QUEUE_PFN      0x08
#define REG_QUEUE_SIZE     0x0c
#define REG_QUEUE_SEL      0x0e
#define REG_QUEUE_NOTIFY   0x10
#define REG_STATUS         0x12
#define REG_ISR            0x13
#define REG_CONFIG         0x14         /* without MSI-X */

static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static uint32_t pci_read(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
    outl(PCI_ADDRESS, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc));
    return inl(PCI_DATA);
}

static void pci_write(unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
    outl(PCI_ADDRESS, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc));
    outl(PCI_DATA, v);
}

static uint16_t port(struct virtio_transport *t, unsigned off) { return (uint16_t)(t->base + off); }

static uint32_t features(struct virtio_transport *t) { return inl(port(t, REG_HOST_FEATURES)); }
static void set_features(struct virtio_transport *t, uint32_t f) { outl(port(t, REG_GUEST_FEATURES), f); }
static void set_status(struct virtio_transport *t, uint8_t s) { outb(port(t, REG_STATUS), s); }
static uint8_t config8(struct virtio_transport *t, unsigned off) { return inb(port(t, REG_CONFIG + off)); }

/* Legacy PCI rings have the size the device says; the driver cannot choose. */
static unsigned queue_size(struct virtio_transport *t, unsigned q)
{
    outw(port(t, REG_QUEUE_SEL), (uint16_t)q);
    return inl(port(t, REG_QUEUE_PFN)) ? 0 : inw(port(t, REG_QUEUE_SIZE));
}

static void queue_set(struct virtio_transport *t, unsigned q, unsigned size, uintptr_t ring)
{
    (void)size;
    outw(port(t, REG_QUEUE_SEL), (uint16_t)q);
    outl(port(t, REG_QUEUE_PFN), (uint32_t)(ring / VIRTIO_QUEUE_ALIGN));
}

static void notify(struct virtio_transport *t, unsigned q) { outw(port(t, REG_QUEUE_NOTIFY), (uint16_t)q); }
static uint8_t ack(struct virtio_transport *t) { return inb(port(t, REG_ISR)); }   /* reading clears it */

/* A transitional device's PCI ID, by virtio type. Not a formula: the spec's
   table numbers them in its own order (net 0x1000, entropy 0x1005). */
static unsigned transitional_id(unsigned device_id)
{
    switch (device_id) {
    case VIRTIO_ID_NET: return 0x1000;
    case VIRTIO_ID_RNG: return 0x1005;
    default:            return 0;
    }
}

int virtio_pci_find(unsigned device_id, struct virtio_transport *t)
{
    for (unsigned dev = 0; dev < 32; dev++) {
        uint32_t id = pci_read(0, dev, 0, 0);
        if ((id & 0xffff) != PCI_VENDOR_VIRTIO || id >> 16 != transitional_id(device_id))
            continue;
        uint32_t bar = pci_read(0, dev, 0, PCI_BAR0);
        unsigned line = pci_read(0, dev, 0, PCI_INTERRUPT_LINE) & 0xff;
        if (!(bar & 1) || (bar & ~3u) == 0 || line == 0 || line >= 16)
            continue;                               /* the firmware left it unconfigured */
        uint32_t cmd = pci_read(0, dev, 0, PCI_COMMAND);
        pci_write(0, dev, 0, PCI_COMMAND, (cmd & 0xffff) | PCI_CMD_IO | PCI_CMD_BUS_MASTER);
        *t = (struct virtio_transport){
            .name = "virtio-pci", .base = bar & ~3u, .gsi = (int)line,
            .features = features, .set_features = set_features, .set_status = set_status,
            .config8 = config8, .queue_size = queue_size, .queue_set = queue_set,
            .notify = notify, .ack = ack,
        };
        return 0;
    }
    return -1;
}
