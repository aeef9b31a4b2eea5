// `-p` as boot and run read it (Docker's syntax), and the QEMU arguments a
// boot's network becomes. No QEMU runs here: see net-boot.test.ts.
import { describe, expect, it } from 'vitest';
import { addPublish, bindFailure, formatPublish, parsePublish } from '../../builder/publish.ts';
import { qemuArgs } from '../../builder/qemu.ts';
import { hostForwardRule, ownNetFlag } from '../../builder/qemu-net.ts';

describe('parsePublish', () => {
  it('reads Docker specs: the address defaults to 127.0.0.1, the protocol to tcp', () => {
    expect(parsePublish('8080:80')).toEqual({ hostIp: '127.0.0.1', hostPort: 8080, guestPort: 80, protocol: 'tcp' });
    expect(parsePublish('127.0.0.1:8080:80')).toEqual({ hostIp: '127.0.0.1', hostPort: 8080, guestPort: 80, protocol: 'tcp' });
    expect(parsePublish('5353:53/udp')).toEqual({ hostIp: '127.0.0.1', hostPort: 5353, guestPort: 53, protocol: 'udp' });
    expect(parsePublish('0.0.0.0:443:8443/tcp')).toEqual({ hostIp: '0.0.0.0', hostPort: 443, guestPort: 8443, protocol: 'tcp' });
    expect(parsePublish('65535:1')).toMatchObject({ hostPort: 65535, guestPort: 1 });
  });

  const bad: Array<[string, RegExp]> = [
    ['8080', /^bad port mapping '8080': give hostPort:guestPort \(e\.g\. 8080:80/],
    ['', /give hostPort:guestPort/],
    [':80', /the host port is missing/],
    ['8080:', /the guest port is missing/],
    ['127.0.0.1::80', /the host port is missing/],
    ['0:80', /the host port '0' is not a port number, 1\.\.65535/],
    ['8080:65536', /the guest port '65536' is not a port number/],
    ['http:80', /the host port 'http' is not a port number/],
    ['-1:80', /the host port '-1' is not a port number/],
    ['8080-8081:80-81', /port ranges are not supported: give one -p per port/],
    ['8080:80/sctp', /the protocol after \/ is tcp or udp/],
    ['8080:80/TCP', /the protocol after \/ is tcp or udp/],
    ['8080:80/', /the protocol after \/ is tcp or udp/],
    ['8080:80/tcp/udp', /the protocol after \/ is tcp or udp/],
    ['localhost:8080:80', /'localhost' is not an IPv4 address such as 127\.0\.0\.1/],
    ['127.0.0.256:8080:80', /'127\.0\.0\.256' is not an IPv4 address/],
    ['[::1]:8080:80', /the host address is an IPv4 address/],
    ['1:2:3:4', /give \[hostIp:\]hostPort:guestPort, with an IPv4 host address/],
    ['127.0.0.1:8080:80:90', /give \[hostIp:\]hostPort:guestPort/],
  ];
  for (const [spec, why] of bad) {
    it(`refuses ${JSON.stringify(spec)}, naming it`, () => {
      expect(() => parsePublish(spec)).toThrow(RangeError);
      expect(() => parsePublish(spec)).toThrow(why);
    });
  }
});

describe('addPublish (the flag repeats)', () => {
  it('collects mappings in order; TCP and UDP ports are apart, and so are two host addresses', () => {
    const all = ['8080:80', '5353:53/udp', '5353:53'].reduce((ms, spec) => addPublish(spec, ms), addPublish('127.0.0.2:8080:81'));
    expect(all.map(formatPublish)).toEqual(['127.0.0.2:8080:81/tcp', '127.0.0.1:8080:80/tcp', '127.0.0.1:5353:53/udp', '127.0.0.1:5353:53/tcp']);
  });

  it('refuses a host port published twice, on the same address or on 0.0.0.0', () => {
    expect(() => addPublish('8080:81', addPublish('8080:80'))).toThrow("bad port mapping '8080:81': host port 8080/tcp is already published by 127.0.0.1:8080:80/tcp");
    expect(() => addPublish('0.0.0.0:8080:81', addPublish('8080:80'))).toThrow(/already published by 127\.0\.0\.1:8080:80\/tcp/);
  });

  it('refuses a guest port published twice (Docker takes it; the hosted runner could not)', () => {
    expect(() => addPublish('8081:80', addPublish('8080:80'))).toThrow("bad port mapping '8081:80': guest port 80/tcp is already published by 127.0.0.1:8080:80/tcp; give it one host port");
    expect(addPublish('8081:80/udp', addPublish('8080:80')).map(formatPublish)).toEqual(['127.0.0.1:8080:80/tcp', '127.0.0.1:8081:80/udp']);
  });
});

describe('bindFailure', () => {
  const m = parsePublish('8080:80');
  it('names the -p and says why its host port cannot listen', () => {
    expect(bindFailure(m, 'EADDRINUSE')).toBe('-p 127.0.0.1:8080:80/tcp: host port 8080/tcp on 127.0.0.1 is already in use; free it or publish another');
    expect(bindFailure(parsePublish('80:80'), 'EACCES')).toMatch(/^-p 127\.0\.0\.1:80:80\/tcp: no permission to listen on host port 80 \(below 1024 needs root/);
    expect(bindFailure(parsePublish('10.9.9.9:8080:80'), 'EADDRNOTAVAIL')).toBe('-p 10.9.9.9:8080:80/tcp: this machine has no address 10.9.9.9 to listen on');
    expect(bindFailure(m, undefined)).toBe('-p 127.0.0.1:8080:80/tcp: cannot listen on 127.0.0.1:8080/tcp');
  });
});

describe('QEMU arguments for the network', () => {
  const base = { memory: 16 << 20, accel: 'tcg' as const };
  const publish = [parsePublish('8080:80'), parsePublish('127.0.0.1:5353:53/udp')];
  /** The values that follow each occurrence of `flag`. */
  const valuesOf = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

  it('microvm: user networking with a hostfwd per -p, and a virtio-net device on virtio-mmio', () => {
    const args = qemuArgs('app.img', { ...base, machine: 'microvm', publish });
    expect(valuesOf(args, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:127.0.0.1:5353-:53']);
    expect(valuesOf(args, '-device')).toContain('virtio-net-device,netdev=net0');
  });

  it('pc: the same network on a virtio-net-pci device, without the iPXE option ROM', () => {
    const args = qemuArgs('app.img', { ...base, machine: 'pc', publish });
    expect(valuesOf(args, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:127.0.0.1:5353-:53']);
    expect(valuesOf(args, '-device')).toContain('virtio-net-pci,romfile=,netdev=net0');
  });

  it('the network is on by default, with no forwards; net: false attaches nothing', () => {
    const on = qemuArgs('app.img', base);
    expect(valuesOf(on, '-netdev')).toEqual(['user,id=net0']);
    expect(valuesOf(on, '-device')).toContain('virtio-net-device,netdev=net0'); // microvm is the default machine
    const off = qemuArgs('app.img', { ...base, net: false });
    expect(off.filter((a) => /netdev|virtio-net/.test(a))).toEqual([]);
  });

  it("a mapping's hostfwd rule leaves the guest address to QEMU (the guest's DHCP address)", () => {
    expect(hostForwardRule(parsePublish('0.0.0.0:8443:443'))).toBe('tcp:0.0.0.0:8443-:443');
  });
});

describe('ownNetFlag: QEMU flags after -- that attach a network', () => {
  it('finds -netdev, -nic, -net and -device virtio-net-*, in any spelling QEMU takes', () => {
    expect(ownNetFlag(['-netdev', 'user,id=n'])).toBe('-netdev');
    expect(ownNetFlag(['-d', 'guest_errors', '--nic', 'none'])).toBe('--nic');
    expect(ownNetFlag(['-net', 'nic'])).toBe('-net');
    expect(ownNetFlag(['-device', 'virtio-net-pci,netdev=n'])).toBe('-device virtio-net-pci,netdev=n');
    expect(ownNetFlag(['-device', 'id=x,driver=virtio-net-device'])).toBe('-device id=x,driver=virtio-net-device');
    expect(ownNetFlag(['-device', '{"driver": "virtio-net-pci", "netdev": "n"}'])).toBe('-device {"driver": "virtio-net-pci", "netdev": "n"}');
  });

  it('lets other devices and flags through', () => {
    expect(ownNetFlag(['-d', 'guest_errors', '-device', 'virtio-rng-device', '-device', 'e1000,romfile=virtio-net.rom'])).toBeUndefined();
    expect(ownNetFlag(['-trace', 'virtio_net*'])).toBeUndefined();
  });
});
