/* net_timewait.c: a new SYN may reopen a connection lwIP holds in TIME_WAIT,
   as RFC 1122 4.2.2.13 allows and Linux does. lwIP 2.1.3 answers such a SYN
   with an ACK and ignores the peer's reset (RFC 1337), so the address pair
   is refused for 2 * TCP_MSL (two minutes). Under QEMU's user networking
   every connection's peer is 10.0.2.2 with the host client's port, and the
   host reuses its ports within seconds: after some hundreds or thousands of
   connections the server closed, a new one lands on a waiting pair now and
   then, and its client stalls for two minutes (10 clients: all of them).
   Called from ip4_input (LWIP_HOOK_IP4_INPUT) before TCP sees the segment:
   a SYN past what the waiting connection received frees it, and the SYN
   then reaches the listener. The new connection's first sequence number
   follows the old one's last (net_tcp_isn), so the old one's stray
   segments cannot fall in the new one's window.
   With MEMP_MEM_MALLOC nothing bounds lwIP's TIME_WAIT list but the heap:
   a busy server would hold tens of thousands of waiting pcbs (megabytes,
   and a longer walk for every segment that is not for an open connection),
   so past NET_TIME_WAIT_MAX the oldest goes, as lwIP's own
   tcp_kill_timewait does when the heap is full. */
#include "lwip/tcp.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "net.h"
#include "param.h"

static struct {                           /* the pair last reopened, and where its sequence got to */
    ip_addr_t local_ip, remote_ip;
    u16_t local_port, remote_port;
    u32_t next_iss;
    int set;
} reopened;

static int same_pair(const ip_addr_t *lip, u16_t lport, const ip_addr_t *rip, u16_t rport)
{
    return reopened.set && lport == reopened.local_port && rport == reopened.remote_port &&
           ip_addr_cmp(lip, &reopened.local_ip) && ip_addr_cmp(rip, &reopened.remote_ip);
}

int net_timewait_input(struct pbuf *p, struct netif *inp)
{
    (void)inp;
    const struct ip_hdr *ip = p->payload;
    u16_t hlen = IPH_HL_BYTES(ip);
    if (IPH_PROTO(ip) != IP_PROTO_TCP || (IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)) ||
        p->len < hlen + TCP_HLEN)
        return 0;
    const struct tcp_hdr *tcp = (const struct tcp_hdr *)((const u8_t *)ip + hlen);
    if ((TCPH_FLAGS(tcp) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return 0;
    ip_addr_t src, dst;
    ip_addr_copy_from_ip4(src, ip->src);
    ip_addr_copy_from_ip4(dst, ip->dest);
    u16_t sport = lwip_ntohs(tcp->src), dport = lwip_ntohs(tcp->dest);
    u32_t seq = lwip_ntohl(tcp->seqno);
    struct tcp_pcb *oldest = NULL;
    int waiting = 0;
    for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
        waiting++;
        oldest = pcb;                     /* lwIP puts new ones first */
        if (pcb->remote_port == sport && pcb->local_port == dport &&
            ip_addr_cmp(&pcb->remote_ip, &src) && ip_addr_cmp(&pcb->local_ip, &dst)) {
            if (!TCP_SEQ_GT(seq, pcb->rcv_nxt))
                return 0;                 /* an old duplicate: TIME_WAIT answers it */
            reopened.local_ip = pcb->local_ip;
            reopened.remote_ip = pcb->remote_ip;
            reopened.local_port = pcb->local_port;
            reopened.remote_port = pcb->remote_port;
            reopened.next_iss = pcb->snd_nxt + 2 * TCP_WND_MAX(pcb);
            reopened.set = 1;
            tcp_abort(pcb);               /* a TIME_WAIT pcb is only unlinked and freed, no reset */
            return 0;
        }
    }
    if (waiting > NET_TIME_WAIT_MAX)
        tcp_abort(oldest);
    return 0;
}

unsigned int net_tcp_isn(const void *local_ip, unsigned local_port, const void *remote_ip, unsigned remote_port)
{
    if (same_pair(local_ip, (u16_t)local_port, remote_ip, (u16_t)remote_port)) {
        reopened.set = 0;
        return reopened.next_iss;
    }
    return net_random();
}
