/* alloc.c: the heap. Every byte of RAM above the image (and low memory below
   640 KiB) is added here as a region; QuickJS and libc allocate from it.
   Boundary-tag blocks with segregated free lists: exact bins of 16 bytes up
   to 1 KiB, then one bin per power of two, and a bitmap of non-empty bins.
   Freed blocks coalesce with free neighbours, so a region that is free
   again is one block again. In front of that sits a cache: a small block
   freed goes onto a list per exact size (still marked in use, so nothing
   coalesces with it), and the next allocation of that size takes it back
   without splitting or merging. The cache holds at most CACHE_BYTES, and
   before an allocation fails it is emptied into the free lists and the
   allocation tried again, so it never makes the heap run out sooner. A
   cached block is free for the counts: heap_used() drops when it is freed.
   A region goes to the free lists a 2 MiB step at a time, the next step when
   an allocation finds no block (grow): QEMU backs guest RAM with 2 MiB pages
   that the host zeroes at the first write, and a region handed over whole
   was written at its top at boot (its end marker), a page hello never uses
   otherwise (issue 11, boot time). The counts cover every region whole. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mote.h"

#define ALIGN       16
#define HDR         offsetof(struct block, next) /* 16: prev_size and size; the links overlay the payload */
#define MIN_BLOCK   (HDR + 16)                    /* room for the links, a multiple of ALIGN on both targets */
#define SMALL_BINS  64                        /* 16-byte steps below 1 KiB */
#define NBINS       (SMALL_BINS + 48)
#define IN_USE      ((size_t)1)
#define CACHED_MAX  512                       /* blocks up to this size (header included) are cached */
#define CACHE_BYTES (64 << 10)                /* the most the cache holds */
#define MAX_ALLOC   ((uint64_t)SIZE_MAX < (1ull << 40) ? (uint64_t)SIZE_MAX / 2 : 1ull << 40)  /* larger: refused, no overflow */

/* The header is prev_size and size; the list links exist only while the block
   is free, in what is otherwise the caller's payload. */
struct block {
    size_t prev_size;                         /* 0: first block of its region */
    size_t size;                              /* whole block, header included; bit 0 = in use */
#if UINTPTR_MAX == 0xffffffffu
    uint32_t pad[2];                          /* wasm32: the same 16-byte header, so both targets count alike */
#endif
    struct block *next, *prev;                /* free list links, only while free */
};

_Static_assert(HDR == 16, "host.c counts a 16-byte header per allocation");

#define GROW_STEP   ((uintptr_t)2 << 20)      /* a region's RAM is handed over this much at a time */
#define MAX_GROWING 16                        /* regions with RAM not handed over yet */

static struct block *bins[NBINS];
static uint64_t nonempty[(NBINS + 63) / 64];
static size_t capacity, used;
static struct block *cache[CACHED_MAX / ALIGN + 1];   /* by size / ALIGN, linked through next */
static struct growing { uintptr_t now, end; } growing[MAX_GROWING];   /* handed over up to now, of [.., end) */
static int ngrowing;
static size_t cached;                                 /* bytes in the cache */

static size_t size_of(const struct block *b) { return b->size & ~IN_USE; }
static int in_use(const struct block *b) { return b->size & IN_USE; }
static struct block *after(struct block *b) { return (struct block *)((char *)b + size_of(b)); }
static struct block *before(struct block *b) { return (struct block *)((char *)b - b->prev_size); }

static int bin_of(size_t size)
{
    if (size < SMALL_BINS * ALIGN)
        return (int)(size / ALIGN);
    int log2 = 63 - __builtin_clzll(size);
    int bin = SMALL_BINS + log2 - 10;
    return bin < NBINS ? bin : NBINS - 1;
}

static void bin_insert(struct block *b)
{
    int i = bin_of(size_of(b));
    b->prev = NULL;
    b->next = bins[i];
    if (bins[i])
        bins[i]->prev = b;
    bins[i] = b;
    nonempty[i / 64] |= 1ull << (i % 64);
}

static void bin_remove(struct block *b)
{
    int i = bin_of(size_of(b));
    if (b->prev)
        b->prev->next = b->next;
    else
        bins[i] = b->next;
    if (b->next)
        b->next->prev = b->prev;
    if (!bins[i])
        nonempty[i / 64] &= ~(1ull << (i % 64));
}

static void set_size(struct block *b, size_t size, size_t flags)
{
    b->size = size | flags;
    after(b)->prev_size = size;
}

void heap_add_region(uintptr_t start, uintptr_t end)
{
    start = (start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    end &= ~(uintptr_t)(ALIGN - 1);
    if (end <= start || end - start < MIN_BLOCK + HDR)
        return;
    capacity += (size_t)(end - HDR - start);
    uintptr_t now = (start + MIN_BLOCK + HDR + GROW_STEP - 1) & ~(GROW_STEP - 1);   /* the first step's end */
    if (now + MIN_BLOCK < end && ngrowing < MAX_GROWING)
        growing[ngrowing++] = (struct growing){ now, end };
    else
        now = end;
    struct block *first = (struct block *)start;
    struct block *sentinel = (struct block *)(now - HDR);   /* never free: stops coalescing */
    first->prev_size = 0;
    sentinel->size = IN_USE;
    set_size(first, (size_t)((char *)sentinel - (char *)first), 0);
    bin_insert(first);
}

/* The first free block of at least `need` bytes, taken off its list. */
static struct block *take(size_t need)
{
    int i = bin_of(need);
    if (i >= SMALL_BINS) {                     /* a large bin holds mixed sizes: first fit */
        for (struct block *b = bins[i]; b; b = b->next)
            if (size_of(b) >= need) {
                bin_remove(b);
                return b;
            }
        i++;
    }
    for (int w = i / 64; w < (int)(sizeof nonempty / sizeof nonempty[0]); w++) {
        uint64_t bits = nonempty[w];
        if (w == i / 64)
            bits &= ~0ull << (i % 64);
        if (bits) {
            struct block *b = bins[w * 64 + __builtin_ctzll(bits)];
            bin_remove(b);
            return b;
        }
    }
    return NULL;
}

/* Keep `need` bytes of b and return the rest to the free lists. */
static void trim(struct block *b, size_t need)
{
    size_t size = size_of(b);
    if (size - need < MIN_BLOCK)
        return;
    set_size(b, need, IN_USE);
    struct block *rest = after(b);
    set_size(rest, size - need, 0);
    struct block *next = after(rest);
    if (!in_use(next)) {                        /* realloc shrink can leave a free neighbour */
        bin_remove(next);
        set_size(rest, size - need + size_of(next), 0);
    }
    bin_insert(rest);
}

static size_t need_for(size_t n)
{
    if ((uint64_t)n > MAX_ALLOC)
        return 0;
    size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

static void release(struct block *b);

/* Hands over the next step of a growing region, enough for `need` bytes:
   its end marker becomes the header of a free block up to a new end marker,
   merged with a free block before it. 0 when every region is whole. */
static int grow(size_t need)
{
    for (int i = 0; i < ngrowing; i++) {
        struct growing *g = &growing[i];
        if (g->now == g->end)
            continue;
        uintptr_t room = g->end - g->now;
        uintptr_t step = need + (GROW_STEP - (g->now + need) % GROW_STEP) % GROW_STEP;   /* to a 2 MiB line */
        uintptr_t now = step > room || room - step < MIN_BLOCK ? g->end : g->now + step;    /* or the rest, not a sliver */
        struct block *b = (struct block *)(g->now - HDR), *sentinel = (struct block *)(now - HDR);
        sentinel->size = IN_USE;
        set_size(b, now - g->now, IN_USE);          /* in use for release, which merges and frees it */
        release(b);
        g->now = now;
        return 1;
    }
    return 0;
}

/* Every cached block back to the free lists, coalesced. */
static void flush_cache(void)
{
    for (size_t i = 0; i < sizeof cache / sizeof cache[0]; i++)
        while (cache[i]) {
            struct block *b = cache[i];
            cache[i] = b->next;
            release(b);
        }
    cached = 0;
}

void *heap_alloc(size_t n)
{
    size_t need = need_for(n);
    if (!need)
        return NULL;
    struct block *b;
    if (need <= CACHED_MAX && (b = cache[need / ALIGN])) {
        cache[need / ALIGN] = b->next;
        cached -= need;
        used += need;
        return (char *)b + HDR;
    }
    b = take(need);
    while (!b && grow(need))
        b = take(need);
    if (!b && cached) {
        flush_cache();
        b = take(need);
    }
    if (!b)
        return NULL;
    set_size(b, size_of(b), IN_USE);
    trim(b, need);
    used += size_of(b);
    return (char *)b + HDR;
}

void heap_free(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)((char *)p - HDR);
    size_t size = size_of(b);
    used -= size;
    if (size <= CACHED_MAX && cached + size <= CACHE_BYTES) {
        b->next = cache[size / ALIGN];
        cache[size / ALIGN] = b;
        cached += size;
        return;
    }
    release(b);
}

/* A block back to the free lists, merged with its free neighbours. */
static void release(struct block *b)
{
    size_t size = size_of(b);
    struct block *next = after(b);
    if (!in_use(next)) {
        bin_remove(next);
        size += size_of(next);
    }
    if (b->prev_size && !in_use(before(b))) {
        struct block *prev = before(b);
        bin_remove(prev);
        size += size_of(prev);
        b = prev;
    }
    set_size(b, size, 0);
    bin_insert(b);
}

/* Grow b to `need` bytes into a free block after it, if there is one big enough. */
static int grow_in_place(struct block *b, size_t need)
{
    size_t size = size_of(b);
    struct block *next = after(b);
    if (in_use(next) || size + size_of(next) < need)
        return 0;
    bin_remove(next);
    used -= size;
    set_size(b, size + size_of(next), IN_USE);
    trim(b, need);
    used += size_of(b);
    return 1;
}

void *heap_realloc(void *p, size_t n)
{
    if (!p)
        return heap_alloc(n);
    size_t need = need_for(n);
    if (!need)
        return NULL;
    struct block *b = (struct block *)((char *)p - HDR);
    size_t size = size_of(b);
    if (need <= size) {
        used -= size;
        trim(b, need);
        used += size_of(b);
        return p;
    }
    if (grow_in_place(b, need))
        return p;
    void *q = heap_alloc(n);
    if (q) {
        memcpy(q, p, size - HDR);
        heap_free(p);
    } else if (grow_in_place(b, need)) {         /* heap_alloc's flush freed a neighbour */
        return p;
    }
    return q;
}

size_t heap_usable_size(const void *p)
{
    return p ? size_of((const struct block *)((const char *)p - HDR)) - HDR : 0;
}

size_t heap_capacity(void) { return capacity; }
size_t heap_used(void) { return used; }
