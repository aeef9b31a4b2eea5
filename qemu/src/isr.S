/* isr.S: interrupt and system-call entry stubs; the C side is in cpu.c. */
	.text
	.code64

/* Exceptions that push no error code get a 0, so every frame looks alike. */
.macro exception vec, has_error
	.globl isr\vec
isr\vec:
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

exception 0,0;  exception 1,0;  exception 2,0;  exception 3,0
exception 4,0;  exception 5,0;  exception 6,0;  exception 7,0
exception 8,1;  exception 9,0;  exception 10,1; exception 11,1
exception 12,1; exception 13,1; exception 14,1; exception 15,0
exception 16,0; exception 17,1; exception 18,0; exception 19,0
exception 20,0; exception 21,1; exception 22,0; exception 23,0
exception 24,0; exception 25,0; exception 26,0; exception 27,0
exception 28,0; exception 29,1; exception 30,1; exception 31,0

/* Every exception is fatal: save the registers for the report and call C. */
trap_common:
	push %rax; push %rbx; push %rcx; push %rdx
	push %rsi; push %rdi; push %rbp; push %r8
	push %r9;  push %r10; push %r11; push %r12
	push %r13; push %r14; push %r15
	mov %rsp, %rdi
	and $-16, %rsp
	call trap
1:	cli
	hlt
	jmp 1b

/* Interrupts only wake the CPU from hlt; the event loop looks at the clock. */
	.globl isr_wake
isr_wake:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	call lapic_eoi
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	iretq

/* The network device interrupted: note it for the event loop, then wake. */
	.globl isr_net
isr_net:
	movl $1, net_irq_seen(%rip)
	jmp isr_wake

/* Stray interrupts from the (masked) PIC: nothing to acknowledge at the LAPIC. */
	.globl isr_ignore
isr_ignore:
	iretq

/* The syscall instruction lands here (MSR_LSTAR): name the call and stop. */
	.globl syscall_entry
syscall_entry:
	mov %rax, %rdi
	mov %rcx, %rsi
	and $-16, %rsp
	call syscall_trap
2:	cli
	hlt
	jmp 2b


/* The 32 exception entry points, in vector order, for cpu.c. */
	.section .rodata
	.p2align 3
	.globl exception_stubs
exception_stubs:
	.quad isr0
	.quad isr1
	.quad isr2
	.quad isr3
	.quad isr4
	.quad isr5
	.quad isr6
	.quad isr7
	.quad isr8
	.quad isr9
	.quad isr10
	.quad isr11
	.quad isr12
	.quad isr13
	.quad isr14
	.quad isr15
	.quad isr16
	.quad isr17
	.quad isr18
	.quad isr19
	.quad isr20
	.quad isr21
	.quad isr22
	.quad isr23
	.quad isr24
	.quad isr25
	.quad isr26
	.quad isr27
	.quad isr28
	.quad isr29
	.quad isr30
	.quad isr31

	.section .note.GNU-stack, "", @progbits
