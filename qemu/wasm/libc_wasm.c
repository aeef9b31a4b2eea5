/* libc_wasm.c: what the wasm32 build needs of libc beyond src/libc.c.

   Rounding modes. WebAssembly has round-to-nearest only, but QuickJS rounds
   toFixed and toPrecision ties away from zero by printing a number twice,
   once rounded down and once up (fesetround around snprintf "%+.*e" and
   "%.*f"), and musl's printf, like the one metal links, honours the mode.
   So fesetround records the mode, and snprintf does those two formats'
   directed rounding itself: it prints the exact decimal expansion (every
   double has a finite one) and cuts it, stepping the last digit kept away
   from zero when the rounding asks for it and what was cut is not zero. */
#include <fenv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mote.h"

#define EXACT_DIGITS 1100                  /* > 1074: the longest fraction of a double */

static int rounding = FE_TONEAREST;

int fesetround(int mode)
{
    if (mode != FE_TONEAREST && mode != FE_DOWNWARD && mode != FE_UPWARD)
        return -1;
    rounding = mode;
    return 0;
}

int fegetround(void) { return rounding; }

/* printf without the directed rounding below. */
static int plain(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Adds one to the last digit of s[0..n), carrying through digits (a '.' is
   skipped). Returns 1 if the carry ran off the front (all nines). */
static int step_up(char *s, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        if (s[i] == '.')
            continue;
        if (s[i] != '9') {
            s[i]++;
            return 0;
        }
        s[i] = '0';
    }
    return 1;
}

/* "%.*e", "%+.*e" or "%.*f" (fmt) of d, rounded toward -inf (FE_DOWNWARD)
   or +inf (FE_UPWARD). */
static int directed(char *out, size_t size, const char *fmt, int prec, double d)
{
    static char exact[EXACT_DIGITS + 400];
    char conv = fmt[strlen(fmt) - 1];
    int plus = fmt[1] == '+';
    int len = plain(exact, sizeof exact, fmt, EXACT_DIGITS, d);   /* nearest, and exact at this length */
    int neg = exact[0] == '-';
    char *digits = exact + (neg || exact[0] == '+');  /* "d.ddd...e+xx" or "ddd.ddd..." */
    char *point = strchr(digits, '.');
    char *end = conv == 'e' ? strchr(digits, 'e') : exact + len;
    if (!point || !end)
        return plain(out, size, fmt, prec, d);    /* inf or nan: no rounding to do */
    char *cut = point + 1 + prec;                 /* first digit dropped */
    int inexact = 0;
    for (char *p = cut; p < end; p++)
        inexact |= *p != '0';
    int away = inexact && (neg ? rounding == FE_DOWNWARD : rounding == FE_UPWARD);
    int keep = (int)((prec ? cut : point) - digits);
    char mant[EXACT_DIGITS + 400];
    mant[0] = '1';                                /* room for a carry off the front */
    memcpy(mant + 1, digits, (size_t)keep);
    int exp = conv == 'e' ? atoi(end + 1) : 0;
    int first = 1;
    if (away && step_up(mant + 1, keep)) {
        if (conv == 'e') {                        /* 9.99e+04 -> 1.00e+05 */
            mant[1] = '1';
            exp++;
        } else {
            first = 0;                            /* 99.9 -> 100.0 */
        }
    }
    const char *sign = neg ? "-" : plus ? "+" : "";
    char *m = mant + first;
    int mlen = keep + 1 - first;
    if (conv == 'e')
        return plain(out, size, "%s%.*se%c%02d", sign, mlen, m, exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return plain(out, size, "%s%.*s", sign, mlen, m);
}

int snprintf(char *restrict out, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n;
    if (rounding != FE_TONEAREST && (!strcmp(fmt, "%+.*e") || !strcmp(fmt, "%.*e") || !strcmp(fmt, "%.*f"))) {
        int prec = va_arg(ap, int);
        double d = va_arg(ap, double);
        n = directed(out, size, fmt, prec, d);
    } else {
        n = vsnprintf(out, size, fmt, ap);
    }
    va_end(ap);
    return n;
}

