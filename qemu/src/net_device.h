/* net_device.h: the sockets under `__mote.net`, as host_net.c asks for them,
   with one implementation per target: lwIP on virtio-net on metal
   (net_device_lwip.c, over net_socket.c and net_if.c), the Node driver's
   sockets on wasm (wasm/net_device.c, imports that builder/hosted/wasm/
   implements with NodeNet). host_net.c checks arguments and makes the JS
   values; everything below it is the device's. Calls return at once;
   outcomes come back as events, which host_net.c takes one per loop turn. */
#ifndef NET_DEVICE_H
#define NET_DEVICE_H
#include <stddef.h>
#include <stdint.h>

struct netdev_ip { uint8_t b[4]; };      /* an IPv4 address, a.b.c.d as b[0..3] */

/* The manifest's static address (address 0.0.0.0: DHCP); metal only. */
struct netdev_config { struct netdev_ip address, netmask, gateway; };

enum netdev_event_kind {
    NETDEV_LISTENING, NETDEV_ACCEPTED, NETDEV_CONNECTED, NETDEV_DATA,
    NETDEV_WRITABLE, NETDEV_CLOSED, NETDEV_ERROR, NETDEV_DATAGRAM,
};

struct netdev_event {
    enum netdev_event_kind kind;
    uint32_t id;
    uint32_t number;           /* listening: the port; accepted: the new socket's id */
    const char *reason;        /* error */
    size_t length;             /* data, datagram: bytes, read with netdev_event_bytes */
    char address[24];          /* accepted, datagram: the peer; connected: the local end */
    void *data;                /* the device's own hold on the bytes */
};

void     netdev_start(const struct netdev_config *cfg);   /* at the app's first use */
void     netdev_address(char out[16]);                     /* "" while there is none */
uint32_t netdev_listen(unsigned port, unsigned backlog);
uint32_t netdev_connect(const struct netdev_ip *ip, unsigned port);
long     netdev_send(uint32_t id, const uint8_t *bytes, size_t n);   /* bytes taken, -1 if not open */
void     netdev_pause(uint32_t id, int paused);
void     netdev_shutdown(uint32_t id);
void     netdev_close(uint32_t id);
uint32_t netdev_udp_open(unsigned port);
long     netdev_udp_send(uint32_t id, const struct netdev_ip *ip, unsigned port, const uint8_t *bytes, size_t n);
int      netdev_open(void);                                /* any socket open: the loop waits */

/* The next event, 1 if one was taken. Its bytes are copied out with
   netdev_event_bytes, and every event taken ends with netdev_event_done:
   keep = 1 (data only) when JS had no memory for it, so that it is told
   again on a later turn; otherwise its bytes are let go. */
int      netdev_next_event(struct netdev_event *ev);
void     netdev_event_bytes(const struct netdev_event *ev, uint8_t *into);
void     netdev_event_done(struct netdev_event *ev, int keep);
#endif
