/* fatal.c: a fatal condition prints one line and stops with its status.
   Shared by both targets; only power_off differs (power.c on metal). */
#include <stdarg.h>
#include <stdio.h>
#include "mote.h"

_Noreturn void mote_fatal(int status, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    console_puts("mote: ");
    console_puts(line);
    console_puts("\n");
    power_off(status);
}
