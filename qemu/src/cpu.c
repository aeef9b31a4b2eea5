/* cpu.c: the TSS, the IDT and its fatal exception reports, the system-call
   trap, and the LAPIC timer that wakes the CPU from hlt (as the network's
   interrupt does, through ioapic.c). */
#include <string.h>
#include "mote.h"
#include "io.h"

#define MSR_APIC_BASE  0x1b
#define APIC_ENABLE    (1 << 11)
#define MSR_STAR       0xc0000081
#define MSR_LSTAR      0xc0000082
#define MSR_FMASK      0xc0000084
#define KERNEL_CS      0x08
#define TSS_SEL        0x18
#define LAPIC_ID       0x020
#define LAPIC_EOI      0x0b0
#define LAPIC_SVR      0x0f0     /* spurious vector + software enable (bit 8) */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0
#define VEC_TIMER      0x20
#define VEC_PIC_BASE   0x30      /* the 8259s are moved here, then masked */
#define VEC_SPURIOUS   0xff
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
};

struct __attribute__((packed)) idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
};

extern uint64_t gdt[];
extern uint64_t pt0[];                 /* entry.S: 4 KiB pages for the first 2 MiB */
extern char stack_guard[];
extern void (*const exception_stubs[32])(void);
extern void isr_wake(void), isr_net(void), isr_ignore(void), syscall_entry(void);

static struct tss tss;
static struct idt_gate idt[256];
static uint8_t fault_stack[8192] __attribute__((aligned(16)));  /* IST1: exceptions never use the faulting stack */
static volatile uint32_t *lapic;

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection fault",
    "page fault", "reserved", "x87 floating point", "alignment check", "machine check",
    "SIMD floating point", "virtualisation", "control protection",
};

static void set_gate(int vec, void (*fn)(void), int ist)
{
    uintptr_t a = (uintptr_t)fn;
    idt[vec] = (struct idt_gate){ (uint16_t)a, KERNEL_CS, (uint8_t)ist, 0x8e,
                                  (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

void trap(struct trap_frame *f)
{
    const char *name = f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "exception";
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (f->vector == 14 && cr2 >= (uintptr_t)stack_guard && cr2 < (uintptr_t)stack_guard + 4096)
        mote_fatal(MOTE_EXIT_CPU_EXCEPTION, "C stack overflow (page fault on the stack guard at 0x%lx, rip=0x%lx)", cr2, f->rip);
    if (f->vector == 14)
        mote_fatal(MOTE_EXIT_CPU_EXCEPTION, "CPU exception %lu (%s) at rip=0x%lx, address 0x%lx, error 0x%lx",
                   f->vector, name, f->rip, cr2, f->error);
    mote_fatal(MOTE_EXIT_CPU_EXCEPTION, "CPU exception %lu (%s) at rip=0x%lx, error 0x%lx",
               f->vector, name, f->rip, f->error);
}

void syscall_trap(uint64_t nr, uint64_t rip)
{
    mote_fatal(MOTE_EXIT_SYSCALL, "Linux system call %lu reached from rip=0x%lx; the boot layer has no system calls", nr, rip);
}

static void unmap_low_page(uintptr_t addr)
{
    if (addr >= 2 * 1024 * 1024)
        return;                        /* 2 MiB pages up there: no guard (a huge image) */
    pt0[addr >> 12] = 0;
    __asm__ volatile("invlpg (%0)" :: "r"(addr) : "memory");
}

/* From here on a NULL dereference faults instead of reading the real-mode
   IVT, and a C stack overflow faults on the guard page below the stack. */
void cpu_unmap_null_page(void)
{
    unmap_low_page(0);
    unmap_low_page((uintptr_t)stack_guard);
}

void lapic_eoi(void) { lapic[LAPIC_EOI / 4] = 0; }
uint32_t lapic_id(void) { return lapic[LAPIC_ID / 4] >> 24; }

/* Arm the LAPIC one-shot timer for `ticks` (0 disarms). */
void lapic_arm(uint32_t ticks) { lapic[LAPIC_TIMER_INIT / 4] = ticks; }
uint32_t lapic_count(void) { return lapic[LAPIC_TIMER_CUR / 4]; }

static void pic_disable(void)
{
    outb(PIC1_CMD, 0x11); outb(PIC2_CMD, 0x11);          /* ICW1: init, ICW4 follows */
    outb(PIC1_DATA, VEC_PIC_BASE); outb(PIC2_DATA, VEC_PIC_BASE + 8);
    outb(PIC1_DATA, 4); outb(PIC2_DATA, 2);              /* cascade */
    outb(PIC1_DATA, 1); outb(PIC2_DATA, 1);              /* 8086 mode */
    outb(PIC1_DATA, 0xff); outb(PIC2_DATA, 0xff);        /* mask everything */
}

void cpu_init(void)
{
    /* TSS with IST1 for exceptions, so a blown stack still gets reported. */
    tss.ist[0] = (uintptr_t)(fault_stack + sizeof fault_stack);
    tss.iomap_base = sizeof tss;
    uintptr_t t = (uintptr_t)&tss;
    gdt[3] = (sizeof tss - 1) | (t & 0xffffff) << 16 | 0x89ull << 40 | ((t >> 24) & 0xff) << 56;
    gdt[4] = t >> 32;
    __asm__ volatile("ltr %w0" :: "r"(TSS_SEL));

    for (int v = 0; v < 32; v++)
        set_gate(v, exception_stubs[v], 1);
    for (int v = 32; v < 256; v++)
        set_gate(v, isr_ignore, 0);
    set_gate(VEC_TIMER, isr_wake, 0);
    set_gate(MOTE_VEC_NET, isr_net, 0);
    set_gate(MOTE_VEC_CONSOLE, isr_wake, 0);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = { sizeof idt - 1, (uintptr_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));

    wrmsr(MSR_STAR, (uint64_t)KERNEL_CS << 32);
    wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
    wrmsr(MSR_FMASK, 0x200);                             /* interrupts off in the trap */

    pic_disable();
    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | APIC_ENABLE);
    lapic = (volatile uint32_t *)(uintptr_t)(base & ~0xfffull);
    lapic[LAPIC_SVR / 4] = 0x100 | VEC_SPURIOUS;
    lapic[LAPIC_TIMER_DIV / 4] = 0x3;                   /* divide by 16 */
    lapic[LAPIC_LVT_TIMER / 4] = VEC_TIMER;             /* one-shot */
}
