/* host_copy.c: __mote.copy (kernel/platform.ts, ABI 5), the deep copy of a
   message or table entry made of plain data, in C: what the kernel's copy
   in JS (kernel/term.ts) does for primitives, arrays and plain objects,
   without its per-object calls. It copies only what it can copy exactly as
   the JS copy would and refuses the rest before running any JS code of the
   program's (a getter, a proxy trap): the kernel then copies that term in JS.
   An array's copy is filled as the JS copy fills it (a[i] = x), so an index
   setter the program put on Array.prototype runs here as it would there. */
#include "host.h"

#define COPY_DEPTH_MAX 64               /* deeper terms are the JS copy's (its stack, not the C stack) */
#define COPY_SHARED_MAX 8               /* prototypes of the kernel's immutable values */
#define COPY_GUARD_EVERY 4096           /* elements and keys between looks at the runaway guard */

enum { COPIED = 0, REFUSED = 1, FAILED = -1 };   /* FAILED: a JS exception is pending */

static void *object_proto, *array_proto;         /* the context's own: they live as long as it */
static JSClassID proxy_class;                    /* found at the first copy: the header does not name it */
static JSValue proxy_ctor;                       /* Proxy as the engine made it, held from install or its first copy */
static JSAtom atom_length, atom_value, atom_size;
static JSValue shared_list;                      /* the last `shared` array, held (set at install), and its members */
static void *shared_list_ptr;
static void *shared[COPY_SHARED_MAX];
static int nshared;

struct copy {
    JSContext *ctx;
    int64_t size;                               /* term.ts's estimate, term for term the same */
    int depth;
    uint32_t until_guard;                       /* elements and keys left before the next look */
    void *open[COPY_DEPTH_MAX];                 /* objects being copied: one again is a cycle */
};

static int64_t string_length(JSContext *ctx, JSValueConst s)
{
    JSValue n = JS_GetProperty(ctx, s, atom_length);    /* QuickJS answers a string's length at once */
    int32_t len = 0;
    JS_ToInt32(ctx, &len, n);
    JS_FreeValue(ctx, n);
    return len;
}

static int copy_value(struct copy *c, JSValueConst v, JSValue *out, int in_array);

/* The guard's interrupt (host.c) never reaches a copy in C: one past the
   guard's deadline is refused, and the kernel's copy in JS, which the
   interrupt does reach, starts and is stopped as any runaway is. */
static int past_guard(struct copy *c)
{
    if (--c->until_guard > 0)
        return 0;
    c->until_guard = COPY_GUARD_EVERY;
    return host.guard_deadline_ns && clock_ns() > host.guard_deadline_ns;
}

/* The kernel's immutable values (Pid, Ref...): instances of `shared` pass as they are. */
static int is_shared(void *proto)
{
    for (int i = 0; i < nshared; i++)
        if (shared[i] == proto)
            return 1;
    return 0;
}

static void free_names(JSContext *ctx, JSPropertyEnum *tab, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        JS_FreeAtom(ctx, tab[i].atom);
    js_free(ctx, tab);
}

/* An own property's value: OWN_DATA (in *val), OWN_NONE, OWN_ACCESSOR, or -1. */
enum { OWN_NONE = 0, OWN_DATA = 1, OWN_ACCESSOR = 2 };
static int own_value(JSContext *ctx, JSValueConst obj, JSAtom key, JSValue *val)
{
    JSPropertyDescriptor d;
    int r = JS_GetOwnProperty(ctx, &d, obj, key);
    if (r <= 0)
        return r;
    if (d.flags & JS_PROP_GETSET) {
        JS_FreeValue(ctx, d.getter);
        JS_FreeValue(ctx, d.setter);
        return OWN_ACCESSOR;
    }
    *val = d.value;
    return OWN_DATA;
}

#ifdef JS_MOTE_NEW_LIKE
/* A plain object's copy made with its shape (quickjs-msg-like.patch), its
   values copied one by one. If a setter the copy ran (an array's element,
   copy_array) has changed obj's keys, each key left is read by name, as
   copy_object reads them. */
static int copy_like(struct copy *c, JSValueConst obj, JSValue like, int n, int64_t key_len, JSValue *out)
{
    JSContext *ctx = c->ctx;
    int r = COPIED;
    c->size += 16 + 8 * (int64_t)n + key_len;
    for (int i = 0; i < n && r == COPIED; i++) {
        if (past_guard(c)) {
            r = REFUSED;
            break;
        }
        JSValue val = JS_MoteGetSlot(ctx, obj, like, i), copy;
        if (JS_IsUninitialized(val)) {
            int got = own_value(ctx, obj, JS_MoteSlotAtom(like, i), &val);
            if (got != OWN_DATA) {
                r = got < 0 ? FAILED : REFUSED;
                break;
            }
        }
        r = copy_value(c, val, &copy, 0);
        JS_FreeValue(ctx, val);
        if (r == COPIED)
            JS_MoteSetSlot(ctx, like, i, copy);
    }
    if (r != COPIED)
        JS_FreeValue(ctx, like);
    else
        *out = like;
    return r;
}
#endif

static int copy_object(struct copy *c, JSValueConst obj, int null_proto, JSValue *out)
{
    JSContext *ctx = c->ctx;
    JSPropertyEnum *tab;
    uint32_t n;
#ifdef JS_MOTE_NEW_LIKE
    JSValue like;
    int64_t key_len;
    int slots = JS_MoteNewLike(ctx, obj, &like, &key_len);
    if (slots == -2)
        return FAILED;
    if (slots >= 0)
        return copy_like(c, obj, like, slots, key_len, out);
#endif
    if (JS_GetOwnPropertyNames(ctx, &tab, &n, obj, JS_GPN_STRING_MASK | JS_GPN_SYMBOL_MASK))
        return FAILED;
    int r = COPIED;
    if (n > 0) {                                 /* symbols come last: one is a TermError, in JS */
        JSValue last = JS_AtomToValue(ctx, tab[n - 1].atom);
        if (JS_VALUE_GET_TAG(last) == JS_TAG_SYMBOL)
            r = REFUSED;
        JS_FreeValue(ctx, last);
    }
    JSValue o = r ? JS_UNDEFINED : null_proto ? JS_NewObjectProto(ctx, JS_NULL) : JS_NewObject(ctx);
    if (JS_IsException(o))
        r = FAILED;
    c->size += 16;
    for (uint32_t i = 0; i < n && r == COPIED; i++) {
        if (past_guard(c)) {
            r = REFUSED;
            break;
        }
        if (!tab[i].is_enumerable)
            continue;
        JSValue key = JS_AtomToString(ctx, tab[i].atom), val, copy;
        if (JS_IsException(key)) {
            r = FAILED;
            break;
        }
        c->size += 8 + string_length(ctx, key);
        JS_FreeValue(ctx, key);
        int got = own_value(ctx, obj, tab[i].atom, &val);
        if (got != OWN_DATA) {
            r = got < 0 ? FAILED : REFUSED;      /* a getter is the JS copy's to call */
            break;
        }
        r = copy_value(c, val, &copy, 0);
        JS_FreeValue(ctx, val);
        if (r == COPIED && JS_DefinePropertyValue(ctx, o, tab[i].atom, copy, JS_PROP_C_W_E) < 0)
            r = FAILED;                          /* defined, not set: a "__proto__" key stays a key */
    }
    free_names(ctx, tab, n);
    if (r != COPIED)
        JS_FreeValue(ctx, o);
    else
        *out = o;
    return r;
}

static int copy_array(struct copy *c, JSValueConst arr, JSValue *out)
{
    JSContext *ctx = c->ctx;
    JSValue len_v = JS_GetProperty(ctx, arr, atom_length);
    uint32_t n;
    if (JS_ToUint32(ctx, &n, len_v)) {
        JS_FreeValue(ctx, len_v);
        return FAILED;
    }
    JS_FreeValue(ctx, len_v);
    JSValue a = JS_NewArray(ctx);
    if (JS_IsException(a))
        return FAILED;
    c->size += 16 + 8 * (int64_t)n;
    int r = COPIED;
    for (uint32_t i = 0; i < n && r == COPIED; i++) {
        if (past_guard(c)) {
            r = REFUSED;
            break;
        }
        JSAtom key = JS_NewAtomUInt32(ctx, i);
        JSValue val = JS_UNDEFINED, copy;
        int got = key == JS_ATOM_NULL ? -1 : own_value(ctx, arr, key, &val);
        JS_FreeAtom(ctx, key);
        if (got < 0 || got == OWN_ACCESSOR) {    /* a hole reads as undefined, as in JS; an accessor is JS's */
            r = got < 0 ? FAILED : REFUSED;
            break;
        }
        r = copy_value(c, val, &copy, 1);
        JS_FreeValue(ctx, val);
        /* Set, as term.ts's walk and the node host's copy do (a[i] = x):
           on a new array that is QuickJS's append, a quarter of a define's
           cost. */
        if (r == COPIED && JS_SetPropertyUint32(ctx, a, i, copy) < 0)
            r = FAILED;
    }
    if (r != COPIED)
        JS_FreeValue(ctx, a);
    else
        *out = a;
    return r;
}

/* v's copy into *out (COPIED), or REFUSED / FAILED with *out untouched.
   in_array: an array's element, whose numbers, booleans and undefined its
   16 + 8n already counted. */
static int copy_value(struct copy *c, JSValueConst v, JSValue *out, int in_array)
{
    JSContext *ctx = c->ctx;
    int tag = JS_VALUE_GET_NORM_TAG(v);
    switch (tag) {
    case JS_TAG_INT: case JS_TAG_FLOAT64: case JS_TAG_BOOL: case JS_TAG_UNDEFINED:
        c->size += in_array ? 0 : 8;
        *out = v;
        return COPIED;
    case JS_TAG_NULL:
        c->size += 8;
        *out = v;
        return COPIED;
    case JS_TAG_STRING:                          /* immutable: shared, as JS shares it */
        c->size += 16 + string_length(ctx, v);
        *out = JS_DupValue(ctx, v);
        return COPIED;
    case JS_TAG_BIG_INT:
#ifdef JS_TAG_SHORT_BIG_INT
    case JS_TAG_SHORT_BIG_INT:
#endif
        c->size += 16;
        *out = JS_DupValue(ctx, v);
        return COPIED;
    case JS_TAG_OBJECT:
        break;
    default:                                     /* symbols, and anything else: JS names the problem */
        return REFUSED;
    }
    if (JS_GetOpaque(v, proxy_class) || JS_IsFunction(ctx, v))
        return REFUSED;                          /* a proxy's traps are the JS copy's to run */
    JSValue proto_v = JS_GetPrototype(ctx, v);
    if (JS_IsException(proto_v))
        return FAILED;
    void *proto = JS_IsObject(proto_v) ? JS_VALUE_GET_PTR(proto_v) : NULL;
    JS_FreeValue(ctx, proto_v);                  /* still held by v: the pointer stays good */
    int plain = proto == NULL || proto == object_proto;
    if (!plain && !(proto == array_proto && JS_IsArray(ctx, v) == 1)) {
        if (!is_shared(proto))
            return REFUSED;                      /* Map, Set, Date, bytes, Binary, classes: JS's */
        c->size += 16;
        *out = JS_DupValue(ctx, v);
        return COPIED;
    }
    void *self = JS_VALUE_GET_PTR(v);
    for (int i = 0; i < c->depth; i++)
        if (c->open[i] == self)
            return REFUSED;                      /* a cycle: a TermError, in JS */
    if (c->depth == COPY_DEPTH_MAX)
        return REFUSED;
    c->open[c->depth++] = self;
    int r = plain ? copy_object(c, v, proto == NULL, out) : copy_array(c, v, out);
    c->depth--;
    return r;
}

/* `shared`, read again only when the kernel passes another array. */
static int take_shared(JSContext *ctx, JSValueConst list)
{
    if (JS_IsObject(list) && JS_VALUE_GET_PTR(list) == shared_list_ptr)
        return 0;
    JSValue len_v = JS_GetProperty(ctx, list, atom_length);
    uint32_t n;
    int bad = JS_ToUint32(ctx, &n, len_v);
    JS_FreeValue(ctx, len_v);
    if (bad)
        return -1;
    if (!JS_IsArray(ctx, list) || n > COPY_SHARED_MAX) {
        JS_ThrowTypeError(ctx, "copy: shared must be an array of at most %d prototypes", COPY_SHARED_MAX);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        JSValue p = JS_GetPropertyUint32(ctx, list, i);
        int ok = JS_IsObject(p);
        shared[i] = ok ? JS_VALUE_GET_PTR(p) : NULL;
        JS_FreeValue(ctx, p);                    /* the held list holds them */
        if (!ok) {
            JS_ThrowTypeError(ctx, "copy: shared must be an array of at most %d prototypes", COPY_SHARED_MAX);
            return -1;
        }
    }
    JS_FreeValue(ctx, shared_list);
    shared_list = JS_DupValue(ctx, list);
    shared_list_ptr = JS_VALUE_GET_PTR(list);
    nshared = (int)n;
    return 0;
}

/* Proxies have a class of their own; the only public way to it is to ask a
   proxy which class id its opaque pointer answers to. Found at the first
   copy, not at boot: a proxy made at boot was a twenty-fifth of the blocks
   TCG translates for hello, which never copies (issue 11, boot time), and
   evaluating `new Proxy({}, {})` before that ran the parser and compiler.
   0 when the proxy could not be made (out of memory): not found yet.
   QuickJS makes Proxy itself at its first use
   (quickjs-boot-lazy-more.patch): taken here, as the engine made it
   whatever a program has done to globalThis, not at install. */
static JSClassID find_proxy_class(JSContext *ctx)
{
#ifdef JS_HAS_INTRINSIC_GLOBAL
    if (JS_IsUndefined(proxy_ctor)) {
        JSValue v = JS_GetIntrinsicGlobal(ctx, "Proxy");
        if (JS_IsException(v)) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            return 0;
        }
        proxy_ctor = v;                          /* kept for the host's life */
    }
#endif
    JSValue parts[2] = { JS_NewObject(ctx), JS_NewObject(ctx) };
    JSValue p = JS_CallConstructor(ctx, proxy_ctor, 2, parts);
    JS_FreeValue(ctx, parts[0]);
    JS_FreeValue(ctx, parts[1]);
    if (JS_IsException(p)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return 0;
    }
    JSClassID found = (JSClassID)-1;             /* never an object's class: nothing is taken for one */
    for (JSClassID id = 1; id < 256 && found == (JSClassID)-1; id++)
        if (JS_GetOpaque(p, id))
            found = id;
    JS_FreeValue(ctx, p);
    return found;
}

/* copy(value, shared, into): true with into.value and into.size set, or false. */
JSValue host_copy(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this;
    if (argc < 3 || !JS_IsObject(argv[2]))
        return JS_ThrowTypeError(ctx, "copy: into must be an object");
    if (take_shared(ctx, argv[1]))
        return JS_EXCEPTION;
    if (!proxy_class && !(proxy_class = find_proxy_class(ctx)))
        return JS_FALSE;                         /* the JS copy copies it (and meets the same shortage) */
    struct copy c;                               /* open[] is written before it is read: not cleared (~70 instructions a copy) */
    c.ctx = ctx;
    c.size = 0;
    c.depth = 0;
    c.until_guard = COPY_GUARD_EVERY;
    JSValue out;
    int r = copy_value(&c, argv[0], &out, 0);
    if (r == FAILED)
        return JS_EXCEPTION;
    if (r == REFUSED)
        return JS_FALSE;
    if (JS_SetProperty(ctx, argv[2], atom_value, out) < 0 ||
        JS_SetProperty(ctx, argv[2], atom_size, JS_NewInt64(ctx, c.size)) < 0)
        return JS_EXCEPTION;
    return JS_TRUE;
}

void host_copy_install(JSContext *ctx)
{
    JSValue o = JS_NewObject(ctx), a = JS_NewArray(ctx);
    JSValue op = JS_GetPrototype(ctx, o), ap = JS_GetPrototype(ctx, a);
    object_proto = JS_VALUE_GET_PTR(op);
    array_proto = JS_VALUE_GET_PTR(ap);
    JS_FreeValue(ctx, op);
    JS_FreeValue(ctx, ap);
    JS_FreeValue(ctx, o);
    JS_FreeValue(ctx, a);
    shared_list = JS_UNDEFINED;
    atom_length = JS_NewAtom(ctx, "length");
    atom_value = JS_NewAtom(ctx, "value");
    atom_size = JS_NewAtom(ctx, "size");
#ifdef JS_HAS_INTRINSIC_GLOBAL
    proxy_ctor = JS_UNDEFINED;                   /* at the first copy */
#else
    JSValue global = JS_GetGlobalObject(ctx);
    proxy_ctor = JS_GetPropertyStr(ctx, global, "Proxy");   /* the engine's own: no program has run */
    JS_FreeValue(ctx, global);
#endif
}
