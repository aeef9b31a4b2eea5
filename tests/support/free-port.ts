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
// never pick the same one; a claim file keeps two runs at once apart. A port
// some other program holds is skipped.
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';

/** Ports each worker may use. */
const SLICE = 400;
/** Workers with a slice of their own (vitest numbers them from 1). */
const SLICES = 16;

// Where this process starts in its slice.
let next = Math.floor(Math.random() * SLICE);

/** Claims on ports, one file each, held by the claiming process until it
 *  exits: two runs of the suite at once on one machine share the worker
 *  numbers, hence the slices. One run's chaos probes reached the other's
 *  guest, whose first accepted connection was then the probe's. Not under
 *  the run's TMPDIR (tests/support/temp-root.ts), which is the run's own. */
const CLAIMS = '/tmp/mote-test-ports';
const mine: string[] = [];

/** Gives back this process's claims (after each test file: release-ports.ts;
 *  a process killed first leaves files that the next claim finds stale). */
export function releasePorts(): void {
  for (const f of mine.splice(0)) rmSync(f, { force: true });
}

/** A loopback port that no other test and no `listen(0)` will take. */
export async function freePort(protocol: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  const first = ephemeralLow() - SLICE * SLICES + SLICE * ((worker - 1) % SLICES);
  for (let tries = 0; tries < SLICE; tries++) {
    const port = first + (next++ % SLICE);
    if (claim(port) && (await isFree(port, protocol))) return port;
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

/** Whether `port` is this process's to use: claimed now, or by it before. */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port));
  mkdirSync(CLAIMS, { recursive: true });
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      mine.push(file);
      return true;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(file, 'utf8'));
      } catch {
        continue; // given back meanwhile
      }
      if (holder === process.pid) return true;
      if (holder > 0 && alive(holder)) return false;
      rmSync(file, { force: true }); // its process is gone
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
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
