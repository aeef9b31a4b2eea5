/* devices.c: the native target's devices, from Linux: the console is stdin
   and stdout, the clocks are clock_gettime's, power-off is exit, random
   bits come from getrandom. No network device: the shared network code
   finds none, so net.address() is "" and every socket ends in enetdown, as
   on a machine without a NIC. MOTE_NATIVE_CLOCK=cpu in the environment makes
   the monotonic clock this process's CPU time (a bench on a loaded machine:
   another process's turn no longer counts against the guest); sleeps then
   spin, since CPU time does not pass while asleep. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include "mote.h"
#include "../src/net.h"

static int input_closed;
static clockid_t clock_id = CLOCK_MONOTONIC;  /* or CLOCK_PROCESS_CPUTIME_ID: see above */

void console_init(void) {}

void console_write(const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;                                   /* stdout gone: nothing to tell */
        s += w;
        n -= (size_t)w;
    }
}

void console_puts(const char *s) { console_write(s, strlen(s)); }

/* Bytes waiting on stdin, without blocking. The end of input is 0x04, as a
   terminal's Ctrl-D (docs/HOSTED.md), once. */
int console_read(char *buf, size_t n)
{
    if (input_closed || !n)
        return 0;
    struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
    if (poll(&p, 1, 0) <= 0)
        return 0;
    ssize_t r = read(STDIN_FILENO, buf, n);
    if (r > 0)
        return (int)r;
    input_closed = 1;
    buf[0] = 0x04;
    return 1;
}

int console_in_interrupts(void) { return 1; }        /* start.c's sleep wakes on input */

/* The sleep of the event loop: until the deadline, or sooner if input comes. */
void clock_wait_until(uint64_t deadline_ns)
{
    uint64_t now = clock_ns();
    if (deadline_ns <= now || clock_id != CLOCK_MONOTONIC)
        return;
    uint64_t ms = (deadline_ns - now + 999999) / 1000000;
    struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
    poll(&p, input_closed ? 0 : 1, ms > 60000 ? 60000 : (int)ms);
}

static uint64_t t0;

void clock_init(void)
{
    const char *which = getenv("MOTE_NATIVE_CLOCK");
    if (which && strcmp(which, "cpu") == 0)
        clock_id = CLOCK_PROCESS_CPUTIME_ID;
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t clock_ns(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec - t0;
}

int64_t clock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

_Noreturn void power_off(int status)
{
    exit(status);
}

int entropy_fill(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len) {
        ssize_t r = getrandom(p, len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

unsigned int net_random(void)
{
    unsigned int v = 0;
    entropy_fill(&v, sizeof v);
    return v;
}

/* No virtio-net here. */
volatile int net_irq_seen;
int      vnet_init(uint8_t mac[6]) { (void)mac; return -1; }
uint8_t *vnet_tx_buffer(int *slot) { (void)slot; return NULL; }
void     vnet_tx_interrupts(int on) { (void)on; }
void     vnet_tx_commit(int slot, size_t len) { (void)slot; (void)len; }
int      vnet_receive(void (*take)(const uint8_t *frame, size_t len)) { (void)take; return 0; }
int      vnet_work_waiting(void) { return 0; }
