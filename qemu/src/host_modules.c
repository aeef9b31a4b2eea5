/* host_modules.c: `import` resolves names against the payload archive. */
#include <string.h>
#include "host.h"
#include "param.h"

/* "./b.js" imported from "app/a.js" is "app/b.js"; bare names stay as they are. */
static char *normalize(JSContext *ctx, const char *base, const char *name, void *opaque)
{
    (void)opaque;
    if (name[0] != '.')
        return js_strdup(ctx, name);
    const char *slash = strrchr(base, '/');
    size_t dir = slash ? (size_t)(slash - base) : 0;
    char *out = js_malloc(ctx, dir + strlen(name) + 2);
    if (!out)
        return NULL;
    memcpy(out, base, dir);
    out[dir] = 0;
    while (name[0] == '.') {
        if (name[1] == '/') {
            name += 2;
        } else if (name[1] == '.' && name[2] == '/') {
            name += 3;
            char *up = strrchr(out, '/');
            if (up)
                *up = 0;
            else
                out[0] = 0;
        } else {
            break;
        }
    }
    if (out[0])
        strcat(out, "/");
    strcat(out, name);
    return out;
}

/* The module's bytecode, when the builder put "NAME.qbc" beside its source:
   reading it is much faster than parsing, most of all under TCG. Bytecode
   comes from qemu/build/mote-qjsc, built from the same QuickJS sources. */
static JSValue read_bytecode(JSContext *ctx, const char *name, int *found)
{
    char qbc[MAX_MODULE_NAME + 8];
    size_t size;
    *found = 0;
    if (strlen(name) > MAX_MODULE_NAME)
        return JS_UNDEFINED;
    strcpy(qbc, name);
    strcat(qbc, ".qbc");
    const char *bc = payload_find(qbc, &size);
    if (!bc)
        return JS_UNDEFINED;
    *found = 1;
    JSValue m = JS_ReadObject(ctx, (const uint8_t *)bc, size, JS_READ_OBJ_BYTECODE);
    if (JS_IsException(m))
        return m;
    if (JS_VALUE_GET_TAG(m) != JS_TAG_MODULE) {
        JS_FreeValue(ctx, m);
        return JS_ThrowSyntaxError(ctx, "'%s' is not a module's bytecode", qbc);
    }
    if (JS_ResolveModule(ctx, m) < 0)            /* source modules resolve as they compile */
        return JS_EXCEPTION;
    return m;
}

/* The named module from the payload, compiled and its imports resolved, not run. */
JSValue host_module_source(JSContext *ctx, const char *name)
{
    int found;
    JSValue m = read_bytecode(ctx, name, &found);
    if (found)
        return m;
    size_t size;
    const char *src = payload_find(name, &size);
    if (!src)
        return JS_ThrowReferenceError(ctx, "module '%s' is not in the image", name);
    char *copy = js_malloc(ctx, size + 1);   /* the parser wants a NUL after the text */
    if (!copy)
        return JS_EXCEPTION;
    memcpy(copy, src, size);
    copy[size] = 0;
    m = JS_Eval(ctx, copy, size, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    js_free(ctx, copy);
    return m;
}

static JSModuleDef *load(JSContext *ctx, const char *name, void *opaque)
{
    (void)opaque;
    JSValue m = host_module_source(ctx, name);
    if (JS_IsException(m))
        return NULL;
    JSModuleDef *def = JS_VALUE_GET_PTR(m);
    JS_FreeValue(ctx, m);
    return def;
}

void host_modules_install(JSRuntime *rt)
{
    JS_SetModuleLoaderFunc(rt, normalize, load, NULL);
}
