/* host_api.c: the platform object (kernel/platform.ts, ABI 5) that the boot
   layer installs as globalThis.__mote. The event loop in host.c acts on what
   these functions record. */
#include "host.h"
#include <string.h>
#include "param.h"
#include "manifest_stamp.h"

#define NS_PER_MS 1000000.0
#ifdef __wasm__
#define HOST_NAME "hosted"                       /* the same C host, run by Node (wasm/) */
#else
#define HOST_NAME "metal"
#endif

static void replace(JSContext *ctx, JSValue *slot, JSValueConst v)
{
    JS_FreeValue(ctx, *slot);
    *slot = JS_IsFunction(ctx, v) ? JS_DupValue(ctx, v) : JS_UNDEFINED;
}

static JSValue api_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, argv[0]);
    if (!s)
        return JS_EXCEPTION;
    console_write(s, n);
    JS_FreeCString(ctx, s);
    return JS_UNDEFINED;
}

static JSValue api_on_input(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    replace(ctx, &host.input_handler, argv[0]);
    return JS_UNDEFINED;
}

static JSValue api_monotonic(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    return JS_NewFloat64(ctx, (double)clock_ns() / NS_PER_MS);
}

static JSValue api_wall(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    return JS_NewFloat64(ctx, (double)clock_wall_ms());
}

static JSValue api_arm_timer(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    double ms;
    if (JS_ToFloat64(ctx, &ms, argv[0]))
        return JS_EXCEPTION;
    if (!JS_IsFunction(ctx, argv[1]))
        return JS_ThrowTypeError(ctx, "armTimer: the handler must be a function");
    replace(ctx, &host.timer_handler, argv[1]);
    host.timer_deadline_ns = ms <= 0 || ms != ms ? 0 : (uint64_t)(ms * NS_PER_MS);
    host.timer_armed = 1;
    return JS_UNDEFINED;
}

static JSValue api_disarm_timer(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    host.timer_armed = 0;
    replace(ctx, &host.timer_handler, JS_UNDEFINED);
    return JS_UNDEFINED;
}

static JSValue api_guard(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    double ms;
    if (JS_ToFloat64(ctx, &ms, argv[0]))
        return JS_EXCEPTION;
    replace(ctx, &host.guard_handler, argv[1]);
    host.guard_deadline_ns = ms > 0 ? clock_ns() + (uint64_t)(ms * NS_PER_MS) : 0;
    return JS_UNDEFINED;
}

static JSValue api_memory(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    /* With the heap full, the object or a field of it cannot be made: the
       engine's out of memory is thrown, never a TypeError from setting a
       field on the failed creation, nor an object missing a field. */
    JSValue o = JS_NewObject(ctx);
    if (JS_IsException(o))
        return o;
    if (JS_SetPropertyStr(ctx, o, "totalRam", JS_NewFloat64(ctx, (double)host.total_ram)) < 0 ||
        JS_SetPropertyStr(ctx, o, "heapLimit", JS_NewFloat64(ctx, (double)host.heap_limit)) < 0 ||
        JS_SetPropertyStr(ctx, o, "heapUsed", JS_NewFloat64(ctx, (double)heap_used())) < 0 ||
        JS_SetPropertyStr(ctx, o, "reserved", JS_NewFloat64(ctx, (double)(host.total_ram - heap_capacity()))) < 0) {
        JS_FreeValue(ctx, o);
        return JS_EXCEPTION;
    }
    return o;
}

/* manifest.json.qbc's object, when its stamp says it was made from this
   very text (include/manifest_stamp.h); JS_UNDEFINED otherwise. */
static JSValue stamped_manifest(JSContext *ctx, const char *text, size_t n)
{
    size_t qn;
    const uint8_t *q = (const uint8_t *)payload_find("manifest.json.qbc", &qn);
    struct manifest_stamp want, got;
    if (!q || qn <= sizeof want)
        return JS_UNDEFINED;
    memcpy(&want, q, sizeof want);
    manifest_stamp_of((const uint8_t *)text, n, &got);
    if (memcmp(&want, &got, sizeof want) != 0)
        return JS_UNDEFINED;
    JSValue v = JS_ReadObject(ctx, q + sizeof want, qn - sizeof want, 0);
    if (JS_IsException(v)) {
        JS_FreeValue(ctx, JS_GetException(ctx));    /* the JSON says the same, at more cost */
        return JS_UNDEFINED;
    }
    return v;
}

JSValue host_manifest(JSContext *ctx, int *no_memory)
{
    *no_memory = 0;
    size_t n;
    const char *text = payload_find("manifest.json", &n);
    if (!text)
        return JS_ThrowReferenceError(ctx, "the image has no manifest.json");
    JSValue v = stamped_manifest(ctx, text, n);
    if (!JS_IsUndefined(v))
        return v;
    char *copy = js_malloc(ctx, n + 1);
    if (!copy) {
        *no_memory = 1;
        return JS_EXCEPTION;
    }
    memcpy(copy, text, n);
    copy[n] = 0;
    v = JS_ParseJSON(ctx, copy, n, "manifest.json");
    js_free(ctx, copy);
    return v;
}

static JSValue api_manifest(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    int no_memory;
    return host_manifest(ctx, &no_memory);
}

static JSValue api_exit(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    int code;
    if (JS_ToInt32(ctx, &code, argv[0]))
        return JS_EXCEPTION;
    if (code < 0 || code > 127)
        return JS_ThrowRangeError(ctx, "exit: status %d is outside 0..127", code);
    power_off(code);
}

static JSValue api_command_line(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    size_t n;
    const char *s = cmdline(&n);
    return JS_NewStringLen(ctx, s, n);
}

/* random(into): fill a Uint8Array with secret random bytes; throws when the
   machine has no entropy source (entropy.c says which it uses). */
static JSValue api_random(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    size_t off, len, per, size;
    JSValue buf = JS_GetTypedArrayBuffer(ctx, argv[0], &off, &len, &per);
    if (JS_IsException(buf))
        return JS_EXCEPTION;
    uint8_t *p = JS_GetArrayBuffer(ctx, &size, buf);
    JS_FreeValue(ctx, buf);                /* the view keeps it alive */
    if (!p)
        return JS_EXCEPTION;
    if (per != 1)
        return JS_ThrowTypeError(ctx, "random: the argument must be a Uint8Array");
    if (entropy_fill(p + off, len) < 0)
        return JS_ThrowInternalError(ctx, "random: this machine has no entropy source: no RDSEED or RDRAND, and no "
                                          "virtio-rng device (mote boot attaches one; with QEMU itself add -device "
                                          "virtio-rng-device on microvm or virtio-rng-pci on pc)");
    return JS_UNDEFINED;
}

static const JSCFunctionListEntry api[] = {
    JS_PROP_INT32_DEF("abi", MOTE_PLATFORM_ABI, 0),
    JS_PROP_STRING_DEF("host", HOST_NAME, 0),
    JS_CFUNC_DEF("write", 1, api_write),
    JS_CFUNC_DEF("onInput", 1, api_on_input),
    JS_CFUNC_DEF("monotonicMs", 0, api_monotonic),
    JS_CFUNC_DEF("wallMs", 0, api_wall),
    JS_CFUNC_DEF("armTimer", 2, api_arm_timer),
    JS_CFUNC_DEF("disarmTimer", 0, api_disarm_timer),
    JS_CFUNC_DEF("guard", 2, api_guard),
    JS_CFUNC_DEF("memory", 0, api_memory),
    JS_CFUNC_DEF("manifest", 0, api_manifest),
    JS_CFUNC_DEF("exit", 1, api_exit),
    JS_CFUNC_DEF("commandLine", 0, api_command_line),
    JS_CFUNC_DEF("random", 1, api_random),
    JS_CFUNC_DEF("copy", 3, host_copy),                    /* host_copy.c */
};

void host_api_install(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue obj = JS_NewObject(ctx);
    host_copy_install(ctx);
    JS_SetPropertyFunctionList(ctx, obj, api, sizeof api / sizeof api[0]);
    JS_DefinePropertyValueStr(ctx, obj, "net", host_net_object(ctx), JS_PROP_ENUMERABLE);   /* host_net.c */
    JS_SetPropertyStr(ctx, global, "__mote", obj);
    JS_FreeValue(ctx, global);
}
