/* manifest_stamp.h: manifest.json.qbc, the manifest as QuickJS's object
   serialization (JS_WriteObject), which the builder packs beside
   manifest.json (tools/mote-qjsc.c --manifest) so that the boot layer reads
   it without JSON's parser: under TCG, parsing hello's 567 bytes of JSON
   translated ~350 blocks of engine code that nothing else at boot runs (the
   number conversion most), ~2 ms (issue 11, boot time). The serialization
   follows a stamp of the text it was made from; the boot layer takes it only
   while it matches manifest.json beside it (host_manifest in host.c), so an
   image whose manifest.json was rewritten alone still means what it says. */
#ifndef MOTE_MANIFEST_STAMP_H
#define MOTE_MANIFEST_STAMP_H
#include <stdint.h>
#include "boot_sum.h"

struct manifest_stamp {
    uint64_t length;                  /* manifest.json's bytes */
    uint64_t sum[2];                  /* boot_sum of them */
};

static inline void manifest_stamp_of(const uint8_t *text, uint64_t n, struct manifest_stamp *s)
{
    s->length = n;
    boot_sum(text, n, s->sum);
}
#endif
