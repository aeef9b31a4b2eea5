/* ioapic.c: routes a device's interrupt (a GSI) through the IOAPIC to the
   network vector, whose handler only notes it and wakes the CPU from hlt
   (isr.S). The first IOAPIC serves GSIs 0..23; microvm with ACPI has a
   second at 0xfec10000 for 24..47, where its virtio-mmio transports sit. */
#include "mote.h"

#define IOAPIC0_BASE   0xfec00000u
#define IOAPIC1_BASE   0xfec10000u
#define IOREGSEL       0x00
#define IOWIN          0x10
#define REG_VERSION    0x01
#define REG_REDIR      0x10            /* two 32-bit registers per input */
#define PINS           24
#define REDIR_MASKED   (1u << 16)
/* Fixed delivery, physical destination, active high, edge: one interrupt per
   rise of the line. The driver clears the device's interrupt status before it
   looks for work, so the line falls and the next packet raises it again. */
#define REDIR_EDGE_HIGH 0u

static uint32_t read_reg(uintptr_t base, uint32_t r)
{
    *(volatile uint32_t *)(base + IOREGSEL) = r;
    return *(volatile uint32_t *)(base + IOWIN);
}

static void write_reg(uintptr_t base, uint32_t r, uint32_t v)
{
    *(volatile uint32_t *)(base + IOREGSEL) = r;
    *(volatile uint32_t *)(base + IOWIN) = v;
}

/* An IOAPIC answers its version register with version 0x11 or 0x20 and its
   last input number; nothing mapped there reads as 0 or all ones. */
static int present(uintptr_t base)
{
    uint32_t v = read_reg(base, REG_VERSION);
    return (v & 0xff) >= 0x10 && (v & 0xff) < 0x30 && ((v >> 16) & 0xff) >= 15;
}

int ioapic_count(void)
{
    if (!present(IOAPIC0_BASE))
        return 0;
    return present(IOAPIC1_BASE) ? 2 : 1;
}

int ioapic_route(int gsi, uint8_t vector)
{
    if (gsi < 0 || gsi >= 2 * PINS)
        return -1;
    uintptr_t base = gsi < PINS ? IOAPIC0_BASE : IOAPIC1_BASE;
    if (!present(base))
        return -1;
    uint32_t pin = (uint32_t)(gsi % PINS);
    write_reg(base, REG_REDIR + 2 * pin + 1, lapic_id() << 24);
    write_reg(base, REG_REDIR + 2 * pin, vector | REDIR_EDGE_HIGH);
    return 0;
}
