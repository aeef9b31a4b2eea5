/* qjs-net.c: the network bench's Linux reference. A static QuickJS
   (the same 2021-03-27 sources the boot layer links) that runs one module
   with the std and os modules, plus a `net` module of two calls that QuickJS
   lacks: listen and accept. Everything else a server needs is os's own:
   setReadHandler for readiness, read, write and close on the descriptors.

     usage: qjs-net server.js

   Built by setup.sh with musl-gcc -static, run as PID 1's child in the VM. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "quickjs-libc.h"

/* net.listen(port): a TCP socket on 0.0.0.0:port, listening; its fd. */
static JSValue net_listen(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    int port, one = 1;
    if (JS_ToInt32(ctx, &port, argv[0]))
        return JS_EXCEPTION;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1024))
        return JS_ThrowInternalError(ctx, "listen %d: %s", port, strerror(errno));
    return JS_NewInt32(ctx, fd);
}

/* net.accept(fd): a connected socket's fd (TCP_NODELAY on), or -errno. */
static JSValue net_accept(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    int fd, one = 1;
    if (JS_ToInt32(ctx, &fd, argv[0]))
        return JS_EXCEPTION;
    int c = accept(fd, NULL, NULL);
    if (c < 0)
        return JS_NewInt32(ctx, -errno);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return JS_NewInt32(ctx, c);
}

static const JSCFunctionListEntry net_funcs[] = {
    JS_CFUNC_DEF("listen", 1, net_listen),
    JS_CFUNC_DEF("accept", 1, net_accept),
};

static int net_init(JSContext *ctx, JSModuleDef *m)
{
    return JS_SetModuleExportList(ctx, m, net_funcs, sizeof net_funcs / sizeof net_funcs[0]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: qjs-net MODULE.js\n");
        return 2;
    }
    JSRuntime *rt = JS_NewRuntime();
    js_std_set_worker_new_context_func(NULL);
    js_std_init_handlers(rt);
    JSContext *ctx = JS_NewContext(rt);
    JS_SetModuleLoaderFunc(rt, NULL, js_module_loader, NULL);
    js_init_module_std(ctx, "std");
    js_init_module_os(ctx, "os");
    JSModuleDef *m = JS_NewCModule(ctx, "net", net_init);
    JS_AddModuleExportList(ctx, m, net_funcs, sizeof net_funcs / sizeof net_funcs[0]);
    js_std_add_helpers(ctx, argc - 1, argv + 1);
    size_t len;
    uint8_t *src = js_load_file(ctx, &len, argv[1]);
    if (!src) {
        fprintf(stderr, "qjs-net: cannot read %s\n", argv[1]);
        return 1;
    }
    JSValue v = JS_Eval(ctx, (char *)src, len, argv[1], JS_EVAL_TYPE_MODULE);
    if (JS_IsException(v)) {
        js_std_dump_error(ctx);
        return 1;
    }
    JS_FreeValue(ctx, v);
    js_std_loop(ctx);
    return 0;
}
