// Host ports for tests that must name a port before anything listens on it
// (`mote run -p PORT:80`, QEMU's hostfwd), then probe it until the guest
// answers.
//
// Such a port must never be one that a `listen(0)` elsewhere can be given:
// "free a moment ago" is not enough. A port taken from the kernel's
// ephemeral range and released went, on a busy run, to the node host's own
// listener in another test file; that file's echo cases then answered the
// chaos test's readiness probes and lost their own connections. So ports come
// from just below the ephemeral range, which the kernel never hands out for
// port 0, and each vitest worker draws from a slice of its own, so two workers
// never pick the same one. A port some other program holds is skipped.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports each worker may use. */
const SLICE = 400;
/** Workers with a slice of their own (vitest numbers them from 1). */
const SLICES = 16;

// Where this process starts in its slice: two runs of the suite at once on one
// machine (worker 1 each) then rarely pick the same port at the same moment.
let next = Math.floor(Math.random() * SLICE);

/** A loopback port that no other test and no `listen(0)` will take. */
export async function freePort(protocol: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  const first = ephemeralLow() - SLICE * SLICES + SLICE * ((worker - 1) % SLICES);
  for (let tries = 0; tries < SLICE; tries++) {
    const port = first + (next++ % SLICE);
    if (await isFree(port, protocol)) return port;
  }
  throw new Error(`freePort: no free ${protocol} port in ${first}..${first + SLICE - 1}`);
}

/** The first port of the kernel's ephemeral range (Linux's default where it cannot be read). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low > SLICE * SLICES + 1024) return low;
  } catch {
    // not Linux, or no /proc: the default range
  }
  return 32768;
}

function isFree(port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
      return;
    }
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
