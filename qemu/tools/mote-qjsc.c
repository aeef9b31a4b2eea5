/* mote-qjsc.c: compiles one ES module to QuickJS bytecode on the build
   machine, from the very QuickJS sources the boot layer links, so that the
   boot layer reads bytecode instead of parsing source. Under TCG, parsing
   the 10 KiB prelude took longer than the rest of the boot together.

     usage: mote-qjsc NAME < module.js > module.js.qbc
            mote-qjsc --manifest < manifest.json > manifest.json.qbc

   NAME is the module's name in the payload: stack traces and relative
   imports use it. Debug info (line numbers) is kept. A syntax error prints
   QuickJS's message and exits 1. --manifest writes the parsed manifest as
   QuickJS's object serialization after a stamp of its text
   (include/manifest_stamp.h); JSON that does not parse exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"
#include "manifest_stamp.h"

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    if (buf)
        buf[n] = 0;                              /* the parser wants a NUL after the text */
    *len = n;
    return buf;
}

/* QuickJS resolves a module's imports as it compiles it. The bytecode keeps
   only their names, as written, and the boot layer resolves them against
   the payload when it runs; here any import is an empty stand-in. */
static int stand_in_init(JSContext *ctx, JSModuleDef *m)
{
    (void)ctx; (void)m;
    return 0;
}

static JSModuleDef *stand_in(JSContext *ctx, const char *name, void *opaque)
{
    (void)opaque;
    return JS_NewCModule(ctx, name, stand_in_init);
}

static int write_manifest(JSContext *ctx, const char *text, size_t len)
{
    JSValue v = JS_ParseJSON(ctx, text, len, "manifest.json");
    if (JS_IsException(v)) {
        JSValue e = JS_GetException(ctx);
        const char *msg = JS_ToCString(ctx, e);
        fprintf(stderr, "mote-qjsc: manifest.json: %s\n", msg ? msg : "not JSON");
        return 1;
    }
    struct manifest_stamp stamp;
    manifest_stamp_of((const uint8_t *)text, len, &stamp);
    size_t size;
    uint8_t *obj = JS_WriteObject(ctx, &size, v, 0);
    if (!obj || fwrite(&stamp, sizeof stamp, 1, stdout) != 1 || fwrite(obj, 1, size, stdout) != size || fflush(stdout) != 0) {
        fprintf(stderr, "mote-qjsc: could not write the manifest\n");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mote-qjsc NAME < module.js > module.js.qbc\n       mote-qjsc --manifest < manifest.json > manifest.json.qbc\n");
        return 2;
    }
    size_t len;
    char *src = read_all(stdin, &len);
    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = rt ? JS_NewContext(rt) : NULL;
    if (!src || !ctx) {
        fprintf(stderr, "mote-qjsc: out of memory\n");
        return 1;
    }
    if (strcmp(argv[1], "--manifest") == 0)
        return write_manifest(ctx, src, len);
    JS_SetModuleLoaderFunc(rt, NULL, stand_in, NULL);
#ifdef JS_STRIP_SOURCE
    /* QuickJS 2025-04-26 writes each function's source into its bytecode
       unless told not to (2021-03-27 never does): the image carries the
       source beside it already, and the heap would hold it twice. */
    JS_SetStripInfo(rt, JS_STRIP_SOURCE);
#endif
    JSValue m = JS_Eval(ctx, src, len, argv[1], JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(m)) {
        JSValue e = JS_GetException(ctx);
        const char *msg = JS_ToCString(ctx, e);
        fprintf(stderr, "mote-qjsc: %s: %s\n", argv[1], msg ? msg : "compile error");
        return 1;
    }
    size_t size;
    uint8_t *bc = JS_WriteObject(ctx, &size, m, JS_WRITE_OBJ_BYTECODE);
    if (!bc || fwrite(bc, 1, size, stdout) != size || fflush(stdout) != 0) {
        fprintf(stderr, "mote-qjsc: could not write the bytecode\n");
        return 1;
    }
    return 0;
}
