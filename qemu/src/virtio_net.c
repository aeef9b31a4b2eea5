/* virtio_net.c: the virtio network device, over either transport. Legacy
   virtio with one feature (the MAC address), so every frame carries the
   10-byte header (12 once VIRTIO_NET_F_MRG_RXBUF is taken; it is not).
   Buffers are fixed slots: descriptor i is buffer i, received frames are
   copied out and their buffer offered again; frames to send are copied into
   a free transmit slot. Queue 0 receives, queue 1 transmits. */
#include <string.h>
#include "virtio.h"
#include "net.h"
#include "mote.h"
#include "param.h"

#define QUEUE_RX           0
#define QUEUE_TX           1
#define NET_F_MAC          (1u << 5)
#define NET_F_MRG_RXBUF    (1u << 15)
#define NET_HDR            10                      /* virtio_net_hdr, legacy, no merged buffers */
#define SLOT               1536                    /* header and a 1514-byte frame, rounded */
#define ISR_QUEUE          1

volatile int net_irq_seen;

static struct virtio_transport dev;
static struct vring rx, tx;
static uint8_t *rx_slots, *tx_slots;
static uint16_t tx_free[NET_TX_SLOTS];
static int ntx_free, rx_count, tx_count, have_device;

static int setup_queue(unsigned q, struct vring *r)
{
    unsigned size = dev.queue_size(&dev, q);
    if (size == 0 || vring_init(r, size) < 0)
        return -1;
    dev.queue_set(&dev, q, size, vring_address(r));
    return 0;
}

static uint8_t *slots(int n)
{
    uint8_t *p = host_net_alloc((size_t)n * SLOT);
    if (p)
        memset(p, 0, (size_t)n * SLOT);
    return p;
}

int vnet_init(uint8_t mac[6])
{
    if (virtio_mmio_find(VIRTIO_ID_NET, &dev) < 0 && virtio_pci_find(VIRTIO_ID_NET, &dev) < 0)
        return -1;
    dev.set_status(&dev, 0);                                           /* reset */
    dev.set_status(&dev, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    uint32_t offered = dev.features(&dev);
    dev.set_features(&dev, offered & NET_F_MAC);
    if (setup_queue(QUEUE_RX, &rx) < 0 || setup_queue(QUEUE_TX, &tx) < 0 ||
        !(rx_slots = slots(NET_RX_SLOTS)) || !(tx_slots = slots(NET_TX_SLOTS))) {
        dev.set_status(&dev, VIRTIO_STATUS_FAILED);
        return -2;                                                     /* its rings or buffers did not fit */
    }
    rx_count = rx.size < NET_RX_SLOTS ? (int)rx.size : NET_RX_SLOTS;
    tx_count = tx.size < NET_TX_SLOTS ? (int)tx.size : NET_TX_SLOTS;
    for (int i = 0; i < rx_count; i++) {
        rx.desc[i] = (struct vring_desc){ (uintptr_t)(rx_slots + i * SLOT), SLOT, VRING_DESC_F_WRITE, 0 };
        vring_offer(&rx, (uint16_t)i);
    }
    for (int i = 0; i < tx_count; i++) {
        tx.desc[i] = (struct vring_desc){ (uintptr_t)(tx_slots + i * SLOT), 0, 0, 0 };
        tx_free[ntx_free++] = (uint16_t)i;
    }
    tx.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;                          /* sent frames are reclaimed lazily */
    for (int i = 0; i < 6; i++)
        mac[i] = (offered & NET_F_MAC) ? dev.config8(&dev, i) : (uint8_t)(i == 0 ? 0x52 : net_random());
    if (ioapic_route(dev.gsi, MOTE_VEC_NET) < 0) {
        dev.set_status(&dev, VIRTIO_STATUS_FAILED);
        return -1;
    }
    dev.set_status(&dev, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
    dev.notify(&dev, QUEUE_RX);
    have_device = 1;
    return 0;
}

static void reclaim_tx(void)
{
    int id;
    while ((id = vring_take(&tx, NULL)) >= 0)
        if (id < tx_count)
            tx_free[ntx_free++] = (uint16_t)id;
}

/* NULL when every slot is still the device's: the caller queues the frame
   and asks for an interrupt when the device frees one (vnet_tx_interrupts). */
uint8_t *vnet_tx_buffer(int *slot)
{
    reclaim_tx();
    if (ntx_free == 0)
        return NULL;
    *slot = tx_free[--ntx_free];
    uint8_t *p = tx_slots + *slot * SLOT;
    memset(p, 0, NET_HDR);
    return p + NET_HDR;
}

void vnet_tx_commit(int slot, size_t len)
{
    tx.desc[slot].len = (uint32_t)(NET_HDR + len);
    vring_offer(&tx, (uint16_t)slot);
    dev.notify(&dev, QUEUE_TX);
}

/* Sent frames are reclaimed lazily, without interrupts, until frames wait
   for a slot: then the device's completions wake the event loop too. */
void vnet_tx_interrupts(int on)
{
    tx.avail[0] = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
}

int vnet_work_waiting(void)
{
    return have_device && (net_irq_seen || vring_pending(&rx) || (!tx.avail[0] && vring_pending(&tx)));
}

int vnet_receive(void (*take)(const uint8_t *frame, size_t len))
{
    if (!have_device || !vnet_work_waiting())
        return 0;
    net_irq_seen = 0;
    dev.ack(&dev);                 /* the line falls now, so a frame from here on raises it again */
    int n = 0, id;
    uint32_t len;
    while ((id = vring_take(&rx, &len)) >= 0) {
        if (id < rx_count && len > NET_HDR && len <= SLOT) {
            take(rx_slots + id * SLOT + NET_HDR, len - NET_HDR);
            n++;
        }
        if (id < rx_count)
            vring_offer(&rx, (uint16_t)id);
    }
    if (n)
        dev.notify(&dev, QUEUE_RX);
    return n;
}
