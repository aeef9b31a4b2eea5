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
    for (const char *p = fmt; (p = strchr(p, '%')); p += 2)
        if (p[1] != 's')
            return 0;
    return 1;
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
        for (const char *p = fmt; *p; p++) {
            const char *part = p, *end;
            if (*p == '%') {
                part = va_arg(ap, const char *);
                if (!part)
                    part = "(null)";
                end = part + strlen(part);
                p++;
            } else {
                end = strchr(p, '%');
                if (!end)
                    end = p + strlen(p);
                p = end - 1;
            }
            size_t k = (size_t)(end - part);
            if (len < n)
                memcpy(s + len, part, len + k < n ? k : n - 1 - len);
            len += k;
        }
        if (n)
            s[len < n ? len : n - 1] = 0;
        r = (int)len;
    }
    va_end(ap);
    return r;
}
