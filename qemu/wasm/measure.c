/* measure.c: `mote inspect`'s figures, on the engine that runs the image
   (builder/hosted/measure.ts drives it). A runtime and context as host.c
   makes them, then each module loaded as host_modules.c loads it (its .qbc
   if the payload has one, else its source, compiled and not run), and the
   heap it added, counted by alloc.c as every run counts it. Imports get an
   empty module each, so a module's figure is its own. No limit: the heap is
   what the driver laid out. */
#include <string.h>
#include "../src/host.h"
#include "param.h"
#include "import.h"

extern const struct mote_payload_header *wasm_payload;  /* start.c */
uintptr_t mote_payload_at(void);
uintptr_t mote_cmdline_at(void);

static JSContext *measuring;

static void *m_malloc(JSMallocState *s, size_t n) { (void)s; return heap_alloc(n); }
static void m_free(JSMallocState *s, void *p) { (void)s; heap_free(p); }
static void *m_realloc(JSMallocState *s, void *p, size_t n)
{
    (void)s;
    if (!p)
        return n ? heap_alloc(n) : NULL;
    if (!n) {
        heap_free(p);
        return NULL;
    }
    return heap_realloc(p, n);
}
static size_t m_usable(const void *p) { return heap_usable_size(p); }
static const JSMallocFunctions counted = { m_malloc, m_free, m_realloc, m_usable };

static JSModuleDef *empty_module(JSContext *ctx, const char *name, void *opaque)
{
    (void)opaque;
    JSValue m = JS_Eval(ctx, "", 0, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(m))
        return NULL;
    JSModuleDef *def = JS_VALUE_GET_PTR(m);
    JS_FreeValue(ctx, m);
    return def;
}

/* Check the payload, lay the heap over the rest of memory, make the runtime
   and context: the heap they hold (the baseline), or -1 if they did not fit. */
EXPORT("mote_measure_open") double mote_measure_open(void)
{
    wasm_payload = (const struct mote_payload_header *)mote_payload_at();
    payload_init((uintptr_t)__builtin_wasm_memory_size(0) * 65536);
    uintptr_t start = (payload_end() + 15) & ~(uintptr_t)15;
    heap_add_region(start, (uintptr_t)__builtin_wasm_memory_size(0) * 65536);
    JSRuntime *rt = JS_NewRuntime2(&counted, NULL);
    if (!rt)
        return -1;
    JS_SetMaxStackSize(rt, JS_STACK_LIMIT);
    JS_SetModuleLoaderFunc(rt, NULL, empty_module, NULL);
    measuring = JS_NewContext(rt);
    return measuring ? (double)heap_used() : -1;
}

/* The heap the module named at mote_cmdline_at() (`len` bytes) holds once
   loaded, kept loaded so the next figure does not reuse its memory. On
   failure -1, and its message written to the console; -2 if the heap ran out. */
EXPORT("mote_measure") double mote_measure(double len)
{
    char name[MAX_MODULE_NAME + 1];
    size_t n = len > MAX_MODULE_NAME ? MAX_MODULE_NAME : (size_t)len;
    memcpy(name, (const char *)mote_cmdline_at(), n);
    name[n] = 0;
    size_t before = heap_used();
    JSValue m = host_module_source(measuring, name);
    if (!JS_IsException(m))
        return (double)(heap_used() - before);       /* m is never freed */
    JSValue err = JS_GetException(measuring);
    const char *text = JS_IsNull(err) ? NULL : JS_ToCString(measuring, err);
    int oom = !text || strcmp(text, "InternalError: out of memory") == 0;
    if (text) {
        console_puts(text);
        JS_FreeCString(measuring, text);
    }
    JS_FreeValue(measuring, err);
    return oom ? -2 : -1;
}
