// mote boot IMAGE [-m 16M] [--accel auto|kvm|tcg] [--machine microvm|pc] [-- QEMU_ARGS...]
import { Exit } from '../../kernel/platform.ts';
import { CliError } from '../errors.ts';
import { readImageFile } from './common.ts';
import { readImage } from '../image.ts';

/** What shells report for a command stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

export interface BootFlags {
  memory: number;
  accel: 'auto' | 'kvm' | 'tcg';
  machine: 'microvm' | 'pc';
  timeout?: number;
}

export async function bootCommand(path: string, qemuArgs: string[], flags: BootFlags): Promise<number> {
  await readImage(readImageFile(path)); // a bad image gets its own status, before QEMU
  const { bootImage } = await import('../qemu.ts');
  // Ctrl-C reaches QEMU too (same process group): let it stop the guest, then
  // report the interruption as shells do, instead of dying before QEMU does.
  let interrupted = false;
  const onInt = () => {
    interrupted = true;
  };
  process.on('SIGINT', onInt);
  const r = await bootImage(path, {
    memory: flags.memory,
    accel: flags.accel,
    machine: flags.machine,
    timeoutMs: flags.timeout,
    stdio: 'inherit',
    extraArgs: qemuArgs,
  }).finally(() => process.off('SIGINT', onInt));
  if (/KVM internal error/.test(r.stderr)) {
    throw new CliError('KVM could not run the guest here (a nested /dev/kvm cannot): use --accel tcg, or --accel auto to probe first');
  }
  if (interrupted) {
    process.stderr.write('mote: interrupted; the guest was stopped\n');
    return INTERRUPTED;
  }
  if (r.status === Exit.Timeout) process.stderr.write(`mote: the guest passed --timeout ${flags.timeout! / 1000}s and was stopped\n`);
  return r.status;
}
