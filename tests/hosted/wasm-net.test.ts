// The wasm engine's network: metal's host_net.c (argument checks, one event
// per turn) over a device whose operations the Node driver runs on NodeNet
// (builder/hosted/wasm/net-imports.ts). The kernel's net scenario and
// tests/net cover the contract at length; these cases check the seams:
// events and bytes crossing the module's memory, the driver's options, and
// the errors host_net.c throws.
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { Exit } from '../../kernel/platform.ts';
import { payloadOf } from './support.ts';

const opts = { memoryBytes: 8 << 20, timeoutMs: 20_000 };

describe('the network on the wasm engine', () => {
  it('accepts a connection, echoes its bytes upper-cased and says where it listens (onListening)', async () => {
    // The guest echoes one connection, then closes everything, so the run ends.
    const main = `
      const net = __mote.net, upper = (b) => b.map((c) => (c >= 97 && c <= 122 ? c - 32 : c));
      let listener = 0;
      net.onEvent((kind, id, a, b) => {
        if (kind === 'listening') __mote.write('listening ' + (a > 0) + '\\n');
        else if (kind === 'accepted') __mote.write('accepted from ' + String(b).split(':')[0] + '\\n');
        else if (kind === 'data') net.send(id, upper(a));
        else if (kind === 'closed') { net.close(id); net.close(listener); net.onEvent(null); }
      });
      listener = net.listen(0, 4);`;
    let reply = '';
    let replied!: Promise<void>;
    const r = await runWasm(payloadOf(main), {
      ...opts,
      onListening(_guestPort, host) {
        const c = createConnection(host.port, host.address, () => c.end('ping ping'));
        c.on('data', (d) => (reply += d.toString()));
        replied = new Promise((resolve) => c.on('close', () => resolve()));
      },
    });
    expect([r.status, r.output]).toEqual([0, 'listening true\naccepted from 127.0.0.1\n']);
    await replied; // the guest's close lets its reply go first (the linger)
    expect(reply).toBe('PING PING');
  });

  it('connects to 10.0.2.2 (the machine running it) and reads a reply larger than one data piece', async () => {
    const big = Buffer.alloc(100_000, 'x');
    const server = createServer((s) => s.end(big));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const main = `
      const net = __mote.net;
      let got = 0, events = 0;
      net.onEvent((kind, id, a) => {
        if (kind === 'connected') __mote.write('connected ' + String(a).split(':')[0] + '\\n');
        else if (kind === 'data') { got += a.length; events++; }
        else if (kind === 'closed') { __mote.write(got + ' bytes, ' + (events >= 7) + '\\n'); net.close(id); net.onEvent(null); }
        else __mote.write(kind + ' ' + a + '\\n');
      });
      net.connect('10.0.2.2', ${port});`;
    try {
      const r = await runWasm(payloadOf(main), opts);
      // 100,000 bytes in pieces of at most 16 KiB: seven events or more.
      expect([r.status, r.output]).toEqual([0, 'connected 127.0.0.1\n100000 bytes, true\n']);
    } finally {
      server.close();
    }
  });

  it('sends and receives a datagram', async () => {
    const main = `
      const net = __mote.net;
      let port = 0;
      net.onEvent((kind, id, a, b) => {
        if (kind === 'listening') { port = a; net.udpSend(id, '127.0.0.1', port, new Uint8Array([1, 2, 3])); }
        else if (kind === 'datagram') { __mote.write([...a].join(',') + ' from ' + (b === '127.0.0.1:' + port) + '\\n'); net.close(id); net.onEvent(null); }
      });
      net.udpOpen(0);`;
    const r = await runWasm(payloadOf(main), opts);
    expect([r.status, r.output]).toEqual([0, '1,2,3 from true\n']);
  });

  it("throws host_net.c's errors for bad arguments, as metal does", async () => {
    const main = `
      const net = __mote.net, tries = [
        () => net.connect('10.0.2.02', 80), () => net.connect('1.2.3.4', 0), () => net.listen(70000, 1),
        () => net.send(1, 'text'), () => net.udpSend(1, 'x', 53, new Uint8Array(1)),
      ];
      for (const t of tries) try { t(); __mote.write('no error\\n'); } catch (e) { __mote.write(e.name + ': ' + e.message + '\\n'); }
      __mote.write(net.send(999, new Uint8Array(1)) + '\\n');`;
    const r = await runWasm(payloadOf(main), opts);
    expect(r.output).toBe(
      [
        'TypeError: connect: 10.0.2.02 is not an IPv4 address',
        'RangeError: connect: port 0 is outside 1..65535',
        'RangeError: listen: port 70000 is outside 0..65535',
        'TypeError: send: the data must be a Uint8Array',
        'TypeError: udpSend: x is not an IPv4 address',
        '-1',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });

  it("has no network with net: false: address() is '' and a listen ends in enetdown", async () => {
    const main = `
      __mote.write(JSON.stringify(__mote.net.address()) + '\\n');
      __mote.net.onEvent((kind, id, a) => { __mote.write(kind + ' ' + a + '\\n'); __mote.net.onEvent(null); });
      __mote.net.listen(8080, 1);`;
    const r = await runWasm(payloadOf(main), { ...opts, net: false });
    expect([r.status, r.output]).toEqual([0, '""\nerror enetdown\n']);
    const on = await runWasm(payloadOf(`__mote.write(__mote.net.address() + '\\n');`), opts);
    expect(on.output).toBe('127.0.0.1\n');
  });

  it('lets an unhandled rejection pass with trackRejections: false (the default stops with 100)', async () => {
    const main = `Promise.reject(new Error("nobody")); __mote.write("ran\\n");`;
    const off = await runWasm(payloadOf(main), { ...opts, trackRejections: false });
    expect([off.status, off.output]).toEqual([0, 'ran\n']);
    const on = await runWasm(payloadOf(main), opts);
    expect(on.status).toBe(Exit.Uncaught);
  });
});
