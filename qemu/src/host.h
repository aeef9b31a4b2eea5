/* host.h: shared between the QuickJS host files (host.c, host_api.c, host_modules.c, host_net.c). */
#ifndef HOST_H
#define HOST_H
#include "quickjs.h"
#include "mote.h"

/* What the platform object has been asked to do; the event loop acts on it. */
struct host_state {
    uint64_t total_ram;
    size_t   heap_limit;             /* the JS memory limit */
    int      timer_armed;
    uint64_t timer_deadline_ns;
    JSValue  timer_handler;
    JSValue  input_handler;          /* JS_UNDEFINED when no input is wanted */
    uint64_t guard_deadline_ns;      /* 0: disarmed */
    JSValue  guard_handler;
    int      guard_tripped;
    JSValue  net_handler;            /* net.onEvent's; JS_UNDEFINED: events wait */
};

extern struct host_state host;

void host_api_install(JSContext *ctx);                      /* globalThis.__mote */
JSValue host_manifest(JSContext *ctx, int *no_memory);      /* the payload's manifest.json as a value, or an exception */
void host_copy_install(JSContext *ctx);                     /* what __mote.copy compares with */
JSValue host_copy(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv); /* __mote.copy */
void host_modules_install(JSRuntime *rt);                    /* import resolution */
JSValue host_module_source(JSContext *ctx, const char *name);/* eval-ready module or exception */
void test_hooks_install(JSContext *ctx);                    /* test build only */
JSValue host_net_object(JSContext *ctx);                    /* __mote.net */
void host_net_configure(JSContext *ctx, JSValueConst manifest); /* the static address, if any; the device, lwIP and DHCP start at first use */
int  host_net_next_event(JSContext *ctx, JSValue args[4]);  /* step 6: handler arguments, or 0 */
int  host_net_open(void);                                   /* any socket open (step 7) */
_Noreturn void host_die_uncaught(JSContext *ctx, JSValueConst err, const char *what);
#endif
