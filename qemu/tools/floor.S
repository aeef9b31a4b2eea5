/* floor.S: the benchmark floor, a PVH kernel that powers off at once through
   isa-debug-exit. QEMU's own start and stop cost is what it measures. */
	.section .note.pvh, "a"
	.p2align 2
	.long 4, 4, 18
	.asciz "Xen"
	.long start
	.text
	.code32
	.globl start
start:
	mov $0xf4, %dx
	xor %eax, %eax
	out %eax, %dx
1:	cli
	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
