/* net_device_lwip.c: metal's network device (net_device.h): lwIP's sockets
   (net_socket.c) on the virtio-net interface (net_if.c), as they were called
   from host_net.c before wasm got a device of its own. Received bytes stay
   in their pbuf chain until JS has them. */
#include <string.h>
#include "net.h"
#include "net_device.h"
#include "mote.h"

_Static_assert(NET_LISTENING == (int)NETDEV_LISTENING && NET_ACCEPTED == (int)NETDEV_ACCEPTED &&
               NET_CONNECTED == (int)NETDEV_CONNECTED && NET_DATA == (int)NETDEV_DATA &&
               NET_WRITABLE == (int)NETDEV_WRITABLE && NET_CLOSED == (int)NETDEV_CLOSED &&
               NET_ERROR == (int)NETDEV_ERROR && NET_DATAGRAM == (int)NETDEV_DATAGRAM,
               "net_event_kind and netdev_event_kind list the kinds in the same order");

static ip4_addr_t ip_of(const struct netdev_ip *ip)
{
    ip4_addr_t a;
    IP4_ADDR(&a, ip->b[0], ip->b[1], ip->b[2], ip->b[3]);
    return a;
}

void netdev_start(const struct netdev_config *cfg)
{
    struct net_config c = { ip_of(&cfg->address), ip_of(&cfg->netmask), ip_of(&cfg->gateway) };
    if (net_start(&c) == -2)               /* else no device: every socket gets 'enetdown' too */
        console_puts("mote: the network did not start: its buffers did not fit in the heap (about 125 KiB); every socket ends in 'enetdown'\n");
}

void netdev_address(char out[16]) { net_address(out); }

uint32_t netdev_listen(unsigned port, unsigned backlog) { return sock_listen(port, backlog); }

uint32_t netdev_connect(const struct netdev_ip *ip, unsigned port)
{
    ip4_addr_t a = ip_of(ip);
    return sock_connect(&a, port);
}

long netdev_send(uint32_t id, const uint8_t *bytes, size_t n) { return sock_send(id, bytes, n); }
void netdev_pause(uint32_t id, int paused) { sock_pause(id, paused); }
void netdev_shutdown(uint32_t id) { sock_shutdown(id); }
void netdev_close(uint32_t id) { sock_close(id); }
uint32_t netdev_udp_open(unsigned port) { return sock_udp_open(port); }

long netdev_udp_send(uint32_t id, const struct netdev_ip *ip, unsigned port, const uint8_t *bytes, size_t n)
{
    ip4_addr_t a = ip_of(ip);
    return sock_udp_send(id, &a, port, bytes, n);
}

int netdev_open(void) { return sock_open_count() > 0; }

int netdev_next_event(struct netdev_event *ev)
{
    struct net_event e;
    if (!sock_next_event(&e))
        return 0;
    ev->kind = (enum netdev_event_kind)e.kind;
    ev->id = e.id;
    ev->number = e.number;
    ev->reason = e.reason;
    ev->data = e.data;
    ev->length = e.data ? e.data->tot_len : 0;
    memcpy(ev->address, e.address, sizeof ev->address);
    return 1;
}

void netdev_event_bytes(const struct netdev_event *ev, uint8_t *into)
{
    struct pbuf *p = ev->data;
    pbuf_copy_partial(p, into, p->tot_len, 0);
}

void netdev_event_done(struct netdev_event *ev, int keep)
{
    if (!ev->data)
        return;
    if (keep && ev->kind == NETDEV_DATA)
        sock_unread(ev->id, ev->data);
    else
        pbuf_free(ev->data);
    ev->data = NULL;
}
