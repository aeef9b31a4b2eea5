// Which QEMU arguments a user may add to a boot (`mote boot --qemu-arg`):
// none that mote sets itself, and no second network beside mote's own.
import { ArgumentError } from './errors.ts';
import { ownNetFlag } from './qemu-net.ts';

/** QEMU flags that mote sets itself: given again, they would silently
 *  override what mote checked (a smaller -m hangs QEMU's loader). */
const OWN_FLAGS: Record<string, string> = {
  m: "use mote's -m, which checks the image fits",
  M: 'use --machine',
  machine: 'use --machine',
  accel: 'use --accel',
  'enable-kvm': 'use --accel kvm',
  kernel: 'the image is the kernel',
  debugcon: 'mote reads the debug console to tell a clean power-off from a triple fault',
  'no-reboot': 'a reset must stop the guest, not restart it',
  append: "the app's arguments and environment are the command line: give them after -- and with --env",
  serial: 'the console is the serial port on stdio',
};

/** Refuses QEMU arguments mote cannot take; `net` is whether mote attaches the network. */
export function checkQemuArgs(args: readonly string[], net: boolean): void {
  for (const a of args) {
    const flag = /^--?([\w-]+)$/.exec(a)?.[1];
    if (flag !== undefined && Object.hasOwn(OWN_FLAGS, flag)) {
      throw new ArgumentError(`--qemu-arg ${a}: mote sets it itself; ${OWN_FLAGS[flag]}`);
    }
  }
  // A second network beside mote's; with --net none, the user's own is theirs to give.
  const netFlag = net ? ownNetFlag(args) : undefined;
  if (netFlag !== undefined) {
    throw new ArgumentError(`--qemu-arg ${netFlag}: mote attaches the guest's network itself (QEMU user networking; -p publishes ports); to attach your own, add --net none`);
  }
}
