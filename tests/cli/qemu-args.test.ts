// The QEMU flag policy, in the library (builder/qemu-args.ts) behind `mote
// boot --qemu-arg`: flags mote sets itself are refused, and a second network
// unless mote attaches none.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../builder/errors.ts';
import { checkQemuArgs } from '../../builder/qemu-args.ts';

describe('checkQemuArgs', () => {
  it('takes QEMU flags mote does not set', () => {
    expect(() => checkQemuArgs(['-d', 'guest_errors', '-smp', '2'], true)).not.toThrow();
  });

  it.each([['-m'], ['--machine'], ['-append'], ['-serial'], ['-kernel']])('refuses %s, which mote sets itself', (flag) => {
    expect(() => checkQemuArgs([flag, 'x'], true)).toThrow(ArgumentError);
    expect(() => checkQemuArgs([flag, 'x'], true)).toThrow(`--qemu-arg ${flag}: mote sets it itself; `);
  });

  it('refuses a second network beside mote\'s, and takes it with no network of mote\'s', () => {
    expect(() => checkQemuArgs(['-device', 'virtio-net-pci'], true)).toThrow("--qemu-arg -device virtio-net-pci: mote attaches the guest's network itself");
    expect(() => checkQemuArgs(['-device', 'virtio-net-pci'], false)).not.toThrow();
  });
});
