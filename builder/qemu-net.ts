// The network of a booted guest: QEMU's user networking (slirp), which needs
// no root, tap or bridge. The guest is 10.0.2.15 (DHCP) and reaches this
// machine at 10.0.2.2; each `-p` is a hostfwd rule, QEMU listening on the host
// port. Here: the arguments that attach it, the flags after `--` that would
// attach a second network beside it, and what a failed hostfwd rule means.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortMapping } from './hosted/types.ts';
import { bindFailure } from './publish.ts';
import type { Machine } from './qemu.ts';

const NETDEV_ID = 'net0';

/** The guest's NIC, on each machine's transport: virtio-mmio on microvm
 *  (QEMU 7.2 puts it in the last free slot, legacy layout), a transitional
 *  PCI device (1af4:1000, legacy I/O in BAR0) on pc. romfile= leaves out
 *  the iPXE option ROM: the guest never boots from the network, and QEMU
 *  need not find efi-virtio.rom (Debian's ipxe-qemu). */
const NIC: Record<Machine, string> = {
  microvm: 'virtio-net-device',
  pc: 'virtio-net-pci,romfile=',
};

/** A mapping as QEMU's hostfwd rule: "tcp:127.0.0.1:8080-:80" (an empty
 *  guest address is the guest's DHCP address). */
export function hostForwardRule(m: PortMapping): string {
  return `${m.protocol}:${m.hostIp}:${m.hostPort}-:${m.guestPort}`;
}

/** `-netdev user,…` with a hostfwd per mapping, and the NIC on it. */
export function netArgs(machine: Machine, publish: readonly PortMapping[]): string[] {
  const netdev = ['user', `id=${NETDEV_ID}`, ...publish.map((m) => `hostfwd=${hostForwardRule(m)}`)].join(',');
  return ['-netdev', netdev, '-device', `${NIC[machine]},netdev=${NETDEV_ID}`];
}

const NET_FLAGS = new Set(['netdev', 'nic', 'net']);

/** Whether a -device value names a virtio-net driver: "virtio-net-pci,…",
 *  "id=n,driver=virtio-net-device" or JSON, {"driver": "virtio-net-pci"}. */
function isVirtioNet(device: string): boolean {
  if (device.trimStart().startsWith('{')) return /"driver"\s*:\s*"virtio-net/.test(device);
  const drivers = device.split(',').map((o, i) => (o.startsWith('driver=') ? o.slice(7) : i === 0 && !o.includes('=') ? o : ''));
  return drivers.some((d) => d.startsWith('virtio-net'));
}

/** The first QEMU argument that would give the guest a network or a
 *  virtio-net device of its own ("-netdev", "-device virtio-net-pci,…"),
 *  or undefined. */
export function ownNetFlag(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const flag = /^--?([\w-]+)$/.exec(args[i]!)?.[1];
    if (flag !== undefined && NET_FLAGS.has(flag)) return args[i];
    if (flag === 'device' && isVirtioNet(args[i + 1] ?? '')) return `${args[i]} ${args[i + 1]}`;
  }
  return undefined;
}

/** QEMU's complaint when a hostfwd rule cannot listen (7.2: "Could not set
 *  up host forwarding rule 'tcp:127.0.0.1:8080-:80'"), as a line naming the
 *  `-p` and why, found by binding the port here; undefined if QEMU failed
 *  for another reason. */
export async function hostForwardFailure(stderr: string, publish: readonly PortMapping[]): Promise<string | undefined> {
  const rule = /could not set up host forwarding rule '([^']+)'/i.exec(stderr)?.[1];
  const m = rule === undefined ? undefined : publish.find((p) => hostForwardRule(p) === rule);
  return m && bindFailure(m, await bindError(m));
}

/** The errno code binding the mapping's host port gives now, or undefined
 *  if it binds (then it is let go at once). */
export function bindError(m: PortMapping): Promise<string | undefined> {
  return new Promise((resolve) => {
    const done = (e?: NodeJS.ErrnoException) => resolve(e?.code);
    if (m.protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', (e) => {
        try {
          s.close();
        } catch {
          // already closed by the failed bind
        }
        done(e);
      });
      s.bind({ address: m.hostIp, port: m.hostPort, exclusive: true }, () => s.close(() => done()));
    } else {
      const s = createServer();
      s.once('error', done);
      s.listen({ host: m.hostIp, port: m.hostPort, exclusive: true }, () => s.close(() => done()));
    }
  });
}
