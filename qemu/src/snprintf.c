/* snprintf.c: musl's snprintf with a fast path in front. A format of plain
   text and %s alone is copied here; any other goes to musl's vsnprintf.
   QuickJS's start-up names each getter and setter of the built-ins with
   snprintf(buf, n, "get %s", name), 35 calls, and they alone ran musl's
   printf_core at boot: ~100 blocks for TCG to translate that hello never
   needs again (issue 11, boot time). Same result as musl's, "(null)" for a
   null string included. Metal only: the wasm engine keeps its libc's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int only_text_and_s(const char *fmt)
{
    for (const char *p = fmt; *p; p++)
        if (*p == '%' && *++p != 's')
            return 0;
    return 1;
}

/* Appends what [part, end) holds to s as far as n allows; len counts it all. */
static void put(char *s, size_t n, size_t *len, const char *part, size_t k)
{
    if (*len < n)
        memcpy(s + *len, part, *len + k < n ? k : n - 1 - *len);
    *len += k;
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r;
    if (!only_text_and_s(fmt)) {
        r = vsnprintf(s, n, fmt, ap);
    } else {
        size_t len = 0;
        const char *text = fmt, *p = fmt;
        for (; *p; p++) {
            if (*p != '%')
                continue;
            put(s, n, &len, text, (size_t)(p - text));
            const char *arg = va_arg(ap, const char *);
            if (!arg)
                arg = "(null)";
            put(s, n, &len, arg, strlen(arg));
            text = ++p + 1;                          /* past the 's' */
        }
        put(s, n, &len, text, (size_t)(p - text));
        if (n)
            s[len < n ? len : n - 1] = 0;
        r = (int)len;
    }
    va_end(ap);
    return r;
}
