/* arch/cc.h: lwIP's view of the compiler and platform: x86-64, musl's headers,
   no diagnostics output, and a failed assertion stops the machine. */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_NO_CTYPE_H 1                 /* lwIP's own isdigit & co.: no locale tables */

_Noreturn void net_assert_failed(const char *msg, const char *file, int line);
#define LWIP_PLATFORM_DIAG(x)  do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_assert_failed((x), __FILE__, __LINE__)

#endif
