/* alloc_checked.c: the heap of the checked native build (mote-native-asan),
   in place of alloc.c. Each block is the C library's malloc, so that
   AddressSanitizer sees every block's bounds and every use after free
   (inside alloc.c's one region it sees neither). The counting is alloc.c's
   for a block cut to size (16-byte header, 16-byte steps, a 32-byte least
   block), so host.c's limit fails nearly the same allocations: alloc.c
   sometimes hands out up to 16 bytes more (a remainder too small to split),
   and a heap too fragmented to fit a block cannot happen here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mote.h"

#define ALIGN     16
#define HDR       16
#define MIN_BLOCK 32
#define MAX_ALLOC ((size_t)1 << 40)

static size_t capacity, used;

/* The whole block alloc.c would take for n bytes, header included; 0: too large. */
static size_t need_for(size_t n)
{
    if (n > MAX_ALLOC)
        return 0;
    size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* The block's size is kept in front of it, where alloc.c keeps its header. */
static size_t *head(const void *p) { return (size_t *)((char *)p - HDR); }

void heap_add_region(uintptr_t start, uintptr_t end)
{
    start = (start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    end &= ~(uintptr_t)(ALIGN - 1);
    if (end > start && end - start >= MIN_BLOCK + HDR)
        capacity += end - start - HDR;               /* alloc.c's sentinel */
}

void *heap_alloc(size_t n)
{
    size_t need = need_for(n);
    if (!need || used + need > capacity)
        return NULL;
    char *b = malloc(need);
    if (!b)
        return NULL;
    *(size_t *)b = need;
    used += need;
    return b + HDR;
}

void heap_free(void *p)
{
    if (!p)
        return;
    used -= *head(p);
    free(head(p));
}

void *heap_realloc(void *p, size_t n)
{
    if (!p)
        return heap_alloc(n);
    size_t need = need_for(n);
    if (!need)
        return NULL;
    size_t old = *head(p);
    if (need <= old && old - need < MIN_BLOCK)
        return p;                                    /* alloc.c keeps a remainder too small to split */
    if (need > old && used + need - old > capacity)
        return NULL;
    char *b = realloc(head(p), need);
    if (!b)
        return NULL;
    *(size_t *)b = need;
    used += need - old;
    return b + HDR;
}

size_t heap_usable_size(const void *p) { return p ? *head(p) - HDR : 0; }
size_t heap_capacity(void) { return capacity; }
size_t heap_used(void) { return used; }
