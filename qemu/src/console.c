/* console.c: the console on the first 16550 UART (COM1), polled. */
#include "mote.h"
#include "io.h"

#define COM1      0x3f8
#define UART_DATA (COM1 + 0)   /* THR on write, RBR on read (DLAB=0); divisor low (DLAB=1) */
#define UART_IER  (COM1 + 1)   /* interrupt enable; divisor high (DLAB=1) */
#define UART_LCR  (COM1 + 3)   /* line control: bit 7 is DLAB */
#define UART_MCR  (COM1 + 4)   /* modem control */
#define UART_LSR  (COM1 + 5)   /* line status */
#define LSR_DR    0x01         /* a received byte is waiting */
#define LSR_THRE  0x20         /* transmit holding register empty */
#define LSR_TEMT  0x40         /* transmitter idle */

void console_init(void)
{
    outb(UART_IER, 0x00);      /* polled: no interrupts */
    outb(UART_LCR, 0x80);      /* DLAB on to set the divisor */
    outb(UART_DATA, 0x01);     /* 115200 baud */
    outb(UART_IER, 0x00);
    outb(UART_LCR, 0x03);      /* 8N1, DLAB off */
    /* FCR stays as the VMM left it: enabling or clearing the FIFOs would drop
       input that arrived before boot (QEMU flushes on any FIFO-enable change). */
    outb(UART_MCR, 0x03);      /* DTR, RTS */
}

static void put(char c)
{
    while (!(inb(UART_LSR) & LSR_THRE))
        ;
    outb(UART_DATA, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)   /* bytes as given: QEMU's stdio keeps the tty's own \n -> \r\n */
        put(s[i]);
}

void console_puts(const char *s)
{
    while (*s)
        put(*s++);
}

void console_flush(void)
{
    while (!(inb(UART_LSR) & LSR_TEMT))
        ;
}

int console_read(char *buf, size_t n)
{
    size_t got = 0;
    while (got < n && (inb(UART_LSR) & LSR_DR))
        buf[got++] = (char)inb(UART_DATA);
    return (int)got;
}
