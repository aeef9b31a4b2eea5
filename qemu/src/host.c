/* host.c: QuickJS on the boot layer, in the order of QuickJS's own qjs.c:
   a runtime over our allocator with memory and stack limits, a context, the
   platform object, the network, the entry module, then the event loop that
   kernel/platform.ts describes. */
#include <stdio.h>
#include <string.h>
#include "host.h"
#include "net.h"
#include "param.h"
#include "boot_step.h"

#define BLOCK_OVERHEAD 16          /* alloc.c's header, counted against the limit */
#define MAX_REJECTIONS 32

struct host_state host;

/* Overridden by test_hooks.c in the test build only. */
__attribute__((weak)) void test_hooks_install(JSContext *ctx) { (void)ctx; }

/* Unhandled rejections: remembered until handled, fatal if still there once
   the job queue is empty (as Node does). */
static JSValue rejected[MAX_REJECTIONS], rejected_reason[MAX_REJECTIONS];
static int nrejected;
int host_track_rejections = 1;           /* the wasm driver may turn it off (HostedOptions.trackRejections) */

/* Running out. When an allocation would pass the limit it fails, and QuickJS
   then allocates an InternalError "out of memory" and its backtrace to throw.
   Right at the limit those would fail too, and QuickJS would throw null,
   which nobody can tell from a real null. So each failure opens a window:
   the next RESCUE_ALLOCS allocations, enough to build that error, may go up
   to OOM_RESCUE bytes past the limit. The window is short because QuickJS
   ignores some failures (a Map's hash table that cannot grow) and goes on
   allocating: those allocations must not eat the margin. The margin itself
   comes out of HEAP_RESERVE, never out of the host's own needs. */
#define RESCUE_ALLOCS 12
static int rescue_left;
static int net_allocating;               /* lwIP's allocations get no rescue window */
static size_t net_used;                  /* bytes the network holds, headers included */
static JSRuntime *runtime;

static int over_limit(JSMallocState *s, size_t grow)
{
    if (net_allocating && grow > NET_SMALL_ALLOC)   /* see host_net_alloc */
        return net_used + grow > s->malloc_limit - s->malloc_limit / NET_JS_SHARE ||
               s->malloc_size + grow > s->malloc_limit - s->malloc_limit / NET_JS_MARGIN;
    if (net_allocating)
        return s->malloc_size + grow > s->malloc_limit;
    int rescuing = rescue_left > 0;
    if (rescuing)
        rescue_left--;
    size_t limit = s->malloc_limit + (rescuing ? OOM_RESCUE : 0);
    if (s->malloc_size + grow <= limit)
        return 0;
    rescue_left = RESCUE_ALLOCS;
    return 1;
}

static void counted(JSMallocState *s, ptrdiff_t delta)
{
    s->malloc_size += delta;
}

static void *js_malloc_fn(JSMallocState *s, size_t n)
{
    if (over_limit(s, n))
        return NULL;
    void *p = heap_alloc(n);
    if (p) {
        s->malloc_count++;
        counted(s, heap_usable_size(p) + BLOCK_OVERHEAD);
    }
    return p;
}

static void js_free_fn(JSMallocState *s, void *p)
{
    if (!p)
        return;
    s->malloc_count--;
    counted(s, -(ptrdiff_t)(heap_usable_size(p) + BLOCK_OVERHEAD));
    heap_free(p);
}

static void *js_realloc_fn(JSMallocState *s, void *p, size_t n)
{
    if (!p)
        return n ? js_malloc_fn(s, n) : NULL;
    size_t old = heap_usable_size(p);
    if (n == 0) {
        js_free_fn(s, p);
        return NULL;
    }
    if (n > old && over_limit(s, n - old))
        return NULL;
    void *q = heap_realloc(p, n);
    if (q)
        counted(s, (ptrdiff_t)heap_usable_size(q) - (ptrdiff_t)old);
    return q;
}

static size_t js_usable_fn(const void *p) { return heap_usable_size(p); }

/* The network's memory (net_port.c) is JS memory too: the same counted
   functions, so a busy network leaves less to JS. Past NET_SMALL_ALLOC
   bytes, an allocation fails if the network would then hold more than
   (1 - 1/NET_JS_SHARE) of the limit, or leave JS less than 1/NET_JS_MARGIN
   of it: data held for paused or slow sockets then makes lwIP drop data
   frames (TCP sends them again) before JS runs out, while small frames
   (ACKs, FINs, resets, ARP, a short datagram) still get in. Otherwise a
   node full of held data could not even hear that its peers had gone. */
void *host_net_alloc(size_t n)
{
    net_allocating = 1;
    void *p = runtime ? js_malloc_rt(runtime, n) : NULL;
    net_allocating = 0;
    if (p)
        net_used += heap_usable_size(p) + BLOCK_OVERHEAD;
    return p;
}

void host_net_free(void *p)
{
    if (!runtime || !p)
        return;
    net_used -= heap_usable_size(p) + BLOCK_OVERHEAD;
    js_free_rt(runtime, p);
}

static const JSMallocFunctions allocator = { js_malloc_fn, js_free_fn, js_realloc_fn, js_usable_fn };

#ifdef __wasm__
void wasm_poll_stop(void);                       /* wasm/devices.c */
#endif

static int interrupt(JSRuntime *rt, void *opaque)
{
    (void)rt; (void)opaque;
#ifdef __wasm__
    wasm_poll_stop();                            /* the driver's timeout or Ctrl-C: then it does not return */
#endif
    if (host.guard_deadline_ns && clock_ns() > host.guard_deadline_ns) {
        host.guard_deadline_ns = 0;
        host.guard_tripped = 1;
        return 1;
    }
    return 0;
}

static void track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, JS_BOOL handled, void *opaque)
{
    (void)opaque;
    for (int i = 0; i < nrejected; i++)
        if (JS_VALUE_GET_PTR(rejected[i]) == JS_VALUE_GET_PTR(promise)) {
            if (handled) {
                JS_FreeValue(ctx, rejected[i]);
                JS_FreeValue(ctx, rejected_reason[i]);
                nrejected--;
                rejected[i] = rejected[nrejected];
                rejected_reason[i] = rejected_reason[nrejected];
            }
            return;
        }
    if (handled)
        return;
    if (nrejected == MAX_REJECTIONS)
        host_die_uncaught(ctx, reason, "unhandled promise rejection");
    rejected[nrejected] = JS_DupValue(ctx, promise);
    rejected_reason[nrejected++] = JS_DupValue(ctx, reason);
}

static void print_value(JSContext *ctx, JSValueConst v)
{
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, v);
    if (s) {
        console_write(s, n);
        JS_FreeCString(ctx, s);
    } else {
        console_puts("(unprintable value)");
    }
}

_Noreturn void host_die_uncaught(JSContext *ctx, JSValueConst err, const char *what)
{
    console_puts("mote: ");
    console_puts(what);
    console_puts(": ");
    print_value(ctx, err);
    console_puts("\n");
    if (JS_IsError(ctx, err)) {
        JSValue stack = JS_GetPropertyStr(ctx, err, "stack");
        if (JS_IsString(stack))
            print_value(ctx, stack);
        JS_FreeValue(ctx, stack);
    }
    power_off(MOTE_EXIT_UNCAUGHT);
}

/* An exception reached the loop: the guard's abort, or an uncaught error. */
static void handle_exception(JSContext *ctx)
{
    JSValue err = JS_GetException(ctx);
    if (host.guard_tripped) {
        JS_FreeValue(ctx, err);
        return;                                  /* the loop calls the guard's handler */
    }
    host_die_uncaught(ctx, err, "uncaught exception");
}

/* QuickJS 2024 on (the header has JS_EVAL_FLAG_ASYNC) evaluates a module to
   a promise: an error the entry module throws rejects it, and the promise of
   the module's body before it, instead of coming back as an exception. It is
   still an uncaught exception (or the guard's abort), not an unhandled
   rejection, so those rejections are taken back out of the list. */
static void check_entry_result(JSContext *ctx, JSValueConst r)
{
#ifdef JS_EVAL_FLAG_ASYNC
    if (!JS_IsObject(r) || JS_PromiseState(ctx, (JSValue)r) != JS_PROMISE_REJECTED)
        return;
    JSValue reason = JS_PromiseResult(ctx, (JSValue)r);
    for (int i = nrejected - 1; i >= 0; i--)
        if (JS_VALUE_GET_TAG(rejected_reason[i]) == JS_VALUE_GET_TAG(reason) &&
            JS_VALUE_GET_PTR(rejected_reason[i]) == JS_VALUE_GET_PTR(reason))
            track_rejection(ctx, rejected[i], reason, 1, NULL);
    JS_Throw(ctx, reason);
    handle_exception(ctx);
#else
    (void)ctx; (void)r;
#endif
}

static void call(JSContext *ctx, JSValueConst fn, int argc, JSValueConst *argv)
{
    JSValue f = JS_DupValue(ctx, fn);            /* the handler may replace itself */
    JSValue r = JS_Call(ctx, f, JS_UNDEFINED, argc, argv);
    JS_FreeValue(ctx, f);
    if (JS_IsException(r))
        handle_exception(ctx);
    JS_FreeValue(ctx, r);
}

static void run_jobs(JSRuntime *rt)
{
    JSContext *job_ctx;
    int r;
    while ((r = JS_ExecutePendingJob(rt, &job_ctx)) != 0)
        if (r < 0)
            handle_exception(job_ctx);
}

/* A number field of the manifest's "memory" object, 0 if absent. */
static double declared(JSContext *ctx, JSValueConst memory, const char *field)
{
    double n = 0;
    JSValue v = JS_GetPropertyStr(ctx, memory, field);
    if (JS_IsNumber(v))
        JS_ToFloat64(ctx, &n, v);
    JS_FreeValue(ctx, v);
    return n > 0 ? n : 0;
}

/* The memory the app needs, in heap bytes (Manifest.memory): below `min`
   (package.json "mote.memory") or `start` (what mote build measured its
   start to need) it cannot start, so refuse to boot, saying how much more
   RAM it needs; below `full` it starts, and the console says it runs
   degraded. `mote inspect` predicts all three. */
static void check_declared_memory(JSContext *ctx, JSValueConst manifest)
{
    JSValue memory = JS_GetPropertyStr(ctx, manifest, "memory");
    double min = declared(ctx, memory, "min"), start = declared(ctx, memory, "start"), full = declared(ctx, memory, "full");
    JS_FreeValue(ctx, memory);
    double need = min > start ? min : start;
    if (need > 0x1p53)
        need = 0x1p53;                           /* a crafted manifest's: kept where KiB still print (unsigned long is 32 bits on wasm32) */
    if (need > (double)host.heap_limit)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "refusing to boot: the app needs %llu KiB of heap to start (%s), this RAM gives %lu KiB: it needs %llu KiB more RAM",
                   (unsigned long long)(need / 1024), min >= start ? "mote.memory.min" : "measured by mote build", host.heap_limit / 1024,
                   (unsigned long long)((need - (double)host.heap_limit + 1023) / 1024));
    if (full > (double)host.heap_limit) {
        char line[160];
        snprintf(line, sizeof line, "mote: degraded: the app asks for %llu KiB of heap to run fully (mote.memory.full), this RAM gives %lu KiB\n",
                 (unsigned long long)((full > 0x1p53 ? 0x1p53 : full) / 1024), host.heap_limit / 1024);
        console_puts(line);
    }
}

/* Reads the manifest: checks the declared memory, returns the entry's name. */
static const char *read_manifest(JSContext *ctx)
{
    if (!payload_find("manifest.json", NULL))
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: no manifest.json in the image");
    int no_memory;
    JSValue m = host_manifest(ctx, &no_memory);
    if (no_memory)
        mote_fatal(MOTE_EXIT_OUT_OF_MEMORY, "out of memory reading the manifest");
    if (!JS_IsObject(m))
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: manifest.json is not a JSON object");
    check_declared_memory(ctx, m);
    host_net_configure(ctx, m);                 /* the network starts at its first use */
    JSValue e = JS_GetPropertyStr(ctx, m, "entry");
    const char *name = JS_IsString(e) ? JS_ToCString(ctx, e) : NULL;
    JS_FreeValue(ctx, e);
    JS_FreeValue(ctx, m);
    if (!name)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: manifest.json has no \"entry\" string");
    return name;
}

static JSContext *context;

/* One turn of the event loop (kernel/platform.ts): the jobs, then at most one
   handler. Returns 1 when it ran one (turn again at once); otherwise 0, with
   *deadline the time to sleep until (a frame's interrupt or an input byte may
   end the sleep sooner). Powers off when nothing is left to wait for. Metal
   turns it in host_run; the wasm target's driver turns it from Node. */
/* How many bytes at the end of buf[0, n) begin a UTF-8 character that is not
   finished yet (0 to 3). */
static int utf8_unfinished(const char *buf, int n)
{
    for (int back = 1; back <= 3 && back <= n; back++) {
        unsigned char c = (unsigned char)buf[n - back];
        if ((c & 0xc0) == 0x80)
            continue;                        /* a continuation byte: look further back */
        int need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

static void fire_timer(JSContext *ctx)
{
    JSValue fn = host.timer_handler;
    host.timer_armed = 0;
    host.timer_handler = JS_UNDEFINED;
    call(ctx, fn, 0, NULL);
    JS_FreeValue(ctx, fn);
}

int host_turn(uint64_t *deadline_out)
{
    JSRuntime *rt = runtime;
    JSContext *ctx = context;
    run_jobs(rt);
    if (nrejected)
        host_die_uncaught(ctx, rejected_reason[0], "unhandled promise rejection");
    if (host.guard_tripped) {
        host.guard_tripped = 0;
        if (JS_IsFunction(ctx, host.guard_handler))
            call(ctx, host.guard_handler, 0, NULL);
        return 1;
    }
    /* A due timer goes first, but not twice running while input or a
       network event waits: the kernel keeps a 0 ms timer armed while any
       process can run, and would starve them (platform.ts, step 4). */
    static int timer_went_last;
    uint64_t now = clock_ns();
    int timer_due = host.timer_armed && now >= host.timer_deadline_ns;
    if (timer_due && !timer_went_last) {
        fire_timer(ctx);
        timer_went_last = 1;
        return 1;
    }
    timer_went_last = 0;
    int wants_input = JS_IsFunction(ctx, host.input_handler);
    if (wants_input) {
        /* The UART hands over bytes as they come: a character of several
           UTF-8 bytes may be split between reads. Its first bytes wait in
           `held` for the rest, so the handler never gets half of one. */
        static char held[3];
        static int nheld;
        char buf[256 + sizeof held];
        memcpy(buf, held, (size_t)nheld);
        int n = console_read(buf + nheld, 256);
        if (n > 0) {
            n += nheld;
            nheld = utf8_unfinished(buf, n);
            memcpy(held, buf + n - nheld, (size_t)nheld);
            if (n > nheld) {
                JSValue text = JS_NewStringLen(ctx, buf, (size_t)(n - nheld));
                call(ctx, host.input_handler, 1, &text);
                JS_FreeValue(ctx, text);
            }
            return 1;
        }
    }
    net_poll();                              /* frames in, lwIP's timers */
    sock_poll();
    JSValue args[4];
    int nargs = host_net_next_event(ctx, args);
    if (nargs > 0) {
        call(ctx, host.net_handler, nargs, args);
        for (int i = 0; i < nargs; i++)
            JS_FreeValue(ctx, args[i]);
        return 1;
    }
    if (timer_due) {                         /* nothing else waited */
        fire_timer(ctx);
        timer_went_last = 1;
        return 1;
    }
    int sockets = host_net_open();
    if (!host.timer_armed && !wants_input && !sockets)
        power_off(MOTE_EXIT_OK);             /* nothing left to do */
    uint64_t deadline = host.timer_armed ? host.timer_deadline_ns : UINT64_MAX;
    if (wants_input && !console_in_interrupts() && deadline > now + INPUT_POLL_NS)
        deadline = now + INPUT_POLL_NS;      /* no IOAPIC: the UART is polled */
    uint64_t net_deadline = net_next_timeout_ns();
    if (net_deadline < deadline)
        deadline = net_deadline;
    if (net_work_waiting())
        deadline = now;                      /* frames waiting: no sleep */
    *deadline_out = deadline;
    return 0;
}

#ifndef __wasm__
_Noreturn static void event_loop(void)
{
    for (;;) {
        uint64_t deadline;
        if (!host_turn(&deadline) && deadline > clock_ns())
            clock_wait_until(deadline);          /* a frame's interrupt wakes it too */
    }
}
#endif

/* QuickJS, the platform object, the manifest, the entry module run: all
   before the event loop's first turn. */
void host_start(uint64_t total_ram)
{
    host.total_ram = total_ram;
    host.timer_handler = host.input_handler = host.guard_handler = host.net_handler = JS_UNDEFINED;
    host.heap_limit = heap_capacity() - HEAP_RESERVE;

    JSRuntime *rt = JS_NewRuntime2(&allocator, NULL);
    if (!rt)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "not enough memory to start the JS engine (%lu bytes of heap)", heap_capacity());
    runtime = rt;
    JS_SetMemoryLimit(rt, host.heap_limit);
    JS_SetMaxStackSize(rt, JS_STACK_LIMIT);
    JS_SetInterruptHandler(rt, interrupt, NULL);
    if (host_track_rejections)
        JS_SetHostPromiseRejectionTracker(rt, track_rejection, NULL);
    host_modules_install(rt);
    JSContext *ctx = JS_NewContext(rt);
    if (!ctx)
        mote_fatal(MOTE_EXIT_TOO_LITTLE_MEMORY, "not enough memory to create the JS context (%lu bytes of heap)", heap_capacity());
    context = ctx;
    BOOT_STEP(5, total_ram > 1);                 /* the engine's runtime and context */
    host_api_install(ctx);
    test_hooks_install(ctx);                     /* a no-op outside the test build */
    BOOT_STEP(6, total_ram > 1);                 /* the platform object */

    const char *entry = read_manifest(ctx);
    if (!payload_find(entry, NULL))
        mote_fatal(MOTE_EXIT_NO_ENTRY, "payload: the entry module '%s' named by the manifest is not in the image", entry);
    JSValue m = host_module_source(ctx, entry);
    JS_FreeCString(ctx, entry);
    if (JS_IsException(m))
        handle_exception(ctx);
    BOOT_STEP(7, total_ram > 1);                 /* the manifest and the modules' bytecode read */
    JSValue r = JS_EvalFunction(ctx, m);
    if (JS_IsException(r))
        handle_exception(ctx);
    check_entry_result(ctx, r);
    JS_FreeValue(ctx, r);
    BOOT_STEP(8, total_ram > 1);                 /* the modules evaluated; then the event loop */
}

#ifndef __wasm__
_Noreturn void host_run(uint64_t total_ram)
{
    host_start(total_ram);
    event_loop();
}
#endif
