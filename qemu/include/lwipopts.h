/* lwipopts.h: how the boot layer builds lwIP (Debian's source package, see
   scripts/fetch-lwip.sh). One thread, no OS: NO_SYS with the raw callback
   API, IPv4 with TCP, UDP, ICMP, ARP and DHCP. Every byte lwIP allocates goes
   through net_mem_* (net_port.c), which counts it against the JS heap limit,
   so a full heap makes lwIP drop a packet or refuse a connection. */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H
#include <stddef.h>

void *net_mem_malloc(size_t n);
void *net_mem_calloc(size_t count, size_t n);
void  net_mem_free(void *p);
unsigned int net_random(void);
struct pbuf; struct netif;
int net_timewait_input(struct pbuf *p, struct netif *inp);     /* net_timewait.c */
unsigned int net_tcp_isn(const void *local_ip, unsigned local_port, const void *remote_ip, unsigned remote_port);

#define NO_SYS                      1
#define SYS_LIGHTWEIGHT_PROT        0      /* interrupts never enter lwIP */
#define LWIP_NETCONN                0
#define LWIP_SOCKET                 0
#define LWIP_CALLBACK_API           1
#define LWIP_SINGLE_NETIF           0      /* the device's and the loopback interface */
#define LWIP_HAVE_LOOPIF            1      /* 127.0.0.1 */
#define LWIP_NETIF_LOOPBACK         1      /* and the node's own address: looped, not sent */

/* Memory: the counted heap for everything, pools included. */
#define MEM_LIBC_MALLOC             1
#define MEMP_MEM_MALLOC             1
#define MEM_ALIGNMENT               8
#define mem_clib_malloc             net_mem_malloc
#define mem_clib_calloc             net_mem_calloc
#define mem_clib_free               net_mem_free
/* Pools are heap blocks, so these only feed lwIP's compile-time checks. */
#define MEMP_NUM_TCP_SEG            512
#define MEMP_NUM_TCP_PCB            1024
#define MEMP_NUM_UDP_PCB            64
#define PBUF_POOL_SIZE              64

/* Protocols. */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0
#define LWIP_ARP                    1
#define LWIP_ETHERNET               1
#define LWIP_ICMP                   1
#define LWIP_RAW                    0
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1
#define DHCP_DOES_ARP_CHECK         0      /* QEMU's user net has no one to clash with; saves ~1 s */
#define LWIP_AUTOIP                 0
#define LWIP_IGMP                   0
#define LWIP_DNS                    0
#define IP_REASSEMBLY               1
#define IP_FRAG                     1
#define ARP_QUEUEING                1

/* TCP: 16 segments of window and send buffer (no window scaling). */
#define TCP_MSS                     1460
#define TCP_WND                     (16 * TCP_MSS)
#define TCP_SND_BUF                 (16 * TCP_MSS)
#define TCP_SND_QUEUELEN            (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG          1
#define TCP_QUEUE_OOSEQ             1
#define LWIP_TCP_KEEPALIVE          0
#define LWIP_TCP_TIMESTAMPS         0

/* Randomness for the first local port, DHCP's xid and TCP's initial sequence numbers. */
#define LWIP_RAND()                 ((u32_t)net_random())
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) \
    ((u32_t)net_tcp_isn(local_ip, local_port, remote_ip, remote_port))
/* A SYN may reopen a connection in TIME_WAIT (net_timewait.c). */
#define LWIP_HOOK_IP4_INPUT(p, inp)  net_timewait_input(p, inp)

#define LWIP_NETIF_STATUS_CALLBACK  1      /* net_if.c learns when DHCP binds */
#define LWIP_NETIF_HOSTNAME         0
#define LWIP_STATS                  0
#define LWIP_DEBUG                  0
#define LWIP_PROVIDE_ERRNO          0
#define CHECKSUM_CHECK_IP           1      /* virtio offloads nothing here: check and generate all */
#define CHECKSUM_CHECK_TCP          1
#define CHECKSUM_CHECK_UDP          1

#endif
