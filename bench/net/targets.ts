// The servers the network bench loads, as launches for serve.ts: mote's
// images on both hosts, and the references (Node, BEAM, a Linux VM running
// QuickJS). Each gets loopback ports of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { QEMU } from '../../builder/qemu.ts';
import { netArgs } from '../../builder/qemu-net.ts';
import { freePort } from '../../tests/net/support.ts';
import { echoOk, httpOk } from './client.ts';
import type { Launch } from './serve.ts';

export type Role = 'http' | 'echo';
const GUEST_PORT: Record<Role, number> = { http: 80, echo: 7 };
const probe = (role: Role) => (p: Record<string, number>) => (role === 'http' ? httpOk(p.http!, 3000) : echoOk(p.echo!, 3000));
/** Whichever role a two-port reference serves: ready when both answer. */
const both = async (p: Record<string, number>) => (await httpOk(p.http!, 3000)) && (await echoOk(p.echo!, 3000));

/** `mote run|boot IMAGE -p PORT:GUEST -m MEMORY` through the real CLI;
 *  boot under TCG on microvm (its default), or on pc when `machine` says. */
export async function mote(host: 'run' | 'boot', image: string, role: Role, memory: string, machine?: 'pc'): Promise<Launch> {
  const port = await freePort();
  return {
    name: `mote ${host}${machine ? ` ${machine}` : ''}`,
    cmd: process.execPath,
    args: [
      join(MOTE_ROOT, 'bin/mote.js'), host, image, '-p', `${port}:${GUEST_PORT[role]}`, '-m', memory,
      ...(host === 'boot' ? ['--accel', 'tcg'] : []), ...(machine ? ['--machine', machine] : []),
    ],
    ports: { [role]: port },
    ready: probe(role),
  };
}

/** The floor image (fixtures/net-floor: hello and echo straight on the
 *  platform's sockets, no kernel) on either host, both ports published. */
export async function moteFloor(host: 'run' | 'boot', image: string): Promise<Launch> {
  const ports = { http: await freePort(), echo: await freePort() };
  return {
    name: `floor ${host}`,
    cmd: process.execPath,
    args: [
      join(MOTE_ROOT, 'bin/mote.js'), host, image, '-p', `${ports.http}:80`, '-p', `${ports.echo}:7`, '-m', '8M',
      ...(host === 'boot' ? ['--accel', 'tcg'] : []),
    ],
    ports,
    ready: both,
  };
}

export async function nodeRef(): Promise<Launch> {
  const ports = { http: await freePort(), echo: await freePort() };
  return {
    name: 'node',
    cmd: join(MOTE_ROOT, 'node_modules/.bin/vite-node'),
    args: [join(MOTE_ROOT, 'bench/net/node-servers.ts'), '--', String(ports.http), String(ports.echo)],
    cwd: MOTE_ROOT,
    ports,
    ready: both,
  };
}

/** Why BEAM cannot be a reference here, or null. */
export function beamMissing(): string | null {
  return spawnSync('erl', ['-version']).error ? 'erl not found (apt-get install erlang-base)' : null;
}

export async function beam(): Promise<Launch> {
  const dir = mkdtempSync(join(tmpdir(), 'mote-bench-net-erl-'));
  execFileSync('erlc', ['-o', dir, join(MOTE_ROOT, 'bench/net/net_servers.erl')]);
  const ports = { http: await freePort(), echo: await freePort() };
  return {
    name: 'beam',
    cmd: 'erl',
    args: ['-noshell', '-pa', dir, '-eval', `net_servers:main([${ports.http}, ${ports.echo}])`],
    ports,
    ready: both,
  };
}

export const LINUX_VM = join(MOTE_ROOT, 'build/linux-vm');
export const LINUX_VM_MEMORY = '128M';

/** Builds the Linux reference when missing (bench/linux-vm/setup.sh, which
 *  installs what it needs from apt); why it cannot be had, or null. */
export function linuxVmMissing(): string | null {
  if (existsSync(join(LINUX_VM, 'initramfs.cpio')) && existsSync(join(LINUX_VM, 'vmlinuz'))) return null;
  const r = spawnSync('sh', [join(MOTE_ROOT, 'bench/linux-vm/setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return `bench/linux-vm/setup.sh failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}`;
  return null;
}

/** Debian's kernel and a QuickJS initramfs under the same QEMU and
 *  accelerator as mote boot, on -M pc (Debian's kernel finds virtio-net on
 *  PCI; microvm would need virtio-mmio devices on its command line). */
export async function linuxVm(memory = LINUX_VM_MEMORY): Promise<Launch> {
  const ports = { http: await freePort(), echo: await freePort() };
  const publish = (['http', 'echo'] as const).map((r) => ({ protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: ports[r], guestPort: GUEST_PORT[r] }));
  return {
    name: 'linux vm',
    cmd: QEMU,
    args: [
      '-M', 'pc', '-accel', 'tcg', '-m', memory,
      '-kernel', join(LINUX_VM, 'vmlinuz'), '-initrd', join(LINUX_VM, 'initramfs.cpio'),
      '-append', 'console=ttyS0 quiet loglevel=1 panic=-1',
      '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
      ...netArgs('pc', publish),
    ],
    ports,
    ready: both,
    readyMs: 120_000,
  };
}
