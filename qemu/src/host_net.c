/* host_net.c: `__mote.net` (kernel/platform.ts, `Net`) on both targets:
   argument checks and conversions around the network device (net_device.h:
   lwIP on metal, Node's sockets on wasm), the manifest's static address, and
   the events the event loop hands to JS (step 6). */
#include <string.h>
#include "host.h"
#include "net_device.h"

static JSValue uint8array;                 /* the constructor, for checks and for received bytes */
static int have_uint8array;

/* The engine's own Uint8Array constructor, whatever a program has done to
   globalThis. QuickJS makes the typed arrays at their first use
   (quickjs-boot-lazy-intrinsics.patch): reading the global at boot made
   them at every boot (issue 11); JS_EXCEPTION (out of memory) if they could
   not be made now. */
static JSValue engine_uint8array(JSContext *ctx)
{
#ifdef JS_HAS_INTRINSIC_GLOBAL
    if (!have_uint8array) {
        JSValue v = JS_GetIntrinsicGlobal(ctx, "Uint8Array");
        if (JS_IsException(v))
            return v;
        uint8array = v;                    /* kept for the host's life */
        have_uint8array = 1;
    }
#endif
    return uint8array;
}

/* A strict IPv4 literal: four decimal numbers 0..255 without leading zeros. */
static int parse_ipv4(const char *s, struct netdev_ip *out)
{
    uint32_t parts[4];
    for (int i = 0; i < 4; i++) {
        if (*s < '0' || *s > '9')
            return -1;
        const char *start = s;
        uint32_t v = 0;
        while (*s >= '0' && *s <= '9' && s - start < 4)
            v = v * 10 + (uint32_t)(*s++ - '0');
        if (v > 255 || s - start > 3 || (*start == '0' && s - start > 1))
            return -1;
        parts[i] = v;
        if (i < 3 && *s++ != '.')
            return -1;
    }
    if (*s)
        return -1;
    for (int i = 0; i < 4; i++)
        out->b[i] = (uint8_t)parts[i];
    return 0;
}

/* The argument checks, with the errors apps see; the hosted runner's wasm
   engine compiles this file too, so an app fails alike on both. */
static int ip_arg(JSContext *ctx, JSValueConst v, struct netdev_ip *out, const char *what)
{
    const char *s = JS_ToCString(ctx, v);
    if (!s)
        return -1;
    int bad = parse_ipv4(s, out);
    if (bad)
        JS_ThrowTypeError(ctx, "%s: %s is not an IPv4 address", what, s);
    JS_FreeCString(ctx, s);
    return bad ? -1 : 0;
}

static int port_arg(JSContext *ctx, JSValueConst v, int lo, const char *what)
{
    double d;
    if (JS_ToFloat64(ctx, &d, v))
        return -1;
    if (!(d >= lo && d <= 65535) || d != (double)(int)d) {
        JSValue n = JS_NewFloat64(ctx, d);
        const char *num = JS_ToCString(ctx, n);                   /* as JS prints it */
        JS_ThrowRangeError(ctx, "%s: port %s is outside %d..65535", what, num ? num : "?", lo);
        JS_FreeCString(ctx, num);
        JS_FreeValue(ctx, n);
        return -1;
    }
    return (int)d;
}

static uint32_t id_arg(JSContext *ctx, JSValueConst v)
{
    int32_t id = 0;
    JS_ToInt32(ctx, &id, v);
    return id > 0 ? (uint32_t)id : 0;
}

/* The bytes of a Uint8Array; NULL with a TypeError thrown for anything else. */
static const uint8_t *bytes_arg(JSContext *ctx, JSValueConst v, size_t *n, const char *what)
{
    size_t off, len, per;
    JSValue ctor = engine_uint8array(ctx);
    if (JS_IsException(ctor))
        return NULL;
    JSValue buf = JS_GetTypedArrayBuffer(ctx, v, &off, &len, &per);
    if (JS_IsException(buf) || per != 1 || JS_IsInstanceOf(ctx, v, ctor) != 1) {
        if (JS_IsException(buf))
            JS_FreeValue(ctx, JS_GetException(ctx));
        JS_FreeValue(ctx, buf);
        JS_ThrowTypeError(ctx, "%s: the data must be a Uint8Array", what);
        return NULL;
    }
    size_t size;
    uint8_t *p = JS_GetArrayBuffer(ctx, &size, buf);
    JS_FreeValue(ctx, buf);                /* the view keeps it alive */
    if (!p)
        return NULL;                       /* detached: the exception is pending */
    *n = len;
    return p + off;
}

/* The device and lwIP start at the app's first use of the network, not at
   boot: an app that never uses it pays neither the ~127 KiB of heap nor the
   boot time (host_net_configure only reads the manifest's static address). */
static struct netdev_config config;
static int started;

static void start_once(void)
{
    if (started)
        return;
    started = 1;
    netdev_start(&config);
}

static JSValue net_address_fn(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    start_once();
    char a[16];
    netdev_address(a);
    return JS_NewString(ctx, a);
}

static JSValue net_listen(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    int port = port_arg(ctx, argv[0], 0, "listen");
    if (port < 0)
        return JS_EXCEPTION;
    start_once();
    int32_t backlog = 0;
    JS_ToInt32(ctx, &backlog, argv[1]);
    return JS_NewUint32(ctx, netdev_listen((unsigned)port, backlog < 1 ? 1 : (unsigned)backlog));
}

static JSValue net_connect(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    struct netdev_ip ip;
    int port;
    if (ip_arg(ctx, argv[0], &ip, "connect") < 0 || (port = port_arg(ctx, argv[1], 1, "connect")) < 0)
        return JS_EXCEPTION;
    start_once();
    return JS_NewUint32(ctx, netdev_connect(&ip, (unsigned)port));
}

static JSValue net_send(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    size_t n;
    const uint8_t *p = bytes_arg(ctx, argv[1], &n, "send");
    if (!p)
        return JS_EXCEPTION;
    uint32_t id = id_arg(ctx, argv[0]);
    return JS_NewInt64(ctx, id ? netdev_send(id, p, n) : -1);
}

static JSValue net_pause(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    netdev_pause(id_arg(ctx, argv[0]), JS_ToBool(ctx, argv[1]) > 0);
    return JS_UNDEFINED;
}

static JSValue net_shutdown(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    netdev_shutdown(id_arg(ctx, argv[0]));
    return JS_UNDEFINED;
}

static JSValue net_close(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    netdev_close(id_arg(ctx, argv[0]));
    return JS_UNDEFINED;
}

static JSValue net_udp_open(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    int port = port_arg(ctx, argv[0], 0, "udpOpen");
    if (port < 0)
        return JS_EXCEPTION;
    start_once();
    return JS_NewUint32(ctx, netdev_udp_open((unsigned)port));
}

static JSValue net_udp_send(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    struct netdev_ip ip;
    int port;
    size_t n;
    const uint8_t *p = bytes_arg(ctx, argv[3], &n, "udpSend");
    if (!p || ip_arg(ctx, argv[1], &ip, "udpSend") < 0 || (port = port_arg(ctx, argv[2], 1, "udpSend")) < 0)
        return JS_EXCEPTION;
    uint32_t id = id_arg(ctx, argv[0]);
    return JS_NewInt64(ctx, id ? netdev_udp_send(id, &ip, (unsigned)port, p, n) : -1);
}

static JSValue net_on_event(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    JS_FreeValue(ctx, host.net_handler);
    host.net_handler = JS_IsFunction(ctx, argv[0]) ? JS_DupValue(ctx, argv[0]) : JS_UNDEFINED;
    return JS_UNDEFINED;
}

static const JSCFunctionListEntry net_api[] = {
    JS_CFUNC_DEF("address", 0, net_address_fn),
    JS_CFUNC_DEF("listen", 2, net_listen),
    JS_CFUNC_DEF("connect", 2, net_connect),
    JS_CFUNC_DEF("send", 2, net_send),
    JS_CFUNC_DEF("pause", 2, net_pause),
    JS_CFUNC_DEF("shutdown", 1, net_shutdown),
    JS_CFUNC_DEF("close", 1, net_close),
    JS_CFUNC_DEF("udpOpen", 1, net_udp_open),
    JS_CFUNC_DEF("udpSend", 4, net_udp_send),
    JS_CFUNC_DEF("onEvent", 1, net_on_event),
};

JSValue host_net_object(JSContext *ctx)
{
#ifndef JS_HAS_INTRINSIC_GLOBAL
    JSValue global = JS_GetGlobalObject(ctx);
    uint8array = JS_GetPropertyStr(ctx, global, "Uint8Array");   /* before any program runs */
    have_uint8array = 1;
    JS_FreeValue(ctx, global);
#endif
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, o, net_api, sizeof net_api / sizeof net_api[0]);
    return o;
}

static int manifest_ip(JSContext *ctx, JSValueConst v, struct netdev_ip *out)
{
    const char *s = JS_IsString(v) ? JS_ToCString(ctx, v) : NULL;
    int r = s ? parse_ipv4(s, out) : -1;
    if (s)
        JS_FreeCString(ctx, s);
    return r;
}

/* The manifest's "net": {"address", "netmask", "gateway"} gives a static
   address; without it (or with an address that does not parse) DHCP. */
static void read_static(JSContext *ctx, JSValueConst manifest, struct netdev_config *cfg)
{
    JSValue net = JS_GetPropertyStr(ctx, manifest, "net");
    if (JS_IsObject(net)) {
        JSValue a = JS_GetPropertyStr(ctx, net, "address");
        JSValue m = JS_GetPropertyStr(ctx, net, "netmask");
        JSValue g = JS_GetPropertyStr(ctx, net, "gateway");
        if (manifest_ip(ctx, a, &cfg->address) < 0)
            cfg->address = (struct netdev_ip){ { 0, 0, 0, 0 } };
        else if (manifest_ip(ctx, m, &cfg->netmask) < 0)
            cfg->netmask = (struct netdev_ip){ { 255, 255, 255, 0 } };
        if (manifest_ip(ctx, g, &cfg->gateway) < 0)
            cfg->gateway = (struct netdev_ip){ { 0, 0, 0, 0 } };
        JS_FreeValue(ctx, a);
        JS_FreeValue(ctx, m);
        JS_FreeValue(ctx, g);
    }
    JS_FreeValue(ctx, net);
}

void host_net_configure(JSContext *ctx, JSValueConst manifest)
{
    memset(&config, 0, sizeof config);
    read_static(ctx, manifest, &config);
}

static void free_array_buffer(JSRuntime *rt, void *opaque, void *ptr)
{
    (void)opaque;
    js_free_rt(rt, ptr);
}

/* A fresh Uint8Array holding the event's bytes (the device still holds them). */
static JSValue bytes_of(JSContext *ctx, const struct netdev_event *ev)
{
    size_t n = ev->length;
    JSValue ctor = engine_uint8array(ctx);
    if (JS_IsException(ctor))
        return ctor;
    uint8_t *copy = js_malloc(ctx, n ? n : 1);
    if (!copy)
        return JS_EXCEPTION;
    netdev_event_bytes(ev, copy);
    JSValue ab = JS_NewArrayBuffer(ctx, copy, n, free_array_buffer, NULL, 0);
    if (JS_IsException(ab))
        return ab;
    JSValue view = JS_CallConstructor(ctx, ctor, 1, (JSValueConst *)&ab);
    JS_FreeValue(ctx, ab);
    return view;
}

static const char *const kind_names[] = {
    [NETDEV_LISTENING] = "listening", [NETDEV_ACCEPTED] = "accepted", [NETDEV_CONNECTED] = "connected",
    [NETDEV_DATA] = "data", [NETDEV_WRITABLE] = "writable", [NETDEV_CLOSED] = "closed",
    [NETDEV_ERROR] = "error", [NETDEV_DATAGRAM] = "datagram",
};

/* Step 6: the next event as the handler's arguments; 0 if there is none, or
   no handler to take it (events wait for one). With no memory for the
   arguments, received bytes go back to their socket for a later turn and a
   datagram is dropped; JS sees no error. */
int host_net_next_event(JSContext *ctx, JSValue args[4])
{
    struct netdev_event ev;
    if (!JS_IsFunction(ctx, host.net_handler) || !netdev_next_event(&ev))
        return 0;
    int n = 2;
    args[0] = JS_NewString(ctx, kind_names[ev.kind]);
    args[1] = JS_NewUint32(ctx, ev.id);
    switch (ev.kind) {
    case NETDEV_LISTENING:
        args[n++] = JS_NewUint32(ctx, ev.number);
        break;
    case NETDEV_ACCEPTED:
        args[n++] = JS_NewUint32(ctx, ev.number);
        args[n++] = JS_NewString(ctx, ev.address);
        break;
    case NETDEV_CONNECTED:
        args[n++] = JS_NewString(ctx, ev.address);
        break;
    case NETDEV_DATA:
        args[n++] = bytes_of(ctx, &ev);
        break;
    case NETDEV_DATAGRAM:
        args[n++] = bytes_of(ctx, &ev);
        args[n++] = JS_NewString(ctx, ev.address);
        break;
    case NETDEV_ERROR:
        args[n++] = JS_NewString(ctx, ev.reason);
        break;
    default:
        break;
    }
    int failed = 0;
    for (int i = 0; i < n; i++)
        failed |= JS_IsException(args[i]);
    if (failed) {
        for (int i = 0; i < n; i++)
            JS_FreeValue(ctx, args[i]);
        JS_FreeValue(ctx, JS_GetException(ctx));
        netdev_event_done(&ev, 1);         /* data is told again later; the rest is dropped */
        return 0;
    }
    netdev_event_done(&ev, 0);
    return n;
}

int host_net_open(void) { return netdev_open(); }
