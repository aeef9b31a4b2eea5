/* net_close.c: closing a TCP connection for JS. The pcb is cut loose from
   its socket first (no callback reaches a freed socket), then closed; one
   that still has unacknowledged data lingers (see below). */
#include "lwip/tcp.h"
#include "net.h"
#include "mote.h"
#include "param.h"

struct linger { struct tcp_pcb *pcb; uint64_t deadline; struct linger *next; };
static struct linger *lingering;
static int linger_count;

void net_tcp_forget(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
}

/* A closed connection whose sent data is not all acknowledged lingers: the
   event loop waits for it (sock_open_count) until it drains, lwIP drops it,
   or NET_LINGER_MS pass, when it is reset. So power-off at the end of a
   program does not cut off what send() took. */

static void linger_end(struct linger *l, int reset)
{
    for (struct linger **pp = &lingering; *pp; pp = &(*pp)->next)
        if (*pp == l) {
            *pp = l->next;
            break;
        }
    if (l->pcb) {
        net_tcp_forget(l->pcb);
        if (reset)
            tcp_abort(l->pcb);
    }
    linger_count--;
    host_net_free(l);
}

/* All data acknowledged: the send buffer is whole again. (Not "nothing
   unacked": the FIN's own ACK brings no tcp_sent, and may free the pcb.)
   The ACK that completes the data always brings tcp_sent, before lwIP can
   free the pcb, so a lingering pcb is never left dangling. */
static int drained(const struct tcp_pcb *pcb) { return tcp_sndbuf(pcb) == TCP_SND_BUF; }

static err_t on_linger_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)len;
    if (drained(pcb))
        linger_end(arg, 0);
    return ERR_OK;
}

static void on_linger_err(void *arg, err_t err)
{
    (void)err;
    struct linger *l = arg;
    l->pcb = NULL;                        /* lwIP has freed it */
    linger_end(l, 0);
}

void net_tcp_close(struct tcp_pcb *pcb)
{
    net_tcp_forget(pcb);
    /* Only these states keep the pcb past tcp_close (the others free it). */
    int lingers = (pcb->state == ESTABLISHED || pcb->state == CLOSE_WAIT) && !drained(pcb) &&
                  pcb->rcv_wnd == TCP_WND_MAX(pcb);
    if (tcp_close(pcb) != ERR_OK) {
        tcp_abort(pcb);                   /* no memory for the FIN: reset instead */
        return;
    }
    if (!lingers)
        return;
    struct linger *l = host_net_alloc(sizeof *l);
    if (!l)
        return;                           /* lwIP still sends it; power-off may cut it short */
    *l = (struct linger){ pcb, clock_ns() + (uint64_t)NET_LINGER_MS * 1000000, lingering };
    lingering = l;
    linger_count++;
    tcp_arg(pcb, l);
    tcp_sent(pcb, on_linger_sent);
    tcp_err(pcb, on_linger_err);
}

void net_linger_check(void)
{
    uint64_t now = clock_ns();
    for (struct linger *l = lingering, *next; l; l = next) {
        next = l->next;
        if (now >= l->deadline)
            linger_end(l, 1);
    }
}

int net_linger_count(void) { return linger_count; }
