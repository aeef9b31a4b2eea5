/* boot-sum FILE FROM COUNT AT: writes include/boot_sum.h's checksum of
   FILE's bytes [FROM, FROM + COUNT) into FILE at AT (16 bytes, the two sums
   little endian, as boot_check.c's boot_layer_sum holds them). A Linux
   program of the build (tools/stamp-boot-sum.sh runs it after the link). */
#include <stdio.h>
#include <stdlib.h>
#include "boot_sum.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: boot-sum FILE FROM COUNT AT\n");
        return 2;
    }
    long from = strtol(argv[2], NULL, 0), count = strtol(argv[3], NULL, 0), at = strtol(argv[4], NULL, 0);
    FILE *f = fopen(argv[1], "r+b");
    uint8_t *buf = malloc(count > 0 ? (size_t)count : 1);
    if (!f || !buf || count <= 0 || fseek(f, from, SEEK_SET) || fread(buf, 1, (size_t)count, f) != (size_t)count) {
        fprintf(stderr, "boot-sum: %s: cannot read %ld bytes at %ld\n", argv[1], count, from);
        return 1;
    }
    uint64_t sum[2];
    boot_sum(buf, (uint64_t)count, sum);
    if (fseek(f, at, SEEK_SET) || fwrite(sum, sizeof sum, 1, f) != 1 || fclose(f)) {
        fprintf(stderr, "boot-sum: %s: cannot write at %ld\n", argv[1], at);
        return 1;
    }
    return 0;
}
