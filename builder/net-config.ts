// package.json's "mote.net": a static IPv4 address instead of DHCP.
import type { Manifest } from '../kernel/platform.ts';
import { InputError } from './errors.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const NET_EXAMPLE = '{"address": "10.0.2.15", "netmask": "255.255.255.0", "gateway": "10.0.2.2"}';

/** The manifest's `net`; `where` names the package.json in messages. */
export function netConfig(n: unknown, where: string): Manifest['net'] {
  if (n === undefined) return undefined;
  if (n === null || typeof n !== 'object' || Array.isArray(n)) throw new InputError(`${where}: "mote.net" must be an object, such as ${NET_EXAMPLE}`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'address' && key !== 'netmask' && key !== 'gateway') throw new InputError(`${where}: "mote.net.${key}" is not a setting: give address, netmask (default 255.255.255.0) and gateway, as in ${NET_EXAMPLE}`);
    if (typeof value !== 'string' || !IPV4.test(value)) throw new InputError(`${where}: "mote.net.${key}" must be an IPv4 address such as "10.0.2.15", got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  if (!out.address) throw new InputError(`${where}: "mote.net" needs an "address", as in ${NET_EXAMPLE}`);
  return out as Manifest['net'];
}
