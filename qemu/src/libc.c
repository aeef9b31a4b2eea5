/* libc.c: what musl's libc.a would otherwise get from Linux. QuickJS and
   libm call these; none of them may reach a system call (the Makefile checks
   the linked image for any syscall instruction). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <pthread.h>
#include "mote.h"

#ifndef __wasm__                         /* wasm32 has no %fs: wasi-libc keeps errno in a plain global */
#include "musl_offsets.h"

#define MSR_FS_BASE 0xc0000100

/* musl reads its thread structure through %fs: the self pointer at 0, the
   stack-protector canary, errno and the locale at the offsets read from
   libc.a at build time. One thread, so one block. */
static uint8_t thread_block[512] __attribute__((aligned(64)));
static const void *c_locale[6];           /* all-null categories: the C locale */
_Static_assert(MUSL_TP_LOCALE + 8 <= sizeof thread_block, "musl thread block fits");

void tls_init(void)
{
    uintptr_t self = (uintptr_t)thread_block;
    memcpy(thread_block, &self, sizeof self);
    uint64_t canary = 0x6d6f7465u ^ (uint64_t)(uintptr_t)&canary << 16;
    memcpy(thread_block + MUSL_TP_CANARY, &canary, sizeof canary);
    const void *loc = c_locale;
    memcpy(thread_block + MUSL_TP_LOCALE, &loc, sizeof loc);
    __asm__ volatile("wrmsr" :: "c"(MSR_FS_BASE), "a"((uint32_t)self), "d"((uint32_t)(self >> 32)));
}
#endif

/* Memory: the boot layer's heap (alloc.c). */
/* QuickJS allocates through host.c's counted functions and copes with NULL;
   a failure here, in C outside the engine, has no one to report to. */
void *malloc(size_t n)
{
    void *p = heap_alloc(n);
    if (!p && n)
        mote_fatal(MOTE_EXIT_OUT_OF_MEMORY, "out of memory: the heap is dry (%lu bytes asked, %lu of %lu in use)",
                   n, heap_used(), heap_capacity());
    return p;
}
void free(void *p) { heap_free(p); }
void *realloc(void *p, size_t n) { return heap_realloc(p, n); }
size_t malloc_usable_size(void *p) { return heap_usable_size(p); }
void *calloc(size_t n, size_t m)
{
    if (m && n > (size_t)-1 / m)
        return NULL;
    void *p = heap_alloc(n * m);
    if (p)
        memset(p, 0, n * m);
    return p;
}

/* Output: everything goes to the console. */
int putchar(int c) { char ch = (char)c; console_write(&ch, 1); return c & 0xff; }

static int vprint(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    console_write(buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    return n;
}

int printf(const char *fmt, ...) { va_list ap; va_start(ap, fmt); int n = vprint(fmt, ap); va_end(ap); return n; }
int fprintf(FILE *f, const char *fmt, ...) { (void)f; va_list ap; va_start(ap, fmt); int n = vprint(fmt, ap); va_end(ap); return n; }

/* Time: monotonic from the TSC, wall from the RTC; the time zone is UTC. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
    uint64_t ns = clock_ns();
    if (id == CLOCK_REALTIME) {
        int64_t ms = clock_wall_ms();
        ts->tv_sec = ms / 1000;
        ts->tv_nsec = (ms % 1000) * 1000000 + (long)(ns % 1000000);
    } else {
        ts->tv_sec = (time_t)(ns / 1000000000);
        ts->tv_nsec = (long)(ns % 1000000000);
    }
    return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    int64_t ms = clock_wall_ms();
    tv->tv_sec = ms / 1000;
    tv->tv_usec = (ms % 1000) * 1000 + (long)(clock_ns() / 1000 % 1000);
    return 0;
}

/* musl's gmtime_r would pull in its time-zone code, which reads files. */
struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm)
{
    int64_t days = *t / 86400, secs = *t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t z = days + 719468;                       /* civil date from day count */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned mon = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = (int64_t)yoe + era * 400 + (mon <= 2);
    static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    *tm = (struct tm){0};
    tm->tm_sec = (int)(secs % 60);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm->tm_mon = (int)mon - 1;
    tm->tm_year = (int)(year - 1900);
    tm->tm_wday = (int)((days % 7 + 11) % 7);        /* 1970-01-01 was a Thursday */
    tm->tm_yday = before[tm->tm_mon] + tm->tm_mday - 1 + (leap && tm->tm_mon > 1);
    tm->tm_gmtoff = 0;
    tm->tm_zone = "UTC";
    return tm;
}

/* musl locks FILEs; the only FILEs here are vsnprintf's and strtod's, on one thread. */
int __lockfile(FILE *f) { (void)f; return 0; }
void __unlockfile(FILE *f) { (void)f; }

/* One CPU, one thread: QuickJS's atomics locks never contend. */
int pthread_mutex_lock(pthread_mutex_t *m) { (void)m; return 0; }
int pthread_mutex_unlock(pthread_mutex_t *m) { (void)m; return 0; }
int pthread_cond_init(pthread_cond_t *restrict c, const pthread_condattr_t *restrict a) { (void)c; (void)a; return 0; }
int pthread_cond_destroy(pthread_cond_t *c) { (void)c; return 0; }
int pthread_cond_signal(pthread_cond_t *c) { (void)c; return 0; }
int pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m) { (void)c; (void)m; return 0; }
int pthread_cond_timedwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m, const struct timespec *restrict t)
{
    (void)c; (void)m; (void)t;
    return 110;   /* ETIMEDOUT: nobody else can signal */
}

_Noreturn void abort(void) { mote_fatal(MOTE_EXIT_UNCAUGHT, "abort() called inside the engine"); }

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    mote_fatal(MOTE_EXIT_UNCAUGHT, "assertion failed in the engine: %s (%s:%d, %s)", expr, file, line, func);
}

_Noreturn void __stack_chk_fail(void) { mote_fatal(MOTE_EXIT_CPU_EXCEPTION, "stack smashing detected"); }
