// Boot to first HTTP response: from spawning QEMU to the first 200 on the
// forwarded port. QEMU's user network accepts the host's connect at once and
// retries its SYN into a guest that does not listen yet on TCP's timers, so
// one probe at a time would measure those timers: a new probe starts every
// few ms, each bounded, and the first 200 from any of them ends the wait.
import { spawn } from 'node:child_process';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { QEMU, qemuArgs } from '../../builder/qemu.ts';
import { freePort } from '../../tests/net/support.ts';
import { httpOk } from './client.ts';

/** A QEMU command line whose guest serves HTTP on host port `port`. */
export interface Command {
  name: string;
  cmd: string;
  args: string[];
  port: number;
}

const PROBE_EVERY_MS = 10;
const PROBE_TIMEOUT_MS = 1000;

/** The QEMU command line `mote boot IMAGE -p PORT:80 -m MEMORY` runs. */
export async function bootCommand(image: string, memory: number): Promise<Command> {
  const port = await freePort();
  const publish = [{ protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: port, guestPort: 80 }];
  return { name: `boot ${image}`, cmd: QEMU, args: qemuArgs(image, { memory, accel: 'tcg', publish }), port };
}

/** Spawns `l`, waits for a 200 on its http port, kills it; ms to the 200. */
export async function firstResponseMs(l: Command, limitMs = 120_000): Promise<number> {
  const port = l.port;
  const t0 = performance.now();
  const child = spawn(l.cmd, l.args, { cwd: MOTE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let exited = false;
  void closed.then(() => (exited = true));
  try {
    return await new Promise<number>((resolve, reject) => {
      let done = false;
      const tick = setInterval(() => {
        if (done) return;
        if (exited || performance.now() - t0 > limitMs) {
          done = true;
          clearInterval(tick);
          return reject(new Error(`${l.name}: no 200 ${exited ? 'before QEMU exited' : `within ${limitMs} ms`}:\n${out}`));
        }
        void httpOk(port, PROBE_TIMEOUT_MS).then(
          (ok) => {
            if (!ok || done) return;
            done = true;
            clearInterval(tick);
            resolve(performance.now() - t0);
          },
          () => {},
        );
      }, PROBE_EVERY_MS);
    });
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}
