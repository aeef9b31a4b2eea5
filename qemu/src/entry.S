/*
 * entry.S: from QEMU's PVH entry to C.
 *
 * QEMU finds the PVH note below and jumps to start32 in 32-bit protected mode,
 * paging off, with %ebx pointing at the hvm_start_info (qboot on microvm also
 * leaves a multiboot magic in %eax; C checks the start-info magic itself).
 * Here: clear .bss, identity-map the first 4 GiB, enable SSE, enter long mode
 * with the syscall instruction enabled (so a stray one traps, see cpu.c), and
 * call kmain(start_info, eax).
 */
#include "param.h"

#define CR0_PE   (1 << 0)
#define CR0_MP   (1 << 1)
#define CR0_EM   (1 << 2)
#define CR0_TS   (1 << 3)
#define CR0_PG   (1 << 31)
#define CR4_PAE  (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)          /* syscall enabled: it traps into our handler */
#define EFER_LME (1 << 8)
#define PTE_P    (1 << 0)
#define PTE_W    (1 << 1)
#define PTE_PWT  (1 << 3)
#define PTE_PCD  (1 << 4)
#define PTE_PS   (1 << 7)          /* 2 MiB page */

/* The PVH entry note (Xen ELF note type 18: XEN_ELFNOTE_PHYS32_ENTRY). */
	.section .note.pvh, "a"
	.p2align 2
	.long 4, 4, 18
	.asciz "Xen"
	.long start32

	.section .text.boot, "ax"
	.code32
	.globl start32
start32:
	cli
	cld
	mov %ebx, %ebp                 /* start info */
	mov %eax, %esi                 /* whatever magic the loader left */

	/* Clear .bss (the page tables live there; the stack does not). */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD[0..3]; 2 MiB pages, except the first
	   2 MiB which go through a 4 KiB table with page 0 absent (NULL faults). */
	mov $pdpt, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax                 /* PD i is at pd + i*4096 */
	shl $12, %eax
	add $pd, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 1b

	mov $1, %ecx                   /* PD entries 1..2047: 2 MiB each */
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	cmp $1536, %ecx                /* the top GiB holds the LAPIC and IOAPIC: uncached */
	jb 3f
	or $(PTE_PWT | PTE_PCD), %eax
3:	mov %eax, pd(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 2b
	mov $pt0, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, pd

	xor %ecx, %ecx                 /* PT entries 0..511: 4 KiB each; kmain unmaps page 0 once
	                                  it has read the start info, which may sit there */
4:	mov %ecx, %eax
	shl $12, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, pt0(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 4b

	/* SSE and PAE, page tables, long mode, paging. */
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_SCE), %eax
	wrmsr
	mov %cr0, %eax
	and $~(CR0_EM | CR0_TS), %eax
	or $(CR0_PE | CR0_MP | CR0_PG), %eax
	mov %eax, %cr0

	lgdt gdt_ptr
	ljmp $0x08, $start64

	.code64
start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	lea stack_top(%rip), %rsp
	fninit
	mov %ebp, %edi                 /* kmain(start_info, loader magic) */
	call kmain
5:	cli
	hlt
	jmp 5b

/* The boot GDT: null, 64-bit code, data. cpu.c adds the TSS. */
	.section .data
	.p2align 3
	.globl gdt
gdt:
	.quad 0
	.quad 0x00209a0000000000
	.quad 0x0000920000000000
	.quad 0, 0                     /* TSS descriptor, filled by cpu.c */
gdt_end:
	.globl gdt_ptr
gdt_ptr:
	.word gdt_end - gdt - 1
	.quad gdt

	.section .bss
	.p2align 12
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096 * 4
	.globl pt0
pt0:	.skip 4096

/* The stack needs no clearing: it lives past __bss_end (link.ld). */
	.section .stack, "aw", @nobits
	.p2align 12
	.globl stack_guard
stack_guard:                           /* unmapped by cpu.c: an overflow faults here */
	.skip 4096
	.globl stack_bottom
stack_bottom:
	.skip STACK_SIZE
	.globl stack_top
stack_top:

	.section .note.GNU-stack, "", @progbits
