// The Linux reference for boot: Debian's kernel booting the static qjs from
// bench/report/linux-hello.sh's initramfs under the same QEMU and
// accelerator as mote, timed launch to exit. Under TCG on -M microvm, 6.1
// hung in calibrate_delay() whenever its TSC calibration failed: microvm has
// no HPET or ACPI PM timer to calibrate against, the PIT calibration fails
// when the host deschedules QEMU mid-measurement (a busy machine: most boots),
// and with no TSC rate the kernel waits for a jiffy that never ticks (IRQ 0
// pending, masked). So the kernel is told the rate (tsc_early_khz=, the
// host's own TSC, which TCG hands the guest; measured by tsc-khz) and trusts
// the TSC (tsc=reliable: no watchdog against jiffies, which drift under TCG).
// It gets the same command line on pc. Every boot still has a timeout, and
// a hang is counted, not timed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { QEMU, type Machine } from '../../builder/qemu.ts';

const VM = join(MOTE_ROOT, 'build/linux-vm');
export const LINUX_KERNEL = join(VM, 'vmlinuz');
export const LINUX_INITRD = join(VM, 'hello.cpio');
export const LINUX_HELLO = 'hello from linux';
const TSC_KHZ = join(VM, 'tsc-khz');

/** The kernel's command line: the serial console, no boot messages, and the
 *  TSC's rate, measured here (see above). */
export function linuxCommandLine(): string {
  const khz = Number(execFileSync(TSC_KHZ, { encoding: 'utf8' }).trim());
  if (!(khz > 0)) throw new Error(`${TSC_KHZ} gave no TSC rate`);
  return `console=ttyS0 quiet loglevel=1 panic=-1 tsc_early_khz=${khz} tsc=reliable`;
}

/** Builds the initramfs (and the network bench's kernel and qjs, when
 *  missing); throws with the script's last lines when it fails. */
export function buildLinuxHello(): { kernelBytes: number; initrdBytes: number } {
  const r = spawnSync('sh', [join(MOTE_ROOT, 'bench/report/linux-hello.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/report/linux-hello.sh failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  return { kernelBytes: statSync(LINUX_KERNEL).size, initrdBytes: statSync(LINUX_INITRD).size };
}

export type LinuxBoot = { ms: number; printed: boolean } | { hang: true };

/** One boot at `memoryMiB` with `commandLine` (linuxCommandLine()): launch
 *  to QEMU's exit, and whether the hello line came out; a hang if it runs
 *  past `timeoutMs`. */
export function bootLinux(machine: Machine, memoryMiB: number, timeoutMs: number, commandLine: string): Promise<LinuxBoot> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const q = spawn(QEMU, [
      '-M', machine, '-accel', 'tcg', '-m', `${memoryMiB}M`,
      '-kernel', LINUX_KERNEL, '-initrd', LINUX_INITRD,
      '-append', commandLine,
      '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    q.stdout.on('data', (d: Buffer) => (out += d.toString()));
    q.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let hung = false;
    const timer = setTimeout(() => { hung = true; q.kill('SIGKILL'); }, timeoutMs);
    q.on('error', (e) => { clearTimeout(timer); reject(e); });
    q.on('close', () => {
      clearTimeout(timer);
      resolve(hung ? { hang: true } : { ms: performance.now() - t0, printed: out.includes(LINUX_HELLO) });
    });
  });
}

/** The smallest -m, in MiB steps, at which the hello line comes out, or
 *  null when it does not at `hiMiB`. A hang counts as not printing (a retry
 *  would cost the timeout again, and too little RAM can hang too); `hangs`
 *  counts them. */
export async function smallestLinuxMemory(machine: Machine, hiMiB: number, timeoutMs: number, commandLine: string, hangs: { n: number }): Promise<number | null> {
  const prints = async (mib: number) => {
    const r = await bootLinux(machine, mib, timeoutMs, commandLine);
    if ('hang' in r) hangs.n++;
    return !('hang' in r) && r.printed;
  };
  if (!(await prints(hiMiB))) return null;
  let lo = 1, hi = hiMiB;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await prints(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
