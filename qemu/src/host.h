/* host.h: shared between the QuickJS host files (host.c, host_api.c, host_modules.c). */
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
};

extern struct host_state host;

void host_api_install(JSContext *ctx);                      /* globalThis.__mote */
void host_modules_install(JSRuntime *rt);                    /* import resolution */
JSValue host_module_source(JSContext *ctx, const char *name);/* eval-ready module or exception */
void test_hooks_install(JSContext *ctx);                    /* test build only */
_Noreturn void host_die_uncaught(JSContext *ctx, JSValueConst err, const char *what);
#endif
