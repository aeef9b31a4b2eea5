// `-p, --publish [hostIp:]hostPort:guestPort[/tcp|/udp]`: a host port that
// reaches a port the guest listens on, written as Docker writes it. Both
// `mote boot` (QEMU's hostfwd) and `mote run` (a Node listening port) take it.
import type { PortMapping } from './hosted/types.ts';

/** Where a published port listens when the spec names no address: this
 *  machine only, never the network around it (Docker's default is 0.0.0.0). */
export const DEFAULT_HOST_IP = '127.0.0.1';

const EXAMPLE = 'e.g. 8080:80, 127.0.0.1:8080:80 or 5353:53/udp';

/** Parses one spec; throws a RangeError naming the spec and what is wrong. */
export function parsePublish(spec: string): PortMapping {
  const bad = (why: string) => new RangeError(`bad port mapping '${spec}': ${why}`);
  const [ports, protocol = 'tcp', ...extra] = spec.split('/');
  if (extra.length > 0 || (protocol !== 'tcp' && protocol !== 'udp')) throw bad(`the protocol after / is tcp or udp (${EXAMPLE})`);
  const parts = ports!.split(':');
  if (parts.length < 2) throw bad(`give hostPort:guestPort (${EXAMPLE})`);
  if (ports!.includes('[')) throw bad(`the host address is an IPv4 address such as 127.0.0.1 (${EXAMPLE})`);
  if (parts.length > 3) throw bad(`give [hostIp:]hostPort:guestPort, with an IPv4 host address (${EXAMPLE})`);
  const [hostIp, hostPort, guestPort] = parts.length === 3 ? parts : [DEFAULT_HOST_IP, ...parts];
  if (!isIpv4(hostIp!)) throw bad(`'${hostIp}' is not an IPv4 address such as 127.0.0.1`);
  return { hostIp: hostIp!, hostPort: port(hostPort!, 'host', bad), guestPort: port(guestPort!, 'guest', bad), protocol };
}

function port(text: string, side: 'host' | 'guest', bad: (why: string) => RangeError): number {
  if (text === '') throw bad(`the ${side} port is missing (${EXAMPLE})`);
  if (/^\d+-\d+$/.test(text)) throw bad('port ranges are not supported: give one -p per port');
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw bad(`the ${side} port '${text}' is not a port number, 1..65535`);
  return Number(text);
}

function isIpv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** The mapping as a spec again, in full: "127.0.0.1:8080:80/tcp". */
export function formatPublish(m: PortMapping): string {
  return `${m.hostIp}:${m.hostPort}:${m.guestPort}/${m.protocol}`;
}

/** Whether two mappings would listen on the same host port: the same port
 *  and protocol, on the same address or one of them on every address. */
function sameHostPort(a: PortMapping, b: PortMapping): boolean {
  const anyAddress = a.hostIp === '0.0.0.0' || b.hostIp === '0.0.0.0';
  return a.hostPort === b.hostPort && a.protocol === b.protocol && (a.hostIp === b.hostIp || anyAddress);
}

/** Adds a spec to those given before it (the flag repeats). Two mappings
 *  cannot share a host port, nor (unlike Docker) a guest port: the hosted
 *  runner listens on one host port per guest port, and both hosts must
 *  take the same command line. */
export function addPublish(spec: string, before: PortMapping[] = []): PortMapping[] {
  const m = parsePublish(spec);
  const clash = before.find((b) => sameHostPort(b, m));
  if (clash) throw new RangeError(`bad port mapping '${spec}': host port ${m.hostPort}/${m.protocol} is already published by ${formatPublish(clash)}`);
  const twice = before.find((b) => b.guestPort === m.guestPort && b.protocol === m.protocol);
  if (twice) throw new RangeError(`bad port mapping '${spec}': guest port ${m.guestPort}/${m.protocol} is already published by ${formatPublish(twice)}; give it one host port`);
  return [...before, m];
}

/** Why a published host port could not be listened on, from the errno code
 *  that binding it gave: one line for the user, naming the port. */
export function bindFailure(m: PortMapping, code: string | undefined): string {
  const spec = `-p ${formatPublish(m)}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${spec}: host port ${m.hostPort}/${m.protocol} on ${m.hostIp} is already in use; free it or publish another`;
    case 'EACCES':
      return `${spec}: no permission to listen on host port ${m.hostPort} (below 1024 needs root, or a lower net.ipv4.ip_unprivileged_port_start)`;
    case 'EADDRNOTAVAIL':
      return `${spec}: this machine has no address ${m.hostIp} to listen on`;
    default:
      return `${spec}: cannot listen on ${m.hostIp}:${m.hostPort}/${m.protocol}${code ? ` (${code})` : ''}`;
  }
}
