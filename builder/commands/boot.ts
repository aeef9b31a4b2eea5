// mote boot IMAGE [-m 16M] [--accel auto|kvm|tcg] [--machine microvm|pc] [-p 8080:80]... [--net none]
//                  [--env NAME=value]... [--log-level L] [--qemu-arg ARG]... [-- APP_ARGS...]
import { Exit } from '../../kernel/platform.ts';
import { CliError } from '../errors.ts';
import { formatSize } from '../size.ts';
import { networkOptions, readImageFile, type NetFlags } from './common.ts';
import { ImageError, readImage } from '../image.ts';
import { frameRewriter, lineRewriter, moduleCode } from '../source-maps.ts';
import { checkQemuArgs } from '../qemu-args.ts';
import { guestCommandLine, type GuestFlags } from './guest-options.ts';

/** QEMU flags no app would take for its own: after -- they were QEMU's until
 *  the app's arguments took that place, so seeing one there earns a note. */
const QEMU_ONLY = new Set(['-device', '-netdev', '-nic', '-object', '-chardev', '-qmp', '-monitor', '-trace', '-gdb', '-drive', '-global', '-smp', '-accel', '-machine', '-serial', '-append', '-enable-kvm', '-no-reboot', '-nographic', '-display', '-bios', '-initrd', '-icount']);
const QEMU_LOG_ITEMS = /^(guest_errors|int|cpu_reset|unimp|in_asm|out_asm|op|exec|cpu|mmu|pcall|page|nochain|plugin|strace|tid)(,[a-z_]+)*$/;

/** The first app argument that looks like what used to be QEMU's, or undefined. */
export function formerQemuArg(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (QEMU_ONLY.has(a.replace(/^--/, '-'))) return a;
    if (a === '-d' && QEMU_LOG_ITEMS.test(args[i + 1] ?? '')) return `${a} ${args[i + 1]}`;
  }
  return undefined;
}

export interface BootFlags extends NetFlags, GuestFlags {
  memory: number;
  /** QEMU's own arguments, one per --qemu-arg. */
  qemuArg?: string[];
  accel: 'auto' | 'kvm' | 'tcg';
  machine: 'microvm' | 'pc';
  timeout?: number;
}

export async function bootCommand(path: string, appArgs: string[], flags: BootFlags): Promise<number> {
  const img = await readImage(readImageFile(path)); // a bad image gets its own status, before QEMU
  const network = networkOptions(flags);
  const qemuArgs = flags.qemuArg ?? [];
  checkQemuArgs(qemuArgs, network.net);
  const commandLine = guestCommandLine(appArgs, flags);
  const former = formerQemuArg(appArgs);
  if (former) process.stderr.write(`mote: note: ${former} after -- goes to the app as an argument; QEMU's own flags go with --qemu-arg now (--qemu-arg ${former.split(' ').join(' --qemu-arg ')})\n`);
  const { bootImage, checkMachineRam } = await import('../qemu.ts');
  checkMachineRam(flags.memory, `-m ${formatSize(flags.memory)}`);
  // Ctrl-C, or a signal to mote alone: QEMU is stopped (qemu.ts forwards the
  // signal), then the stop is reported as shells do (130 for Ctrl-C).
  // Stack frames on the console, mapped to the TypeScript when IMAGE.map is beside the image.
  const rewrite = frameRewriter(path, moduleCode(img));
  const frames = rewrite && lineRewriter(rewrite, (text) => process.stdout.write(text));
  let r: Awaited<ReturnType<typeof bootImage>>;
  try {
    r = await bootImage(path, {
      memory: flags.memory,
      accel: flags.accel,
      machine: flags.machine,
      timeoutMs: flags.timeout,
      // A terminal goes to QEMU as it is (raw keys, Ctrl-D a byte); a pipe
      // or file goes through mote, which ends it with 0x04: a serial line
      // has no end of its own (kernel/platform.ts, onInput).
      stdio: 'inherit',
      stdin: process.stdin.isTTY ? undefined : process.stdin,
      extraArgs: qemuArgs,
      commandLine,
      rawConsole: img.manifest.console === 'raw' && process.stdin.isTTY === true,
      ...(frames ? { onOutput: (text: string) => frames.push(text) } : {}),
      ...network,
    });
  } catch (e) {
    frames?.end();
    // Refused before QEMU (it cannot load an image above its RAM): say it as
    // the boot layer and `mote run` do, on the console, with the same status.
    if (e instanceof ImageError && e.status === Exit.TooLittleMemory) {
      process.stdout.write(`mote: ${e.message}\n`);
      return e.status;
    }
    throw e;
  }
  frames?.end();
  if (/KVM internal error/.test(r.stderr)) {
    throw new CliError('KVM could not run the guest here (a nested /dev/kvm cannot): use --accel tcg, or --accel auto to probe first');
  }
  if (r.stoppedBy) {
    process.stderr.write(`mote: ${r.stoppedBy === 'SIGINT' ? 'interrupted' : `stopped by ${r.stoppedBy}`}; the guest was stopped\n`);
    return r.status;
  }
  if (r.status === Exit.GuestReset) process.stderr.write('mote: the guest stopped without a status: a triple fault or a reset\n');
  if (r.status === Exit.Timeout) process.stderr.write(`mote: the guest passed --timeout ${flags.timeout! / 1000}s and was stopped\n`);
  return r.status;
}
