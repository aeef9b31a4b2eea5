/* floor.S: the benchmark floor, a PVH kernel that powers off at once the way
   the boot layer does on success (power.c, status 0): ACPI S5 on pc, the GED
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
	mov $0x604, %dx          /* PIIX4/ICH9 PM1a control: SLP_EN, S5 */
	mov $0x2000, %ax
	out %ax, %dx
	movb $0x34, 0xfea00200   /* microvm GED sleep control: SLP_EN, S5 */
	mov $0xfe, %al           /* keyboard controller: pulse reset */
	out %al, $0x64
1:	cli
	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
