/* test_hooks.c: linked only into build/mote-boot-test.elf, never into images
   that ship. Gives tests a way to make the machine misbehave on purpose
   (a system call, a wild pointer, a bad opcode, a dry heap), so they can check
   that each ends in one line and its own exit status, never a triple fault. */
#include <stdlib.h>
#include "host.h"

static JSValue t_syscall(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    int64_t nr;
    if (JS_ToInt64(ctx, &nr, argv[0]))
        return JS_EXCEPTION;
    __asm__ volatile("syscall" :: "a"(nr) : "rcx", "r11", "memory");
    return JS_UNDEFINED;
}

static JSValue t_read(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc;
    int64_t addr;
    if (JS_ToInt64(ctx, &addr, argv[0]))
        return JS_EXCEPTION;
    return JS_NewInt32(ctx, *(volatile uint8_t *)(uintptr_t)addr);
}

static JSValue t_ud2(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)ctx; (void)this; (void)argc; (void)argv;
    __asm__ volatile("ud2");
    return JS_UNDEFINED;
}

/* A triple fault: with an empty IDT, int3 faults, and so does every fault
   after it. QEMU (-no-reboot) then stops with 0 and no exit line. */
static JSValue t_triple(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)ctx; (void)this; (void)argc; (void)argv;
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } none = { 0, 0 };
    __asm__ volatile("lidt %0; int3" :: "m"(none));
    return JS_UNDEFINED;
}

static JSValue t_exhaust(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)ctx; (void)this; (void)argc; (void)argv;
    for (;;)
        if (!malloc(64 * 1024) && !malloc(64))
            break;
    return JS_UNDEFINED;
}

/* Recurse in C with no limit: the guard page below the stack must catch it. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int __attribute__((noinline)) dive(volatile char *prev)
{
    volatile char frame[512];
    frame[0] = prev ? prev[0] + 1 : 0;
    return dive(frame) + frame[1];
}

static JSValue t_dive(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    return JS_NewInt32(ctx, dive(NULL));
}

/* How often the CPU has halted: an idle node waiting for input halts once,
   where polling the UART would wake it a hundred times a second. */
static JSValue t_halts(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv)
{
    (void)this; (void)argc; (void)argv;
    return JS_NewFloat64(ctx, (double)clock_halts);
}

static const JSCFunctionListEntry hooks[] = {
    JS_CFUNC_DEF("halts", 0, t_halts),
    JS_CFUNC_DEF("dive", 0, t_dive),
    JS_CFUNC_DEF("syscall", 1, t_syscall),
    JS_CFUNC_DEF("read", 1, t_read),
    JS_CFUNC_DEF("ud2", 0, t_ud2),
    JS_CFUNC_DEF("exhaust", 0, t_exhaust),
    JS_CFUNC_DEF("tripleFault", 0, t_triple),
};

void test_hooks_install(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue obj = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, obj, hooks, sizeof hooks / sizeof hooks[0]);
    JS_SetPropertyStr(ctx, global, "__moteTest", obj);
    JS_FreeValue(ctx, global);
}
