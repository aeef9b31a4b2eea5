/* floor.S: the benchmark floor, a PVH kernel that powers off at once the way
   the boot layer does on success (power.c, status 0): the clean power-off
   line on the debug console, then ACPI S5 on pc, the GED
   on microvm, then a keyboard-controller reset, which -no-reboot turns into
   a stop. QEMU's own start and stop cost is what it measures. */
	.section .note.pvh, "a"
	.p2align 2
	.long 4, 4, 18
	.asciz "Xen"
	.long start
	.text
	.code32
	.globl start
start:
	mov $mark, %esi          /* the clean power-off line on the debug console */
	mov $0xe9, %dx
2:	lodsb
	test %al, %al
	jz 3f
	out %al, %dx
	jmp 2b
3:	mov $0x604, %dx          /* PIIX4/ICH9 PM1a control: SLP_EN, S5 */
	mov $0x2000, %ax
	out %ax, %dx
	movb $0x34, 0xfea00200   /* microvm GED sleep control: SLP_EN, S5 */
	mov $0xfe, %al           /* keyboard controller: pulse reset */
	out %al, $0x64
1:	cli
	hlt
	jmp 1b
	.text
mark:	.asciz "mote: clean power-off\n"  /* MOTE_EXIT_MARK, qemu/include/mote.h */
	.section .note.GNU-stack, "", @progbits
