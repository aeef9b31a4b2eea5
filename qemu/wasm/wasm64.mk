# The wasm64 engine (the default, WASM=64, included by the Makefile's wasm
# section): the same files as the wasm32 engine's, for memory64. Pointers are
# 8 bytes and QuickJS's values 16, as on metal (x86-64), where wasm32 has 4
# and NaN-boxes values into 8, so the same objects take the same heap.
#
# Debian ships wasi-libc built for wasm32 only. The part of its musl that the
# engine calls (strings, printf, strtod, libm) is compiled here for wasm64,
# from Debian's source package (scripts/fetch-wasi-libc.sh unpacks it into
# deps/), with the installed wasm32 headers but for two, made in $(W)/include:
# bits/stdint.h with 64-bit limits (musl's x86_64 one, as metal has), and
# wasi/api.h without its checks of wasm32's layout of the WASI calls, which
# the engine never makes (tools/wasm-imports.mjs refuses any). compiler-rt's
# builtins for wasm64 (long double is IEEE quad) are Debian's
# libclang-rt-14-dev-wasm64, but for the comparisons (wasm/tf_compare.c).
WASI_LIBC := deps/wasi-libc
ifeq ($(wildcard $(WASI_LIBC)/libc-top-half/musl/src/stdio/vfprintf.c),)
$(shell bash ../scripts/fetch-wasi-libc.sh >&2)
endif
MUSL_TREE   := $(WASI_LIBC)/libc-top-half/musl
WASI_SYSINC := /usr/include/wasm32-wasi
WASM_RT64   := $(shell $(WASM_CC) -print-resource-dir)/lib/wasi/libclang_rt.builtins-wasm64.a

WASM_TARGET := wasm64-wasi
W           := $(B)/wasm64
WASM_SYSINC := -nostdinc -isystem $(W)/include -isystem $(WASI_SYSINC) -isystem $(shell $(WASM_CC) -print-resource-dir)/include
WASM_HDRS   := $(W)/include/bits/stdint.h $(W)/include/wasi/api.h
# The engine's C passes and returns QuickJS's 16-byte values as wasm values
# (clang's multivalue ABI), as x86-64 passes them in registers. With the
# default ABI each goes through a copy on the shadow stack: the interpreter's
# frame (JS_CallInternal) took 6,560 bytes against 512 (metal's: 472), and JS
# recursion stopped 25 times sooner. libc and the builtins keep the default
# ABI; no function between them takes or returns a struct or a long double.
WASM_ABI    := -mmultivalue -Xclang -target-abi -Xclang experimental-mv
# For that ABI clang-14 also emits invalid wasm for 2025's BigInt code on
# 128-bit integers (js_bigint_to_string1), so QuickJS is not told of them
# and keeps BigInts in 32-bit limbs, as on wasm32 (metal's are 64-bit).
WASM_TFLAGS  = $(WASM_SYSINC) $(WASM_ABI) -U__SIZEOF_INT128__
# clang-14 crashes compiling 2021's libbf.c (BigInt) for that ABI (in
# WebAssembly Register Stackify, on mp_mul1_dec's 128-bit products). It
# passes no struct by value to or from the rest (a signature that differed
# would fail the link), so it keeps the default.
$(W)/qjs/libbf.o: WASM_ABI :=
# No wasm64 libc to link by default: the objects below are linked as they
# are (--gc-sections drops what nothing calls), with the reactor's start
# (crt1-reactor.c: _initialize). A signature mismatch would link its calls
# to a trap, so every warning fails the link.
WASM_LDMODE := -nostdlib -Wl,--no-entry -Wl,--fatal-warnings

# What the engine's objects call, and what that calls in turn (wasm-ld's
# undefined symbols, followed until none is left), by musl's directories.
W64_MUSL := \
  $(addprefix string/,memchr memcmp memcpy memmove memrchr memset stpcpy stpncpy strcat strchr strchrnul \
                      strcmp strcpy strlen strncpy strnlen strrchr) \
  $(addprefix math/,__cos __expo2 __math_divzero __math_invalid __math_oflow __math_uflow __math_xflow \
                    __rem_pio2 __rem_pio2_large __sin __tan acos acosh asin asinh atan atan2 atanh cbrt ceil \
                    cos cosh exp exp_data expm1 fabs floor fmax fmin fmod fmodl frexpl hypot log log10 log1p \
                    log2 log2_data log_data lrint pow pow_data round scalbn scalbnl sin sinh sqrt sqrt_data \
                    tan tanh trunc) \
  $(addprefix stdio/,__toread __towrite __uflow fputc fwrite sprintf vfprintf vsnprintf vsprintf) \
  $(addprefix internal/,floatscan libc shgetc) \
  stdlib/atoi stdlib/strtod errno/strerror locale/__lctrans multibyte/wcrtomb multibyte/wctomb
W64_WASI := cloudlibc/src/libc/errno/errno cloudlibc/src/libc/time/CLOCK_REALTIME crt/crt1-reactor
W64_LIBC_OBJS := $(patsubst %,$(W)/libc/%.o,$(subst /,_,$(W64_MUSL)) $(notdir $(W64_WASI)))
WASM_LIBS   := $(W)/tf_compare.o $(W64_LIBC_OBJS) $(WASM_RT64)
W64_LIBC_FLAGS := --target=$(WASM_TARGET) -Os -ffunction-sections -fdata-sections -fno-trapping-math \
                  -mthread-model single -w $(WASM_SYSINC) \
                  -I$(MUSL_TREE)/src/include -I$(MUSL_TREE)/src/internal -I$(MUSL_TREE)/arch/wasm32 \
                  -I$(MUSL_TREE)/arch/generic -I$(WASI_LIBC)/libc-top-half/headers/private \
                  -I$(WASI_LIBC)/libc-bottom-half/cloudlibc/src

$(W)/include/bits/stdint.h: $(MUSL_TREE)/arch/x86_64/bits/stdint.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(W)/include/wasi/api.h: $(WASI_SYSINC)/wasi/api.h
	@mkdir -p $(@D)
	$(Q)sed -e '/^_Static_assert/d' -e '/^#ifndef __wasm32__$$/,/^#endif$$/d' $< > $@

# musl's src/DIR/NAME.c becomes libc/DIR_NAME.o (names repeat across
# directories); wasi-libc's own files (under libc-bottom-half/) NAME.o.
define W64_LIBC_RULE
$(1): $(2) $(WASM_HDRS)
	@mkdir -p $(W)/libc
	$$(call say,WASMCC,$$@)
	$(Q)$(WASM_CC) $(W64_LIBC_FLAGS) -c $$< -o $$@
endef
$(eval $(call W64_LIBC_RULE,$(W)/tf_compare.o,wasm/tf_compare.c))
$(foreach f,$(W64_MUSL),$(eval $(call W64_LIBC_RULE,$(W)/libc/$(subst /,_,$(f)).o,$(MUSL_TREE)/src/$(f).c)))
$(foreach f,$(W64_WASI),$(eval $(call W64_LIBC_RULE,$(W)/libc/$(notdir $(f)).o,$(WASI_LIBC)/libc-bottom-half/$(f).c)))
