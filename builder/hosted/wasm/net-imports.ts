// The wasm engine's network device: the imports of qemu/wasm/net_device.c,
// implemented with the Node hosts' sockets (../net.ts, NodeNet). The C host
// above them (qemu/src/host_net.c) checks the arguments and hands JS one
// event per loop turn, as on metal; this side only moves bytes and events
// across the module's memory.
import type { NetEventKind } from '../../../kernel/platform.ts';
import type { NetEvent, NodeNet } from '../net.ts';

/** net_device.h's netdev_event_kind, in its order. */
const KINDS: readonly NetEventKind[] = ['listening', 'accepted', 'connected', 'data', 'writable', 'closed', 'error', 'datagram'];
/** struct wasm_net_event: kind, id, number, length (u32 each), then text. */
const TEXT_AT = 16;
const TEXT_MAX = 48;
/** How soon an event the guest had no memory for is offered again. */
const RETRY_MS = 10;

export function netImports(net: NodeNet, memory: () => WebAssembly.Memory, wake: () => void): Record<string, (...args: number[]) => number | void> {
  const bytes = (ptr: number, len: number) => new Uint8Array(memory().buffer, ptr, len);
  const ipText = (w: number) => `${w & 255}.${(w >>> 8) & 255}.${(w >>> 16) & 255}.${w >>> 24}`;
  const encoder = new TextEncoder();
  /** The event net_event last gave, held until net_event_done. */
  let current: NetEvent | undefined;

  const writeText = (ptr: number, max: number, text: string): number => {
    const encoded = encoder.encode(text).subarray(0, max);
    bytes(ptr, encoded.length).set(encoded);
    return encoded.length;
  };

  return {
    net_address: (out, max) => writeText(out, max, net.address()),
    net_listen: (port, backlog) => net.listen(port, backlog),
    net_connect: (ip, port) => net.connect(ipText(ip), port),
    // NodeNet copies what it takes (Buffer.from), so the view may go.
    net_send: (id, ptr, len) => net.send(id, bytes(ptr, len)),
    net_pause: (id, paused) => net.pause(id, paused !== 0),
    net_shutdown: (id) => net.shutdown(id),
    net_close: (id) => {
      if (current?.[1] === id) current = undefined;
      net.close(id);
    },
    net_udp_open: (port) => net.udpOpen(port),
    net_udp_send: (id, ip, port, ptr, len) => net.udpSend(id, ipText(ip), port, bytes(ptr, len)),
    net_open: () => (net.openCount > 0 ? 1 : 0),
    net_event(ptr) {
      current = net.take();
      if (!current) return 0;
      const [kind, id, a, b] = current;
      const v = new DataView(memory().buffer, ptr, TEXT_AT + TEXT_MAX);
      const data = a instanceof Uint8Array ? a : undefined;
      const number = kind === 'listening' || kind === 'accepted' ? (a as number) : 0;
      const text = kind === 'accepted' || kind === 'datagram' ? b : kind === 'connected' || kind === 'error' ? a : '';
      v.setUint32(0, KINDS.indexOf(kind), true);
      v.setUint32(4, id, true);
      v.setUint32(8, number, true);
      v.setUint32(12, data?.length ?? 0, true);
      const n = writeText(ptr + TEXT_AT, TEXT_MAX - 1, String(text));
      v.setUint8(TEXT_AT + n, 0);
      return 1;
    },
    net_event_bytes(into) {
      const data = current?.[2];
      if (data instanceof Uint8Array) bytes(into, data.length).set(data);
    },
    net_event_done(keep) {
      const ev = current;
      current = undefined;
      if (!keep || !ev) return;
      net.putBack(ev);
      setTimeout(wake, RETRY_MS);
    },
  };
}
