// The network on metal: small apps written against __mote.net alone
// (kernel/platform.ts, Net) boot in QEMU with user networking, and Node
// talks to them through ports forwarded on loopback, on microvm
// (virtio-mmio) and pc (virtio-pci).
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packApp } from '../../builder/pack.ts';
import { workDir } from '../support/guest.ts';
import { bootNet, cpuSeconds, freePort, killGuests, netImage, type NetGuest } from '../support/net-guest.ts';
import { parseReport } from '../support/scenario-runner.ts';

afterEach(killGuests);

/** Sends `data`, ends, and resolves with everything read until the guest
 *  ends its side too. Rejects, saying what it saw, if that takes 20 s. */
function echoThrough(port: number, data: Buffer, guest: NetGuest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const c: Socket = connect(port, '127.0.0.1', () => c.end(data));
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`no end of the echo after 20 s: ${got} of ${data.length} bytes back; the guest printed ${JSON.stringify(guest.output())}`));
    }, 20_000);
    c.on('data', (d) => {
      chunks.push(d);
      got += d.length;
    });
    c.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function echoGuest(machine: 'microvm' | 'pc', serve: number) {
  const port = await freePort();
  const guest = await bootNet(await netImage('echo.js', { serve }), { machine, forward: [{ hostPort: port, guestPort: 7 }] });
  await guest.waitFor(/listening 7 on (\S+)\n/);
  return { guest, port };
}

for (const machine of ['microvm', 'pc'] as const) {
  describe(`TCP on ${machine}`, () => {
    it('gets 10.0.2.15 from DHCP and echoes 1 MiB byte for byte', async () => {
      const { guest, port } = await echoGuest(machine, 1);
      expect(guest.output()).toContain('listening 7 on 10.0.2.15\n');
      const data = randomBytes(1 << 20);
      const back = await echoThrough(port, data, guest);
      expect(back.length).toBe(data.length);
      expect(back.equals(data)).toBe(true);
      const r = await guest.done;
      expect(r.output).toBe('listening 7 on 10.0.2.15\nserved 1\n');
      expect(r.status).toBe(0);
    });

    it('halts while it waits on an open listener: an idle second costs QEMU little CPU', async () => {
      const { guest, port } = await echoGuest(machine, 1);
      // A guest that polled instead of halting would burn a whole host CPU
      // under TCG (at least half of one on a loaded 2-core machine); halted,
      // it wakes only for lwIP's timers (every 250-500 ms).
      const before = cpuSeconds(guest.pid);
      await new Promise((r) => setTimeout(r, 2000));
      const used = cpuSeconds(guest.pid) - before;
      expect(used).toBeLessThan(0.4);
      expect((await echoThrough(port, Buffer.from('still awake'), guest)).toString()).toBe('still awake');
      expect((await guest.done).status).toBe(0);
    });
  });
}

describe('TCP on microvm, more', () => {
  it('serves 100 concurrent connections, each its own echo', async () => {
    const { guest, port } = await echoGuest('microvm', 100);
    // QEMU's port forwarding listens with a backlog of one, and resets what
    // overflows it: so the connections open one after another (each echoes
    // a first line), then all 100, open at once, send and end together.
    const opened: Array<{ socket: Socket; chunks: Buffer[]; ended: Promise<void> }> = [];
    for (let i = 0; i < 100; i++) {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const ended = new Promise<void>((resolve, reject) => {
        socket.on('end', resolve);
        socket.on('error', reject);
      });
      await new Promise<void>((resolve) => {
        socket.on('data', (d) => {
          chunks.push(d);
          resolve();
        });
        socket.write(`hello ${i}\n`);
      });
      opened.push({ socket, chunks, ended });
    }
    const messages = opened.map((_, i) => Buffer.from(`connection ${i} `.repeat(50)));
    opened.forEach((o, i) => o.socket.end(messages[i]));
    await Promise.all(opened.map((o) => o.ended));
    opened.forEach((o, i) => expect(Buffer.concat(o.chunks).toString()).toBe(`hello ${i}\n${messages[i]}`));
    const r = await guest.done;
    expect(r.output).toBe('listening 7 on 10.0.2.15\nserved 100\n');
    expect(r.status).toBe(0);
  });

  it('pauses a connection: nothing is delivered, the peer\'s window closes, and all comes after resuming', async () => {
    const port = await freePort();
    const size = 32 << 20; // more than the host's socket buffers hold, so the writer stalls
    // 32 MiB through QEMU's user network under TCG took over the 40 s default
    // of the guest's kill on a busy box: nothing here waits on a clock but that.
    const guest = await bootNet(await netImage('pause.js', { size }), { forward: [{ hostPort: port, guestPort: 7 }], timeoutMs: 240_000 });
    await guest.waitFor(/listening\n/);
    const paused = connect(port, '127.0.0.1');
    // A reset (EPIPE while it still writes) must fail the case with what the
    // guest said, not reach vitest as an uncaught error.
    let pausedError: Error | undefined;
    paused.on('error', (e) => (pausedError = e));
    await new Promise<void>((r) => paused.once('connect', r));
    paused.write(randomBytes(size));
    // Wait until the bytes stop moving: QEMU's buffers and this machine's
    // are full, the guest's window is shut.
    let last = -1;
    while (paused.writableLength !== last) {
      last = paused.writableLength;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(paused.writableLength).toBeGreaterThan(0);
    const probe = connect(port, '127.0.0.1', () => probe.write('report'));
    await guest.waitFor(/while paused: .*\n/);
    expect(guest.output()).toContain('while paused: 0 bytes delivered, heap grew under 128 KiB\n');
    paused.end();
    const r = await guest.done;
    expect(pausedError, r.output).toBeUndefined();
    expect(r.output).toBe(`listening\nwhile paused: 0 bytes delivered, heap grew under 128 KiB\nresumed and got ${size}\n`);
    expect(r.status).toBe(0);
    paused.destroy();
    probe.destroy();
  }, 300_000);

  it('stays up at -m 2M with 40 paused connections full of data: lwIP drops data frames, small ones still get in', async () => {
    const [tcp, udp] = [await freePort(), await freePort('udp')];
    const guest = await bootNet(await netImage('hold.js'), {
      memory: 2 << 20,
      forward: [{ hostPort: tcp, guestPort: 7 }, { protocol: 'udp', hostPort: udp, guestPort: 8 }],
    });
    await guest.waitFor(/listening 8\n/);
    const asker = createSocket('udp4');
    await new Promise<void>((r) => asker.bind(0, '127.0.0.1', r));
    const ask = async (): Promise<number[]> => {
      for (let tries = 0; tries < 20; tries++) {
        const answer = new Promise<string | undefined>((resolve) => {
          asker.once('message', (m) => resolve(m.toString()));
          setTimeout(() => resolve(undefined), 500);
        });
        asker.send('?', udp, '127.0.0.1');
        const a = await answer;
        if (a) return a.split(' ').map(Number);
      }
      throw new Error(`the guest stopped answering; it printed ${JSON.stringify(guest.output())}`);
    };
    const sockets: Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const s = connect(tcp, '127.0.0.1');
      s.on('error', () => {});
      sockets.push(s);
      await new Promise((r) => s.once('connect', r));
      s.write(Buffer.alloc(100_000));
      // Accepted, then paused: wait until the guest counts it.
      while ((await ask())[0]! < i + 1);
    }
    const [accepted, used, limit] = await ask();
    expect(accepted).toBe(40);
    expect(used).toBeLessThan(limit!);
    sockets.forEach((s) => s.destroy());
    asker.close();
    guest.kill();
    expect((await guest.done).output).toBe('listening 7\nlistening 8\n');
  });

  it('connects out to a server on the host through 10.0.2.2', async () => {
    const received: string[] = [];
    const server = createServer((s) => {
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => {
        received.push(text);
        s.end(text.toUpperCase());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const guest = await bootNet(await netImage('client.js', { ip: '10.0.2.2', port, message: 'hello from the guest' }));
      const r = await guest.done;
      expect(r.output).toMatch(/^connected from 10\.0\.2\.15:\d+\nreply HELLO FROM THE GUEST\n$/);
      expect(r.status).toBe(0);
      expect(received).toEqual(['hello from the guest']);
    } finally {
      server.close();
    }
  });

  for (const ip of ['127.0.0.1', 'own']) {
    it(`connects to itself through ${ip === 'own' ? 'its own address' : ip}`, async () => {
      const r = await (await bootNet(await netImage('self.js', { ip, size: 200_000 }))).done;
      expect(r.output).toBe('self echo 200000 true\n');
      expect(r.status).toBe(0);
    });
  }

  it("takes a static address from the manifest's net field instead of DHCP", async () => {
    const server = createServer((s) => s.on('data', () => s.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const net = { address: '10.0.2.20', netmask: '255.255.255.0', gateway: '10.0.2.2' };
      const guest = await bootNet(await netImage('client.js', { ip: '10.0.2.2', port, message: 'hi' }, { net }));
      const r = await guest.done;
      expect(r.output).toMatch(/^connected from 10\.0\.2\.20:\d+\nreply ok\n$/);
      expect(r.status).toBe(0);
    } finally {
      server.close();
    }
  });

  it("reports a refused connection as 'error' econnrefused", async () => {
    const port = await freePort(); // nothing listens there
    const guest = await bootNet(await netImage('client.js', { ip: '10.0.2.2', port, message: 'x' }));
    const r = await guest.done;
    expect(r.output).toBe('error econnrefused\n');
    expect(r.status).toBe(0);
  });

  it('echoes UDP datagrams to their sender', async () => {
    const port = await freePort('udp');
    const guest = await bootNet(await netImage('udp.js'), { forward: [{ protocol: 'udp', hostPort: port, guestPort: 7 }] });
    await guest.waitFor(/listening 7 on 10\.0\.2\.15\n/);
    const sock = createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    // UDP may drop: send each until its echo comes (the guest is listening,
    // so the first normally does).
    for (const text of ['one', 'two', 'three']) {
      for (let tries = 0; !replies.includes(text) && tries < 50; tries++) {
        sock.send(text, port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    sock.send('bye', port, '127.0.0.1');
    const r = await guest.done;
    sock.close();
    expect(replies.filter((t) => t !== 'bye')).toEqual(['one', 'two', 'three']);
    expect(r.status).toBe(0);
  });

  it('throws for the arguments the contract says, with the hosted runner\'s messages', async () => {
    const r = await (await bootNet(await netImage('args.js'), { net: false })).done;
    expect(r.output).toBe([
      'RangeError: listen: port 70000 is outside 0..65535',
      'RangeError: listen: port 1.5 is outside 0..65535',
      'TypeError: connect: 10.0.2 is not an IPv4 address',
      'TypeError: connect: 10.0.2.02 is not an IPv4 address',
      'RangeError: connect: port 0 is outside 1..65535',
      'TypeError: send: the data must be a Uint8Array',
      'RangeError: udpOpen: port -1 is outside 0..65535',
      'TypeError: udpSend: 300.1.1.1 is not an IPv4 address',
      'send to nothing -1',
      '',
    ].join('\n'));
    expect(r.status).toBe(0);
  });

  it("has no address without a network device, and every socket ends in 'enetdown'", async () => {
    const guest = await bootNet(await netImage('nonet.js'), { net: false });
    const r = await guest.done;
    expect(r.output).toBe('address ""\nerror enetdown\nerror enetdown\nerror enetdown\n');
    expect(r.status).toBe(0);
  });
});

describe('the kernel on the metal network', () => {
  it("passes the kernel's net scenario (gen_tcp, gen_udp, framing, modes) as the Node hosts do", async () => {
    const { image } = await packApp({ app: join(__dirname, '../kernel/fixtures/scenarios/net.ts') });
    const path = join(workDir, 'net-scenario.img');
    writeFileSync(path, image);
    const r = await (await bootNet(path, { memory: 64 << 20, timeoutMs: 100_000 })).done;
    const report = parseReport(r.output);
    expect(report.failed, r.output).toEqual([]);
    expect(report.passed.length, r.output).toBe(report.plan);
    expect(r.status, r.output).toBe(0);
  }, 110_000);
});
