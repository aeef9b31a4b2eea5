/* net.h: the network inside the boot layer, bottom up: the virtio-net device
   (virtio_net.c), lwIP's interface on it (net_if.c), and the sockets of
   kernel/platform.ts's `Net` on lwIP's raw API (net_socket.c), which
   host_net.c hands to JS. Nothing here runs in an interrupt: the device's
   interrupt only wakes the CPU, and the event loop calls net_poll. */
#ifndef NET_H
#define NET_H
#include <stddef.h>
#include <stdint.h>
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"

/* virtio_net.c */
extern volatile int net_irq_seen;                     /* set by isr_net (isr.S) */
int      vnet_init(uint8_t mac[6]);                   /* find, negotiate, start; 0 if a device is there, -1 if none, -2 if its buffers did not fit */
uint8_t *vnet_tx_buffer(int *slot);                   /* room for one frame, NULL if the ring is full */
void     vnet_tx_interrupts(int on);                  /* wake the loop as sent frames free slots */
void     vnet_tx_commit(int slot, size_t len);        /* send the frame written there */
int      vnet_receive(void (*take)(const uint8_t *frame, size_t len));  /* frames handed over */
int      vnet_work_waiting(void);                     /* frames in or slots freed, or an interrupt not yet seen */
#define  VNET_MAX_FRAME 1514

/* net_if.c */
struct net_config { ip4_addr_t address, netmask, gateway; };  /* address 0: use DHCP */
int  net_start(const struct net_config *cfg);         /* 0 with a device, -1 without, -2 if its buffers did not fit */
int  net_up(void);                                    /* a device was found */
void net_poll(void);                                  /* packets in, lwIP's timers */
int  net_work_waiting(void);                          /* net_poll has work now: do not halt */
uint64_t net_next_timeout_ns(void);                   /* lwIP's next timer, UINT64_MAX if none */
int  net_has_address(void);
void net_address(char out[16]);                       /* "" while there is none */

/* net_loop.c */
void net_loop_deliver(void);                          /* packets this node sent itself, queued before now */

/* net_socket.c: sockets by id. Calls return at once; outcomes become events. */
enum net_event_kind { NET_LISTENING, NET_ACCEPTED, NET_CONNECTED, NET_DATA, NET_WRITABLE, NET_CLOSED, NET_ERROR, NET_DATAGRAM };
struct net_event {
    enum net_event_kind kind;
    uint32_t id;
    uint32_t number;               /* listening: the port; accepted: the new socket's id */
    const char *reason;            /* error */
    struct pbuf *data;             /* data, datagram: the caller frees it (pbuf_free) */
    char address[24];              /* accepted, datagram: the peer; connected: the local end */
};
uint32_t sock_listen(unsigned port, unsigned backlog);
uint32_t sock_connect(const ip4_addr_t *ip, unsigned port);
long     sock_send(uint32_t id, const uint8_t *bytes, size_t n);      /* bytes taken, -1 if not open */
void     sock_pause(uint32_t id, int paused);
void     sock_shutdown(uint32_t id);
void     sock_close(uint32_t id);
uint32_t sock_udp_open(unsigned port);
long     sock_udp_send(uint32_t id, const ip4_addr_t *ip, unsigned port, const uint8_t *bytes, size_t n);
int      sock_next_event(struct net_event *ev);      /* 1 if one was taken */
void     sock_unread(uint32_t id, struct pbuf *data);  /* data JS could not take: tell it again */
int      sock_open_count(void);
void     sock_poll(void);                            /* start connects that waited for an address */

/* net_close.c */
struct tcp_pcb;
void net_tcp_forget(struct tcp_pcb *pcb);            /* no more callbacks to the socket */
void net_tcp_close(struct tcp_pcb *pcb);             /* FIN after what is queued; reset if it cannot */
int  net_linger_count(void);                         /* closed connections still delivering */
void net_linger_check(void);                         /* reset those past NET_LINGER_MS */
#endif
