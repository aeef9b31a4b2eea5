/* net_device.c: the wasm target's network device (src/net_device.h):
   imports that the Node driver implements with the Node hosts' sockets
   (builder/hosted/wasm/net-imports.ts over builder/hosted/net.ts's NodeNet),
   instead of lwIP. host_net.c above it is metal's: the same argument checks,
   the same event per loop turn. Received bytes stay in Node until JS has
   memory for them. */
#include <string.h>
#include "mote.h"
#include "../src/net_device.h"
#include "import.h"

/* What net_event writes: the event at the head of the driver's queue, which
   it holds until net_event_done. */
struct wasm_net_event {
    uint32_t kind;             /* netdev_event_kind */
    uint32_t id, number, length;
    char text[48];             /* the address, or the error's reason; NUL-terminated */
};

IMPORT("net_address") int net_address_import(uint32_t out, uint32_t max);   /* bytes written */
IMPORT("net_listen") uint32_t net_listen_import(unsigned port, unsigned backlog);
IMPORT("net_connect") uint32_t net_connect_import(uint32_t ip, unsigned port);  /* ip: a.b.c.d as bytes a, b, c, d */
IMPORT("net_send") double net_send_import(uint32_t id, uint32_t bytes, uint32_t n);
IMPORT("net_pause") void net_pause_import(uint32_t id, int paused);
IMPORT("net_shutdown") void net_shutdown_import(uint32_t id);
IMPORT("net_close") void net_close_import(uint32_t id);
IMPORT("net_udp_open") uint32_t net_udp_open_import(unsigned port);
IMPORT("net_udp_send") double net_udp_send_import(uint32_t id, uint32_t ip, unsigned port, uint32_t bytes, uint32_t n);
IMPORT("net_open") int net_open_import(void);
IMPORT("net_event") int net_event_import(uint32_t ev);   /* a struct wasm_net_event */
IMPORT("net_event_bytes") void net_event_bytes_import(uint32_t into);
IMPORT("net_event_done") void net_event_done_import(int keep);

static uint32_t ip_word(const struct netdev_ip *ip)
{
    uint32_t w;
    memcpy(&w, ip->b, 4);                /* little endian: b[0] is the low byte */
    return w;
}

void netdev_start(const struct netdev_config *cfg) { (void)cfg; }   /* Node's sockets need no start */

void netdev_address(char out[16])
{
    int n = net_address_import(wasm_addr(out), 15);
    out[n > 0 ? n : 0] = 0;
}

uint32_t netdev_listen(unsigned port, unsigned backlog) { return net_listen_import(port, backlog); }
uint32_t netdev_connect(const struct netdev_ip *ip, unsigned port) { return net_connect_import(ip_word(ip), port); }
long netdev_send(uint32_t id, const uint8_t *bytes, size_t n) { return (long)net_send_import(id, wasm_addr(bytes), (uint32_t)n); }
void netdev_pause(uint32_t id, int paused) { net_pause_import(id, paused); }
void netdev_shutdown(uint32_t id) { net_shutdown_import(id); }
void netdev_close(uint32_t id) { net_close_import(id); }
uint32_t netdev_udp_open(unsigned port) { return net_udp_open_import(port); }

long netdev_udp_send(uint32_t id, const struct netdev_ip *ip, unsigned port, const uint8_t *bytes, size_t n)
{
    return (long)net_udp_send_import(id, ip_word(ip), port, wasm_addr(bytes), (uint32_t)n);
}

int netdev_open(void) { return net_open_import(); }

static char reason[48];                  /* the last error's, until the next event */

int netdev_next_event(struct netdev_event *ev)
{
    struct wasm_net_event w;
    if (!net_event_import(wasm_addr(&w)))
        return 0;
    memset(ev, 0, sizeof *ev);
    ev->kind = (enum netdev_event_kind)w.kind;
    ev->id = w.id;
    ev->number = w.number;
    ev->length = w.length;
    w.text[sizeof w.text - 1] = 0;
    if (ev->kind == NETDEV_ERROR) {
        memcpy(reason, w.text, sizeof reason);
        ev->reason = reason;
    } else {
        strncpy(ev->address, w.text, sizeof ev->address - 1);
    }
    return 1;
}

void netdev_event_bytes(const struct netdev_event *ev, uint8_t *into)
{
    (void)ev;
    net_event_bytes_import(wasm_addr(into));
}

void netdev_event_done(struct netdev_event *ev, int keep)
{
    net_event_done_import(keep && ev->kind == NETDEV_DATA);
}

/* host.c's calls into metal's lwIP: nothing to poll here, as Node's own
   loop runs the sockets and the driver wakes the engine on each event. */
void net_poll(void) {}
void sock_poll(void) {}
int  net_work_waiting(void) { return 0; }
uint64_t net_next_timeout_ns(void) { return UINT64_MAX; }
