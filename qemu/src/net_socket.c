/* net_socket.c: the sockets of kernel/platform.ts's `Net` on lwIP's raw API.
   lwIP's callbacks only record what happened on the socket (a pending bit,
   received data held as pbufs, an accepted connection, a datagram); a socket
   with something to tell joins the ready list, and the event loop takes one
   event per turn from its head (sock_next_event), so recording never
   allocates and an event is never lost to a full heap.
   Backpressure: received data is acknowledged to lwIP (tcp_recved) only when
   JS takes it, so a paused or slow socket closes the peer's window. */
#include <string.h>
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "net.h"
#include "mote.h"
#include "param.h"

enum { KIND_LISTENER, KIND_TCP, KIND_UDP };
enum {                                   /* pending, in the order they are told */
    P_LISTENING = 1, P_CONNECTED = 2, P_ACCEPTED = 4, P_DATAGRAM = 8,
    P_DATA = 16, P_WRITABLE = 32, P_CLOSED = 64, P_ERROR = 128,
};
#define BUCKETS 256
#define WRITABLE_ROOM (TCP_SND_BUF / 2)   /* 'writable' once half the send buffer is free */

struct datagram { struct pbuf *p; ip_addr_t from; u16_t port; };

struct sock {
    uint32_t id;
    uint8_t kind;
    uint8_t announced;                    /* JS knows the id (an accepted one: once 'accepted' is told) */
    uint8_t linked;                       /* on the ready list */
    uint8_t freed;                        /* closed while linked: freed when it reaches the head */
    uint8_t paused, connecting, waiting_for_address, want_writable, shutdown_pending;
    unsigned pending;
    uint16_t port;                        /* bound port, for 'listening' */
    const char *error;
    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    struct pbuf *held;                    /* received, not yet given to JS */
    ip_addr_t connect_ip;
    struct sock *next, *ready_next;       /* bucket chain; ready list */
    struct sock *accepted_head, *accepted_tail, *accepted_next;   /* a listener's queue */
    struct sock *listener;
    struct datagram dgrams[NET_DATAGRAM_QUEUE];
    unsigned dgram_first, dgram_count;
};

static struct sock *buckets[BUCKETS];
static struct sock *ready_head, *ready_tail;
static uint32_t last_id;
static int open_count, waiting_count;

static struct sock *find(uint32_t id)
{
    for (struct sock *s = buckets[id % BUCKETS]; s; s = s->next)
        if (s->id == id)
            return s;
    return NULL;
}

/* A new socket, in the table. NULL if the heap is full. */
static struct sock *sock_new(int kind)
{
    struct sock *s = host_net_alloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->id = ++last_id;
    s->kind = (uint8_t)kind;
    s->announced = 1;
    s->next = buckets[s->id % BUCKETS];
    buckets[s->id % BUCKETS] = s;
    open_count++;
    return s;
}

static void unlist(struct sock *s)
{
    for (struct sock **pp = &buckets[s->id % BUCKETS]; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            open_count--;
            return;
        }
}

static void release(struct sock *s)
{
    if (s->held)
        pbuf_free(s->held);
    for (; s->dgram_count; s->dgram_count--, s->dgram_first++)
        pbuf_free(s->dgrams[s->dgram_first % NET_DATAGRAM_QUEUE].p);
    if (s->waiting_for_address)
        waiting_count--;
    s->held = NULL;
    unlist(s);
    if (s->linked)
        s->freed = 1;                     /* sock_next_event frees it */
    else
        host_net_free(s);
}

/* What can be told now: held data waits while paused, and 'closed' and
   'error' wait for held data that is still to be told. */
static unsigned tellable(const struct sock *s)
{
    unsigned p = s->pending;
    if (!s->held)
        p &= ~(unsigned)P_DATA;
    if (s->held && s->paused)
        p &= ~(unsigned)(P_DATA | P_CLOSED);
    if (s->held && !s->paused)
        p &= ~(unsigned)(P_CLOSED | P_ERROR);
    return p;
}

static void make_ready(struct sock *s)
{
    if (s->linked || !s->announced || !tellable(s))
        return;
    s->linked = 1;
    s->ready_next = NULL;
    if (ready_tail)
        ready_tail->ready_next = s;
    else
        ready_head = s;
    ready_tail = s;
}

static void mark(struct sock *s, unsigned bit)
{
    s->pending |= bit;
    make_ready(s);
}

static void fail(struct sock *s, const char *reason)
{
    s->error = reason;
    s->tcp = NULL;
    s->udp = NULL;
    mark(s, P_ERROR);
}

/* A socket that could not even be made still gets its id, and an 'error'. */
static uint32_t refuse(int kind, const char *reason)
{
    struct sock *s = sock_new(kind);
    if (!s)
        return ++last_id;                 /* no memory for a socket: an id that is never open */
    fail(s, reason);
    return s->id;
}

static void format_address(char out[24], const ip_addr_t *ip, u16_t port)
{
    char ipbuf[16];
    ip4addr_ntoa_r(ip_2_ip4(ip), ipbuf, sizeof ipbuf);
    size_t n = strlen(ipbuf);
    memcpy(out, ipbuf, n);
    out[n++] = ':';
    char digits[6];
    int d = 0;
    do digits[d++] = (char)('0' + port % 10); while ((port /= 10));
    while (d)
        out[n++] = digits[--d];
    out[n] = 0;
}

/* lwIP's callbacks. `arg` is the socket, or NULL once JS closed it. */

static void check_writable(struct sock *s, struct tcp_pcb *pcb, unsigned room)
{
    if (s->want_writable && tcp_sndbuf(pcb) >= room && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN / 2) {
        s->want_writable = 0;
        mark(s, P_WRITABLE);
    }
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)len;
    if (arg)
        check_writable(arg, pcb, WRITABLE_ROOM);
    return ERR_OK;
}

/* Every 2 s: a send refused for want of heap, with nothing in flight to
   bring a tcp_sent, is retried from here. */
static err_t on_poll(void *arg, struct tcp_pcb *pcb)
{
    if (arg)
        check_writable(arg, pcb, 1);
    return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    (void)err;
    if (!s) {
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (!p) {
        mark(s, P_CLOSED);
        return ERR_OK;
    }
    if (s->held)
        pbuf_cat(s->held, p);
    else
        s->held = p;
    mark(s, P_DATA);
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct sock *s = arg;
    if (!s)
        return;
    const char *reason = err == ERR_RST ? (s->connecting ? "econnrefused" : "econnreset")
                       : err == ERR_ABRT ? "etimedout"
                       : err == ERR_MEM ? "enomem" : "econnreset";
    s->connecting = 0;
    fail(s, reason);
}

static void watch(struct sock *s, struct tcp_pcb *pcb)
{
    s->tcp = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
    tcp_poll(pcb, on_poll, 4);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = arg;
    if (!l || err != ERR_OK || !pcb)
        return ERR_VAL;
    struct sock *s = sock_new(KIND_TCP);
    if (!s)
        return ERR_MEM;                   /* lwIP aborts the connection: refused for want of memory */
    s->announced = 0;
    s->listener = l;
    watch(s, pcb);
    tcp_backlog_delayed(pcb);             /* counts against the backlog until JS is told */
    if (l->accepted_tail)
        l->accepted_tail->accepted_next = s;
    else
        l->accepted_head = s;
    l->accepted_tail = s;
    mark(l, P_ACCEPTED);
    return ERR_OK;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)err;
    if (!s)
        return ERR_OK;
    s->connecting = 0;
    mark(s, P_CONNECTED);
    if (s->shutdown_pending)
        tcp_shutdown(pcb, 0, 1);          /* asked for before the connection was up */
    else
        check_writable(s, pcb, 1);
    return ERR_OK;
}

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from, u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (!s || s->dgram_count == NET_DATAGRAM_QUEUE) {
        pbuf_free(p);                     /* JS is behind: drop, as UDP may */
        return;
    }
    struct datagram *d = &s->dgrams[(s->dgram_first + s->dgram_count++) % NET_DATAGRAM_QUEUE];
    d->p = p;
    ip_addr_copy(d->from, *from);
    d->port = port;
    mark(s, P_DATAGRAM);
}

/* The calls. */

uint32_t sock_listen(unsigned port, unsigned backlog)
{
    if (!net_up())
        return refuse(KIND_LISTENER, "enetdown");
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb)
        return refuse(KIND_LISTENER, "enomem");
    err_t e = tcp_bind(pcb, IP4_ADDR_ANY, (u16_t)port);
    if (e != ERR_OK) {
        tcp_abort(pcb);
        return refuse(KIND_LISTENER, e == ERR_USE ? "eaddrinuse" : "einval");
    }
    struct sock *s = sock_new(KIND_LISTENER);
    struct tcp_pcb *lpcb = s ? tcp_listen_with_backlog(pcb, (u8_t)(backlog < 1 ? 1 : backlog > 255 ? 255 : backlog)) : NULL;
    if (!lpcb) {
        tcp_abort(pcb);
        if (s)
            fail(s, "enomem");
        return s ? s->id : refuse(KIND_LISTENER, "enomem");
    }
    s->tcp = lpcb;
    s->port = lpcb->local_port;
    tcp_arg(lpcb, s);
    tcp_accept(lpcb, on_accept);
    mark(s, P_LISTENING);
    return s->id;
}

static void start_connect(struct sock *s)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        fail(s, "enomem");
        return;
    }
    watch(s, pcb);
    err_t e = tcp_connect(pcb, &s->connect_ip, s->port, on_connected);
    if (e != ERR_OK) {
        net_tcp_forget(pcb);
        tcp_abort(pcb);
        fail(s, e == ERR_MEM ? "enomem" : e == ERR_RTE ? "ehostunreach" : "einval");
    }
}

uint32_t sock_connect(const ip4_addr_t *ip, unsigned port)
{
    if (!net_up())
        return refuse(KIND_TCP, "enetdown");
    struct sock *s = sock_new(KIND_TCP);
    if (!s)
        return refuse(KIND_TCP, "enomem");
    ip_addr_copy_from_ip4(s->connect_ip, *ip);
    s->port = (uint16_t)port;
    s->connecting = 1;
    if (net_has_address()) {
        start_connect(s);
    } else {
        s->waiting_for_address = 1;       /* DHCP has not answered yet */
        waiting_count++;
    }
    return s->id;
}

void sock_poll(void)
{
    net_linger_check();
    if (!waiting_count || !net_has_address())
        return;
    for (int b = 0; b < BUCKETS; b++)
        for (struct sock *s = buckets[b]; s; s = s->next)
            if (s->waiting_for_address) {
                s->waiting_for_address = 0;
                waiting_count--;
                start_connect(s);
            }
}

long sock_send(uint32_t id, const uint8_t *bytes, size_t n)
{
    struct sock *s = find(id);
    if (!s || s->kind != KIND_TCP || (!s->tcp && !s->connecting))
        return -1;
    if (s->connecting) {
        s->want_writable = n > 0;
        return 0;
    }
    size_t take = n < tcp_sndbuf(s->tcp) ? n : tcp_sndbuf(s->tcp);
    while (take > 0) {
        err_t e = tcp_write(s->tcp, bytes, (u16_t)take, TCP_WRITE_FLAG_COPY);
        if (e == ERR_OK)
            break;
        if (e != ERR_MEM) {               /* shut down for sending already: as Node's EPIPE */
            net_tcp_close(s->tcp);
            fail(s, "epipe");
            return 0;
        }
        take /= 2;                        /* the queue or the heap is full: try less */
    }
    if (take > 0)
        tcp_output(s->tcp);
    if (take < n)
        s->want_writable = 1;
    return (long)take;
}

void sock_pause(uint32_t id, int paused)
{
    struct sock *s = find(id);
    if (!s || s->kind != KIND_TCP)
        return;
    s->paused = (uint8_t)paused;
    make_ready(s);
}

void sock_shutdown(uint32_t id)
{
    struct sock *s = find(id);
    if (!s || s->kind != KIND_TCP)
        return;
    if (s->connecting)
        s->shutdown_pending = 1;
    else if (s->tcp)
        tcp_shutdown(s->tcp, 0, 1);
}

void sock_close(uint32_t id)
{
    struct sock *s = find(id);
    if (!s || !s->announced)
        return;
    if (s->kind == KIND_LISTENER) {
        if (s->tcp) {
            tcp_arg(s->tcp, NULL);
            tcp_close(s->tcp);
        }
        for (struct sock *c = s->accepted_head, *next; c; c = next) {   /* never told: refused now */
            next = c->accepted_next;
            if (c->tcp) {
                net_tcp_forget(c->tcp);
                tcp_abort(c->tcp);
            }
            release(c);
        }
    } else if (s->kind == KIND_TCP && s->tcp) {
        if (s->held)
            tcp_recved(s->tcp, s->held->tot_len);
        net_tcp_close(s->tcp);
    } else if (s->kind == KIND_UDP && s->udp) {
        udp_remove(s->udp);
    }
    release(s);
}

uint32_t sock_udp_open(unsigned port)
{
    if (!net_up())
        return refuse(KIND_UDP, "enetdown");
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb)
        return refuse(KIND_UDP, "enomem");
    err_t e = udp_bind(pcb, IP4_ADDR_ANY, (u16_t)port);
    struct sock *s = e == ERR_OK ? sock_new(KIND_UDP) : NULL;
    if (!s) {
        udp_remove(pcb);
        return refuse(KIND_UDP, e == ERR_USE ? "eaddrinuse" : e == ERR_OK ? "enomem" : "einval");
    }
    s->udp = pcb;
    s->port = pcb->local_port;
    udp_recv(pcb, on_datagram, s);
    mark(s, P_LISTENING);
    return s->id;
}

long sock_udp_send(uint32_t id, const ip4_addr_t *ip, unsigned port, const uint8_t *bytes, size_t n)
{
    struct sock *s = find(id);
    if (!s || s->kind != KIND_UDP || !s->udp)
        return -1;
    if (n > 0xffff - 28)
        return 0;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
    if (!p)
        return 0;
    memcpy(p->payload, bytes, n);
    ip_addr_t to;
    ip_addr_copy_from_ip4(to, *ip);
    err_t e = udp_sendto(s->udp, p, &to, (u16_t)port);
    pbuf_free(p);
    return e == ERR_OK ? (long)n : 0;
}

int sock_open_count(void) { return open_count + net_linger_count(); }

/* JS could not take data it was given (no memory for the bytes): it goes
   back to the front of what the socket holds, to be told again later. */
void sock_unread(uint32_t id, struct pbuf *p)
{
    struct sock *s = find(id);
    if (!s || s->kind != KIND_TCP) {
        pbuf_free(p);
        return;
    }
    if (s->held)
        pbuf_cat(p, s->held);
    s->held = p;
    mark(s, P_DATA);
}

/* One event from the socket at the head of the ready list, which then goes
   to the back if it has more to tell. */
static int tell(struct sock *s, struct net_event *ev)
{
    unsigned p = tellable(s);
    memset(ev, 0, sizeof *ev);
    ev->id = s->id;
    unsigned bit = p & -p;                /* the lowest: the order of the enum */
    s->pending &= ~bit;
    switch (bit) {
    case P_LISTENING:
        ev->kind = NET_LISTENING;
        ev->number = s->port;
        return 1;
    case P_CONNECTED:
        ev->kind = NET_CONNECTED;
        if (s->tcp)
            format_address(ev->address, &s->tcp->local_ip, s->tcp->local_port);
        return 1;
    case P_ACCEPTED: {
        struct sock *c;
        while ((c = s->accepted_head)) {
            s->accepted_head = c->accepted_next;
            if (!s->accepted_head)
                s->accepted_tail = NULL;
            if (c->tcp)
                break;
            release(c);                   /* reset before JS heard of it */
        }
        if (s->accepted_head)
            s->pending |= P_ACCEPTED;
        if (!c)
            return 0;
        c->announced = 1;
        tcp_backlog_accepted(c->tcp);
        ev->kind = NET_ACCEPTED;
        ev->number = c->id;
        format_address(ev->address, &c->tcp->remote_ip, c->tcp->remote_port);
        make_ready(c);
        return 1;
    }
    case P_DATAGRAM: {
        struct datagram *d = &s->dgrams[s->dgram_first++ % NET_DATAGRAM_QUEUE];
        if (--s->dgram_count)
            s->pending |= P_DATAGRAM;
        ev->kind = NET_DATAGRAM;
        ev->data = d->p;
        format_address(ev->address, &d->from, d->port);
        return 1;
    }
    case P_DATA:
        ev->kind = NET_DATA;
        ev->data = s->held;
        s->held = NULL;
        if (s->tcp)
            tcp_recved(s->tcp, ev->data->tot_len);   /* the window opens as JS takes it */
        return 1;
    case P_WRITABLE:
        ev->kind = NET_WRITABLE;
        return 1;
    case P_CLOSED:
        ev->kind = NET_CLOSED;
        return 1;
    case P_ERROR:
        ev->kind = NET_ERROR;
        ev->reason = s->error;
        if (s->held && s->tcp)
            tcp_recved(s->tcp, s->held->tot_len);
        release(s);                       /* the id is closed */
        return 1;
    }
    return 0;
}

int sock_next_event(struct net_event *ev)
{
    while (ready_head) {
        struct sock *s = ready_head;
        ready_head = s->ready_next;
        if (!ready_head)
            ready_tail = NULL;
        /* Still marked linked while it tells, so that release only flags it. */
        int told = !s->freed && tellable(s) ? tell(s, ev) : 0;
        s->linked = 0;
        if (s->freed)
            host_net_free(s);
        else
            make_ready(s);
        if (told)
            return 1;
    }
    return 0;
}
