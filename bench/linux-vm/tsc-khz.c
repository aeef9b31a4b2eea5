// Prints this machine's TSC rate in kHz, measured against CLOCK_MONOTONIC_RAW
// over 200 ms. Under TCG, QEMU gives the guest the host's TSC as its own, so
// this is the rate the Linux reference is told on its command line
// (tsc_early_khz=): on -M microvm there is no HPET or ACPI PM timer to
// calibrate against, and calibrating on the PIT fails whenever the host
// deschedules QEMU mid-measurement.
//   build/linux-vm/tsc-khz    (built by bench/report/linux-hello.sh)
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC_RAW, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

// One TSC read bracketed by two clock reads, taken again until the bracket
// is short (the process was not descheduled in between).
static void sample(double *ns, unsigned long long *tsc) {
  for (;;) {
    double a = now_ns();
    unsigned long long t = __rdtsc();
    double b = now_ns();
    if (b - a < 20000) {
      *ns = (a + b) / 2;
      *tsc = t;
      return;
    }
  }
}

int main(void) {
  double n0, n1;
  unsigned long long t0, t1;
  struct timespec wait = {0, 200000000};
  sample(&n0, &t0);
  nanosleep(&wait, 0);
  sample(&n1, &t1);
  printf("%.0f\n", (double)(t1 - t0) / (n1 - n0) * 1e6);
  return 0;
}
