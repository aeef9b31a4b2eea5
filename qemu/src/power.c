/* power.c: stopping the machine with a status (fatal.c prints the line first). */
#include "mote.h"
#include "io.h"

#define DEBUG_EXIT_PORT  0xf4    /* isa-debug-exit: QEMU exits with (value << 1) | 1 */
#define DEBUGCON_PORT    0xe9    /* QEMU's -debugcon: the runner gives it a file and reads the exit mark there */
#define ACPI_PM1A_CNT    0x604   /* PIIX4/ICH9 PM1a control, as QEMU's firmware sets it */
#define ACPI_SLP_S5      0x2000  /* SLP_EN with SLP_TYP 0: QEMU's S5 */
#define MICROVM_GED_SLEEP 0xfea00200 /* microvm's ACPI GED sleep control register (MMIO) */
#define GED_SLP_S5       0x34    /* SLP_EN (0x20) with SLP_TYP 5 << 2 */
#define KBC_COMMAND      0x64
#define KBC_RESET        0xfe    /* pulse reset: with -no-reboot, QEMU stops */

void console_flush(void);

_Noreturn void power_off(int status)
{
    console_flush();
    /* Success is a plain power-off, which QEMU ends with 0; isa-debug-exit
       would turn status 0 into 1, QEMU's own failure status. But a triple
       fault under -no-reboot also ends QEMU with 0: so success first says so
       on the debug console, and a 0 without it is no success. */
    if (status != 0)
        outl(DEBUG_EXIT_PORT, (uint32_t)status);
    for (const char *m = MOTE_EXIT_MARK; *m; m++)
        outb(DEBUGCON_PORT, (uint8_t)*m);
    /* Status 0, or no isa-debug-exit (the status is lost): still a stop. */
    outw(ACPI_PM1A_CNT, ACPI_SLP_S5);
    *(volatile uint8_t *)MICROVM_GED_SLEEP = GED_SLP_S5;
    outb(KBC_COMMAND, KBC_RESET);
    for (;;)
        __asm__ volatile("cli; hlt");
}
