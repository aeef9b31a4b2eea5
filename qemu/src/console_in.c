/* console_in.c: the console's receive interrupt. COM1 raises ISA IRQ 4 when
   a byte waits; routed through the IOAPIC (GSI 4 on microvm and pc alike) to
   a vector that only wakes the CPU, it lets an idle node that waits for a key
   halt instead of polling. The event loop (host.c) still reads the bytes
   with console_read, only while JS wants input: a byte nobody asked for
   stays in the UART, and QEMU holds the rest back. Without an IOAPIC the
   loop polls the UART every INPUT_POLL_NS instead. */
#include "mote.h"
#include "io.h"

#define COM1_GSI  4
#define UART_IER  (0x3f8 + 1)  /* interrupt enable */
#define UART_MCR  (0x3f8 + 4)  /* modem control */
#define IER_RDA   0x01         /* received data available */
#define MCR_DTR_RTS_OUT2 0x0b  /* OUT2 gates the IRQ line on a PC's UART */

static int routed;

void console_in_init(void)
{
    if (ioapic_count() == 0 || ioapic_route(COM1_GSI, MOTE_VEC_CONSOLE) < 0)
        return;
    outb(UART_MCR, MCR_DTR_RTS_OUT2);
    outb(UART_IER, IER_RDA);
    routed = 1;
}

int console_in_interrupts(void)
{
    return routed;
}
