/* payload.c: the ustar archive that the builder appends to the image (image
   format v2, docs/ARCHITECTURE.md). Validated once at boot, before anything
   else trusts it; then modules are found by name with a scan of the headers. */
#include <string.h>
#include "mote.h"
#include "param.h"

#define TAR_BLOCK 512

#ifdef __wasm__
extern const struct mote_payload_header *wasm_payload;   /* wasm/start.c: where the driver put it */
#define PAYLOAD wasm_payload
#else
extern const struct mote_payload_header __payload_start;
#define PAYLOAD (&__payload_start)

/* The builder grows this section; as built, the header says "no payload". */
__attribute__((section(".payload"), used))
static const struct mote_payload_header empty = { "MOTEIMG", MOTE_FORMAT_VERSION, sizeof empty, 0, 0, 0, {0} };
#endif

static const uint8_t *tar;
static uint64_t tar_size;

/* CRC-32 (IEEE), eight bytes a step ("slicing-by-8"): a byte at a time it
   was most of the boot layer's own instructions before the engine starts.
   table[k][b] is the CRC of byte b followed by k zero bytes. */
static uint32_t crc32(const uint8_t *p, uint64_t n)
{
    static uint32_t table[8][256];
    if (!table[0][128]) {
        uint32_t c = 1;                 /* table[0] is linear in its index: one bit at a time, then sums */
        for (int bit = 128; bit; bit >>= 1) {
            c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
            for (int i = 0; i < 256; i += 2 * bit)
                table[0][bit + i] = c ^ table[0][i];
        }
        for (int k = 1; k < 8; k++)
            for (int i = 0; i < 256; i++)
                table[k][i] = table[0][table[k - 1][i] & 0xff] ^ (table[k - 1][i] >> 8);
    }
    uint32_t c = 0xffffffff;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;                     /* little-endian, as on both targets; the builtin inlines */
        __builtin_memcpy(&w, p, 8);
        w ^= c;
        c = table[7][w & 0xff] ^ table[6][w >> 8 & 0xff] ^ table[5][w >> 16 & 0xff] ^ table[4][w >> 24 & 0xff] ^
            table[3][w >> 32 & 0xff] ^ table[2][w >> 40 & 0xff] ^ table[1][w >> 48 & 0xff] ^ table[0][w >> 56];
    }
    while (n--)
        c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffff;
}

static uint64_t octal(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = v * 8 + (p[i] - '0');
    return v;
}

static int header_ok(const uint8_t *h)
{
    uint64_t sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return memcmp(h + 257, "ustar", 5) == 0 && sum == octal(h + 148, 8);
}

/* Calls fn for each regular file; stops early when fn returns nonzero.
   payload_init's walk checks every header; finds trust what it checked. */
static int headers_checked;

static const uint8_t *walk(int (*fn)(const uint8_t *h, const char *name, uint64_t size, void *arg), void *arg)
{
    uint64_t off = 0;
    while (off + TAR_BLOCK <= tar_size) {
        const uint8_t *h = tar + off;
        if (h[0] == 0)
            return h;                                      /* end of archive */
        if (!headers_checked && !header_ok(h))
            mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: bad tar header at offset %lu", (unsigned long)off);
        uint64_t size = octal(h + 124, 12);
        uint64_t span = TAR_BLOCK + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (off + span > tar_size)
            mote_fatal(MOTE_EXIT_PAYLOAD_TRUNCATED, "payload: entry at offset %lu runs past the end of the archive", (unsigned long)off);
        char name[MAX_MODULE_NAME + 1];
        memcpy(name, h, MAX_MODULE_NAME);
        name[MAX_MODULE_NAME] = 0;
        if ((h[156] == '0' || h[156] == 0) && fn && fn(h, name, size, arg))
            return h;
        off += span;
    }
    mote_fatal(MOTE_EXIT_PAYLOAD_TRUNCATED, "payload: the archive has no end marker (truncated image?)");
}

/* `limit` is the first address past what was loaded: the end of the RAM the
   image is in on metal, of the memory on wasm, of the file's copy natively.
   A tar size past it (a corrupt header, a cut image) is refused before the
   checksum would read there: beyond RAM, for hours under TCG. */
void payload_init(uintptr_t limit)
{
    const struct mote_payload_header *hdr = PAYLOAD;
    if (memcmp(hdr->magic, "MOTEIMG", 8) != 0)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: bad magic (not a mote image)");
    if (hdr->version > MOTE_FORMAT_VERSION)
        mote_fatal(MOTE_EXIT_FORMAT_VERSION, "payload: format version %u is newer than this boot layer's %u",
                   hdr->version, MOTE_FORMAT_VERSION);
    if (hdr->header_size != sizeof *hdr || hdr->version == 0)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: bad header (version %u, size %u)", hdr->version, hdr->header_size);
    if (hdr->tar_size == 0)
        mote_fatal(MOTE_EXIT_NO_ENTRY, "payload: this boot layer carries no payload (build an image with `mote build`)");
    tar = (const uint8_t *)(hdr + 1);
    uint64_t room = limit > (uintptr_t)tar ? limit - (uintptr_t)tar : 0;
    if (hdr->tar_size > room)
        mote_fatal(MOTE_EXIT_PAYLOAD_TRUNCATED, "payload: the header says the archive is %lu bytes, more than the %lu after it (truncated image?)",
                   (unsigned long)hdr->tar_size, (unsigned long)room);
    tar_size = hdr->tar_size;
    if (crc32(tar, tar_size) != hdr->tar_crc32)
        mote_fatal(MOTE_EXIT_PAYLOAD_CORRUPT, "payload: checksum mismatch (corrupt image)");
    walk(NULL, NULL);
    headers_checked = 1;
}

struct find { const char *name; const char *data; uint64_t size; };

static int match(const uint8_t *h, const char *name, uint64_t size, void *arg)
{
    struct find *f = arg;
    if (strcmp(name, f->name) != 0)
        return 0;
    f->data = (const char *)h + TAR_BLOCK;
    f->size = size;
    return 1;
}

const char *payload_find(const char *name, size_t *size)
{
    struct find f = { name, NULL, 0 };
    walk(match, &f);
    if (size)
        *size = f.size;
    return f.data;
}

uintptr_t payload_end(void)
{
    return (uintptr_t)(PAYLOAD + 1) + tar_size;
}
