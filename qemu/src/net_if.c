/* net_if.c: lwIP's one network interface, on the virtio-net device. DHCP
   unless the manifest gives a static address (QEMU's user networking hands
   out 10.0.2.15, gateway 10.0.2.2). Frames are copied both ways: into a
   fresh pbuf on receipt (none to be had: the frame is dropped), into a
   transmit slot on send. With every slot in flight, frames wait in a queue
   of NET_TX_QUEUE (past it they are dropped, and TCP sends them again). */
#include <string.h>
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "net.h"
#include "mote.h"
#include "param.h"

static struct netif netif;
static uint8_t mac[6];
static int started;

static struct pbuf *waiting[NET_TX_QUEUE];
static unsigned waiting_first, waiting_count;

static int send_now(struct pbuf *p)
{
    int slot;
    uint8_t *frame = vnet_tx_buffer(&slot);
    if (!frame)
        return -1;
    pbuf_copy_partial(p, frame, p->tot_len, 0);
    vnet_tx_commit(slot, p->tot_len);
    return 0;
}

static void send_waiting(void)
{
    while (waiting_count && send_now(waiting[waiting_first % NET_TX_QUEUE]) == 0) {
        pbuf_free(waiting[waiting_first++ % NET_TX_QUEUE]);
        waiting_count--;
    }
    vnet_tx_interrupts(waiting_count > 0);
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (p->tot_len > VNET_MAX_FRAME)
        return ERR_VAL;
    if (waiting_count == 0 && send_now(p) == 0)
        return ERR_OK;
    if (waiting_count == NET_TX_QUEUE)
        return ERR_MEM;
    pbuf_ref(p);                                  /* held until copied out: all data in it is lwIP's own copy */
    waiting[(waiting_first + waiting_count++) % NET_TX_QUEUE] = p;
    vnet_tx_interrupts(1);
    return ERR_OK;
}

static err_t interface_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = 'n';
    n->mtu = 1500;
    n->hwaddr_len = 6;
    memcpy(n->hwaddr, mac, 6);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

static void take_frame(const uint8_t *frame, size_t len)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
    if (!p)
        return;                                   /* the heap is full: drop it */
    memcpy(p->payload, frame, len);
    if (netif.input(p, &netif) != ERR_OK)
        pbuf_free(p);
}

int net_start(const struct net_config *cfg)
{
    int device = vnet_init(mac);
    if (device < 0)
        return device;                            /* -1: no device, -2: no heap for its buffers */
    lwip_init();
    if (!netif_add(&netif, &cfg->address, &cfg->netmask, &cfg->gateway, NULL, interface_init, ethernet_input))
        return -1;
    netif_set_default(&netif);
    netif_set_up(&netif);
    netif_set_link_up(&netif);
    if (ip4_addr_isany_val(cfg->address) && dhcp_start(&netif) != ERR_OK)
        return -1;
    started = 1;
    return 0;
}

int net_up(void) { return started; }


/* Work for net_poll now: frames in, slots freed, or looped-back packets
   queued (those raise no interrupt). */
int net_work_waiting(void)
{
    if (!started)
        return 0;
    if (vnet_work_waiting())
        return 1;
    struct netif *n;
    NETIF_FOREACH(n)
        if (n->loop_first)
            return 1;
    return 0;
}

void net_poll(void)
{
    if (!started)
        return;
    vnet_receive(take_frame);
    if (waiting_count)
        send_waiting();
    net_loop_deliver();                           /* packets this node sent itself */
    sys_check_timeouts();
}

uint64_t net_next_timeout_ns(void)
{
    if (!started)
        return UINT64_MAX;
    u32_t ms = sys_timeouts_sleeptime();
    return ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT64_MAX : clock_ns() + (uint64_t)ms * 1000000;
}

int net_has_address(void)
{
    return started && !ip4_addr_isany_val(*netif_ip4_addr(&netif));
}

void net_address(char out[16])
{
    out[0] = 0;
    if (net_has_address())
        ip4addr_ntoa_r(netif_ip4_addr(&netif), out, 16);
}
