// The network on the command line: -p and --net for boot, run and budget.
// Real QEMU runs are few and short: the device check pauses the guest before
// its first instruction (-S), a taken host port stops QEMU as it starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOOT_LAYER } from '../../builder/pack.ts';
import { parsePublish } from '../../builder/publish.ts';
import { QEMU, qemuArgs, type Machine } from '../../builder/qemu.ts';
import { buildCli, expectNoStack, mote, moteSync, root, tempDir } from './support.ts';
import { freePort } from '../support/free-port.ts';

const dir = tempDir();
const hello = join(dir, 'hello.img');

beforeAll(() => {
  buildCli();
  expect(moteSync(['build', 'images/hello', '-o', hello]).status).toBe(0);
});

/** QEMU with mote's arguments for a boot that publishes `publish`, paused
 *  before the guest runs, its monitor on stdin: the answers to `commands`,
 *  once QEMU has quit. */
function askMonitor(machine: Machine, publish: string[], commands: string[]): Promise<string> {
  const args = qemuArgs(BOOT_LAYER, { memory: 16 << 20, accel: 'tcg', machine, publish: publish.map((p) => parsePublish(p)) });
  const monitored = args.map((a, i) => (args[i - 1] === '-monitor' ? 'stdio' : args[i - 1] === '-serial' ? 'null' : a));
  const child = spawn(QEMU, [...monitored, '-S'], { stdio: 'pipe' });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stdin.end([...commands, 'quit', ''].join('\n'));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describe('the guest NIC, as a real QEMU sees it', () => {
  it('microvm: a virtio-net device on a virtio-mmio transport, on user networking with both forwards', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const out = await askMonitor('microvm', [`${tcp}:80`, `${udp}:53/udp`], ['info network', 'info usernet', 'info qtree']);
    expect(out).toMatch(/virtio-net-device\.0: index=0,type=nic,model=virtio-net-device/);
    expect(out).toMatch(/net0: index=0,type=user,net=10\.0\.2\.0/);
    expect(out).toMatch(new RegExp(`TCP\\[HOST_FORWARD\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+${tcp}\\s+10\\.0\\.2\\.15\\s+80\\s`));
    expect(out).toMatch(new RegExp(`UDP\\[HOST_FORWARD\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+${udp}\\s+10\\.0\\.2\\.15\\s+53\\s`));
    expect(out).toMatch(/bus: virtio-mmio-bus\.\d+\s+type virtio-mmio-bus\s+dev: virtio-net-device/);
  });

  it('pc: a transitional virtio-net-pci device (1af4:1000) on the same network', async () => {
    const out = await askMonitor('pc', [], ['info network', 'info pci']);
    expect(out).toMatch(/virtio-net-pci\.0: index=0,type=nic,model=virtio-net-pci/);
    expect(out).toMatch(/Ethernet controller: PCI device 1af4:1000/);
  });
});

describe('a host port that is already taken', () => {
  const held: Array<Server | UdpSocket> = [];
  afterEach(() => {
    for (const h of held.splice(0)) h.close();
  });
  const holdTcp = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
      held.push(s);
    });
  const holdUdp = () =>
    new Promise<number>((resolve) => {
      const s = createSocket('udp4').bind(0, '127.0.0.1', () => resolve(s.address().port));
      held.push(s);
    });

  it('boot -p on a TCP port in use: one line naming the -p and why, status 1', async () => {
    const port = await holdTcp();
    const r = await mote(['boot', hello, '--accel', 'tcg', '-p', `${port}:80`]);
    expect(r.stderr).toBe(`mote: error: -p 127.0.0.1:${port}:80/tcp: host port ${port}/tcp on 127.0.0.1 is already in use; free it or publish another\n`);
    expect(r.status).toBe(1);
  });

  it('run -p on a port in use: the same line and status, before the app runs', async () => {
    const port = await holdTcp();
    const r = await mote(['run', hello, '-p', `${port}:80`]);
    expect(r.stderr).toBe(`mote: error: -p 127.0.0.1:${port}:80/tcp: host port ${port}/tcp on 127.0.0.1 is already in use; free it or publish another\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });

  it('the same for UDP on -M pc, whichever -p it is', async () => {
    const port = await holdUdp();
    const r = await mote(['boot', hello, '--accel', 'tcg', '--machine', 'pc', '-p', `${port}:80`, '-p', `${port}:53/udp`]);
    expect(r.stderr).toBe(`mote: error: -p 127.0.0.1:${port}:53/udp: host port ${port}/udp on 127.0.0.1 is already in use; free it or publish another\n`);
    expect(r.status).toBe(1);
  });
});

describe('boot with the network', () => {
  it('-p on a free port boots the guest just as --net none does', async () => {
    const port = await freePort();
    const published = await mote(['boot', hello, '--accel', 'tcg', '--timeout', '60', '-p', `${port}:80`]);
    const none = await mote(['boot', hello, '--accel', 'tcg', '--timeout', '60', '--net', 'none']);
    expectNoStack(published);
    expect(published.stderr).toBe(none.stderr);
    expect(published.stdout).toBe(none.stdout);
    expect(published.status).toBe(none.status);
  });
});

describe('the same -p and --net on both hosts: an app that listens on port 80', () => {
  // Listens on port 80, echoes the first 5 bytes of one connection, and ends.
  const server = join(dir, 'echo-once.img');
  beforeAll(() => {
    writeFileSync(
      join(dir, 'echo-once.ts'),
      `import { spawn, gen_tcp } from 'mote';
spawn(async () => {
  const l = await gen_tcp.listen(80);
  if ('error' in l) return console.log('listen: ' + l.error);
  console.log('listening');
  const c = await gen_tcp.accept(l.ok);
  if ('error' in c) return console.log('accept: ' + c.error);
  const r = await gen_tcp.recv(c.ok, 5);
  if (!('error' in r)) await gen_tcp.send(c.ok, r.ok);
  gen_tcp.close(c.ok);
  gen_tcp.close(l.ok);
});
`,
    );
    expect(moteSync(['build', join(dir, 'echo-once.ts'), '-o', server]).status).toBe(0);
  });

  for (const command of ['run', 'boot'] as const) {
    it(`${command} -p: the host port reaches the app's port 80`, async () => {
      const port = await freePort();
      const args = [command, server, '-p', `${port}:80`, '--timeout', '60', ...(command === 'boot' ? ['--accel', 'tcg'] : [])];
      const child = spawn(process.execPath, [join(root, 'bin/mote.js'), ...args], { stdio: 'pipe' });
      const closed = once(child, 'close');
      let out = '';
      child.stdout.setEncoding('utf8');
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
      // Until the app listens, or the run ends without listening.
      await Promise.race([new Promise<void>((listening) => child.stdout.on('data', (s: string) => (out += s).includes('listening\n') && listening())), closed]);
      expect(out, err).toBe('listening\n');
      const sock = connect(port, '127.0.0.1', () => sock.end('hello'));
      let echoed = '';
      let sockError = '';
      sock.setEncoding('utf8').on('data', (s: string) => (echoed += s));
      sock.on('error', (e) => (sockError = e.message));
      await new Promise((r) => sock.on('close', r));
      const [code] = await closed;
      expect(echoed, sockError).toBe('hello');
      expect(out).toBe('listening\n');
      expect(code).toBe(0);
    });

    it(`${command} --net none: the app has no network`, async () => {
      const r = await mote([command, server, '--net', 'none', '--timeout', '60']);
      expect(r.stdout).toBe('listen: enetdown\n');
      expect(r.status).toBe(0);
    });
  }
});

describe('refused before QEMU starts (usage, status 2)', () => {
  const refused = (r: { status: number; stderr: string }, message: string | RegExp) => {
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
  };

  it('QEMU network flags in --qemu-arg while mote attaches its own', () => {
    const hint = "mote attaches the guest's network itself (QEMU user networking; -p publishes ports); to attach your own, add --net none\n";
    refused(moteSync(['boot', hello, '--qemu-arg', '-netdev', '--qemu-arg', 'user,id=mine']), `mote: error: --qemu-arg -netdev: ${hint}`);
    refused(moteSync(['boot', hello, '--qemu-arg', '-nic', '--qemu-arg', 'user']), `mote: error: --qemu-arg -nic: ${hint}`);
    refused(moteSync(['boot', hello, '--qemu-arg', '-net', '--qemu-arg', 'nic']), `mote: error: --qemu-arg -net: ${hint}`);
    refused(moteSync(['boot', hello, '-p', '8080:80', ...['-d', 'guest_errors', '-device', 'virtio-net-pci,netdev=mine'].flatMap((a) => ['--qemu-arg', a])]), `mote: error: --qemu-arg -device virtio-net-pci,netdev=mine: ${hint}`);
  });

  it('a bad -p, on boot and run alike', () => {
    for (const command of ['boot', 'run']) {
      const r = moteSync([command, hello, '-p', '8080']);
      refused(r, /^mote: error: option '-p, --publish <mapping>' argument '8080' is invalid\. bad port mapping '8080': give hostPort:guestPort \(e\.g\. 8080:80, 127\.0\.0\.1:8080:80 or 5353:53\/udp\)\n/);
      expectNoStack(r);
      refused(moteSync([command, hello, '--publish', '8080:80', '-p', '8080:81']), /argument '8080:81' is invalid\. bad port mapping '8080:81': host port 8080\/tcp is already published by 127\.0\.0\.1:8080:80\/tcp\n/);
      refused(moteSync([command, hello, '--net', 'tap']), /^mote: error: option '--net <mode>' argument 'tap' is invalid\. Allowed choices are user, none\.\n/);
    }
  });

  it('-p with --net none, on boot and run alike', () => {
    for (const command of ['boot', 'run']) {
      refused(moteSync([command, hello, '--net', 'none', '-p', '5353:53/udp']), 'mote: error: -p 127.0.0.1:5353:53/udp with --net none: a published port needs the network; drop one of them\n');
    }
  });
});

describe('the QEMU command line each command gives (a fake QEMU records it)', () => {
  const fake = join(dir, 'recording-qemu.sh');
  const record = join(dir, 'qemu-args.txt');
  beforeAll(() => writeFileSync(fake, `#!/bin/sh\n[ "$1" = --version ] && { echo fake; exit 0; }\nprintf '%s\\n' "$*" >> "${record}"\nexit 0\n`, { mode: 0o755 }));
  /** The arguments of the QEMU runs that booted `hello` (not a KVM probe). */
  const bootsOfHello = async (args: string[]) => {
    writeFileSync(record, '');
    await mote(args, { env: { MOTE_QEMU: fake } });
    return readFileSync(record, 'utf8').split('\n').filter((l) => l.includes(`-kernel ${hello} `));
  };

  it('boot: the network by default, none with --net none; your own with --qemu-arg and --net none', async () => {
    expect(await bootsOfHello(['boot', hello, '--accel', 'tcg'])).toEqual([expect.stringContaining(' -netdev user,id=net0 -device virtio-net-device,netdev=net0')]);
    const none = await bootsOfHello(['boot', hello, '--accel', 'tcg', '--net', 'none', '--qemu-arg', '-netdev', '--qemu-arg', 'tap,id=mine']);
    expect(none).toEqual([expect.stringMatching(/ -netdev tap,id=mine$/)]);
    expect(none[0]).not.toContain('net0');
  });

  it('budget: each QEMU run gets the network as boot gives it (no forwards); --net none gives none', async () => {
    const on = await bootsOfHello(['budget', hello, '--sizes', '8M,12M']);
    expect(on).toHaveLength(2);
    for (const line of on) expect(line).toContain(' -netdev user,id=net0 -device virtio-net-device,netdev=net0');
    const off = await bootsOfHello(['budget', hello, '--sizes', '8M', '--net', 'none']);
    expect(off).toHaveLength(1);
    expect(off[0]).not.toMatch(/netdev|virtio-net/);
  });
});
