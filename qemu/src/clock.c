/* clock.c: time. Monotonic time is the TSC, calibrated against the PIT over a
   window that opens at boot and closes when the clock is first read, together
   with the LAPIC timer that wakes us from hlt.
   Wall time is the CMOS RTC read once at boot plus monotonic time since. */
#include "mote.h"
#include "param.h"
#include "io.h"

#define PIT_HZ        1193182
#define PIT_CH0       0x40
#define PIT_CMD       0x43
#define PIT_MODE0_CH0 0x30    /* channel 0, lobyte/hibyte, mode 0 (count down once) */
#define PIT_LATCH_CH0 0x00
#define PIT_READBACK_STATUS_CH0 0xe2  /* read-back: latch channel 0's status, not its count */
#define PIT_STATUS_OUT 0x80
#define CMOS_INDEX    0x70
#define CMOS_DATA     0x71
#define RTC_UPDATING  0x80    /* status A: an update is in progress */

void lapic_arm(uint32_t ticks);
uint32_t lapic_count(void);

static uint64_t tsc_start;
static uint64_t tsc_per_ms;
static uint64_t lapic_per_ms;
static int64_t wall_at_boot_ms;
static struct window { uint64_t tsc; uint32_t lapic; uint16_t pit; } boot_window;

static uint16_t pit_read(void)
{
    outb(PIT_CMD, PIT_LATCH_CH0);
    uint8_t lo = inb(PIT_CH0);
    return (uint16_t)(lo | inb(PIT_CH0) << 8);
}

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int64_t rtc_read_ms(void)
{
    while (cmos(0x0a) & RTC_UPDATING)
        ;
    unsigned s = cmos(0x00), mi = cmos(0x02), h = cmos(0x04);
    unsigned d = cmos(0x07), mo = cmos(0x08), y = cmos(0x09), cent = cmos(0x32);
    if (!(cmos(0x0b) & 0x04)) {         /* BCD unless status B says binary */
#define BCD(x) (((x) & 0x0f) + ((x) >> 4) * 10)
        s = BCD(s); mi = BCD(mi); h = BCD(h & 0x7f) | (h & 0x80); d = BCD(d); mo = BCD(mo); y = BCD(y); cent = BCD(cent);
#undef BCD
    }
    int64_t year = (cent ? cent : 20) * 100 + y;
    int64_t days = days_from_civil(year, mo, d);
    return ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000;
}

/* The PIT counts down once from 0xffff: 54.9 ms before OUT goes high. */
static void window_open(struct window *w)
{
    outb(PIT_CMD, PIT_MODE0_CH0);
    outb(PIT_CH0, 0xff);
    outb(PIT_CH0, 0xff);
    w->pit = pit_read();
    lapic_arm(0xffffffff);
    w->tsc = rdtsc();
    w->lapic = lapic_count();
}

/* OUT high: the count reached zero, so the ticks read since may have wrapped. */
static int pit_expired(void)
{
    outb(PIT_CMD, PIT_READBACK_STATUS_CH0);
    return inb(PIT_CH0) & PIT_STATUS_OUT;
}

/* Closes the window opened by clock_init, at least PIT_CALIBRATE_MS wide.
   Runs at the first use of the clock: the engine's start-up fills the window
   (QuickJS seeds Math.random from the time while it builds the context),
   so calibrating costs no spin of its own. */
static void calibrate(void)
{
    uint16_t least = PIT_HZ / 1000 * PIT_CALIBRATE_MS;
    uint16_t p1 = pit_read();
    if (pit_expired()) {                /* start-up took over 54 ms: open anew */
        window_open(&boot_window);
        p1 = boot_window.pit;
    }
    while ((uint16_t)(boot_window.pit - p1) < least)
        p1 = pit_read();
    uint64_t t1 = rdtsc();
    uint32_t l1 = lapic_count();
    lapic_arm(0);
    uint64_t pit_ticks = (uint16_t)(boot_window.pit - p1);
    tsc_per_ms = (t1 - boot_window.tsc) * PIT_HZ / (pit_ticks * 1000);
    lapic_per_ms = (uint64_t)(boot_window.lapic - l1) * PIT_HZ / (pit_ticks * 1000);
    if (tsc_per_ms == 0 || lapic_per_ms == 0)
        mote_fatal(MOTE_EXIT_BAD_BOOT, "clock: calibration against the PIT failed (tsc %lu/ms, lapic %lu/ms)",
                   tsc_per_ms, lapic_per_ms);
}

void clock_init(void)
{
    window_open(&boot_window);
    tsc_start = boot_window.tsc;
    wall_at_boot_ms = rtc_read_ms();
}

uint64_t clock_ns(void)
{
    if (!tsc_per_ms)
        calibrate();
    uint64_t d = rdtsc() - tsc_start;
    return d / tsc_per_ms * 1000000 + d % tsc_per_ms * 1000000 / tsc_per_ms;
}

int64_t clock_wall_ms(void)
{
    return wall_at_boot_ms + (int64_t)(clock_ns() / 1000000);
}

uint64_t clock_halts;                   /* hlt instructions run, for tests (test_hooks.c) */

/* Halt until `deadline_ns` or an interrupt, whichever is first. */
void clock_wait_until(uint64_t deadline_ns)
{
    uint64_t now = clock_ns();
    if (deadline_ns <= now)
        return;
    uint64_t ticks = (deadline_ns - now) * lapic_per_ms / 1000000 + 1;
    lapic_arm(ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
    clock_halts++;
    __asm__ volatile("sti; hlt; cli");   /* sti's shadow makes the pair atomic */
    lapic_arm(0);
}
