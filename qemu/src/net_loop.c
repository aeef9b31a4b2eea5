/* net_loop.c: packets a socket sends to this node itself (127.0.0.1 or its
   own address), which lwIP keeps on the interface's loop list.
   Two things differ from lwIP's own netif_poll. Only the packets queued
   before this turn are delivered; their replies wait for the next turn,
   after JS has run. And a pure ACK identical to the last one between the
   same two ports is dropped: two lwIP ends that both have a closed window
   acknowledge each other's ACKs (lwIP ACKs any segment outside its window),
   which would otherwise keep the node busy until one of them reads. On a
   loop nothing is lost, so a repeated ACK says nothing new. */
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "net.h"

#define ACK_CACHE 16
#define TCP_FLAG_ACK 0x10

struct last_ack { uint32_t ports, seq, ack; uint16_t window; };
static struct last_ack last_acks[ACK_CACHE];

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int repeated_pure_ack(const struct pbuf *p)
{
    const uint8_t *ip = p->payload;          /* lwIP copies a looped packet into one pbuf */
    if (p->len < 40 || ip[0] >> 4 != 4 || ip[9] != IP_PROTO_TCP)
        return 0;
    unsigned ihl = (ip[0] & 15u) * 4, total = (unsigned)ip[2] << 8 | ip[3];
    if (p->len < ihl + 20)
        return 0;
    const uint8_t *tcp = ip + ihl;
    if (total != ihl + (tcp[12] >> 4) * 4u || tcp[13] != TCP_FLAG_ACK)
        return 0;                            /* data, or a flag other than ACK */
    struct last_ack now = { be32(tcp), be32(tcp + 4), be32(tcp + 8), (uint16_t)(tcp[14] << 8 | tcp[15]) };
    struct last_ack *seen = &last_acks[(now.ports ^ now.ports >> 16) % ACK_CACHE];
    if (seen->ports == now.ports && seen->seq == now.seq && seen->ack == now.ack && seen->window == now.window)
        return 1;
    *seen = now;
    return 0;
}

void net_loop_deliver(void)
{
    struct netif *n;
    NETIF_FOREACH(n) {
        struct pbuf *p = n->loop_first;
        n->loop_first = n->loop_last = NULL;
        while (p) {
            struct pbuf *end = p;                /* one packet's pbufs, then the next packet's */
            while (end->len != end->tot_len)
                end = end->next;
            struct pbuf *next = end->next;
            end->next = NULL;
            p->if_idx = netif_get_index(n);
            if (repeated_pure_ack(p) || ip_input(p, n) != ERR_OK)
                pbuf_free(p);
            p = next;
        }
    }
}
