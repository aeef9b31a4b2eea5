// Test helper for networked guests: pack a small app written against
// __mote.net, boot it in QEMU with user networking and ports forwarded on
// loopback, and watch its console while it runs (the tests talk to it as it
// goes, so they cannot wait for the end as guest.ts's boot does).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, packApp } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { EXIT_MARK, guestStatus, QEMU, qemuArgs, resolveAccel, type Machine } from '../../builder/qemu.ts';
import type { PortMapping } from '../../builder/hosted/types.ts';
import { workDir } from './guest.ts';

const FIXTURES = join(__dirname, '../boot/fixtures/net');

/** A fixture app with `const CONFIG = …` in front of it, packed into an
 *  image; `manifest` adds fields to its manifest.json (the builder has no
 *  way to give the boot layer's `net` field yet). */
export async function netImage(fixture: string, config: Record<string, unknown> = {}, manifest: Record<string, unknown> = {}): Promise<string> {
  const dir = mkdtempSync(join(workDir, `net-${fixture.replace(/\W/g, '')}-`));
  writeFileSync(join(dir, 'main.js'), `const CONFIG = ${JSON.stringify(config)};\n${readFileSync(join(FIXTURES, fixture), 'utf8')}`);
  // The manifest's net field comes from package.json's "mote.net", as an app gives it.
  const { net, ...rest } = manifest;
  if (net !== undefined) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'net-app', mote: { entry: 'main.js', net } }));
  manifest = rest;
  const packed = await packApp({ app: net !== undefined ? dir : join(dir, 'main.js') });
  let image = packed.image;
  if (Object.keys(manifest).length) {
    const files = packed.files.map(([name, bytes]): [string, Uint8Array] =>
      name === 'manifest.json' ? [name, new TextEncoder().encode(JSON.stringify({ ...packed.manifest, ...manifest }))] : [name, bytes]);
    image = writeImage(readFileSync(BOOT_LAYER), await writeTar(files));
  }
  writeFileSync(join(dir, 'app.img'), image);
  return join(dir, 'app.img');
}

export { freePort } from './free-port.ts';

export interface NetGuest {
  pid: number;
  /** Console output so far. */
  output(): string;
  /** Resolves once the output so far matches `re`; rejects if the guest stops first. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  /** The guest's status and its whole output, once it stops. */
  done: Promise<{ status: number; output: string; stderr: string }>;
  kill(): void;
}

export interface NetBootOptions {
  machine?: Machine;
  memory?: number;
  /** Host ports (on 127.0.0.1) to the guest's. */
  forward?: Array<{ protocol?: 'tcp' | 'udp'; hostPort: number; guestPort: number }>;
  /** false: no network device at all. */
  net?: boolean;
  timeoutMs?: number;
}

let dumps = 0;
// A guest the tests lost track of (a failed test, a killed run) must not
// outlive them: QEMU would go on using a CPU.
const live = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => killGuests());

/** Kills every guest still running (for afterEach: a failed test leaves its own). */
export function killGuests(): void {
  live.forEach((c) => c.kill('SIGKILL'));
}

export async function bootNet(image: string, opts: NetBootOptions = {}): Promise<NetGuest> {
  const publish: PortMapping[] = (opts.forward ?? []).map((f) => ({ protocol: f.protocol ?? 'tcp', hostIp: '127.0.0.1', hostPort: f.hostPort, guestPort: f.guestPort }));
  const markDir = mkdtempSync(join(workDir, 'mark-'));
  const exitMarkFile = join(markDir, 'debugcon');
  const accel = await resolveAccel('auto');
  const args = qemuArgs(image, { memory: opts.memory ?? 16 << 20, machine: opts.machine ?? 'microvm', accel, net: opts.net ?? true, publish, exitMarkFile, extraArgs: [...(process.env.NET_DUMP && opts.net !== false ? ['-object', `filter-dump,id=dump0,netdev=net0,file=${process.env.NET_DUMP}-${dumps++}.pcap`] : []), ...(process.env.NET_QMP ? ['-qmp', `unix:${process.env.NET_QMP},server=on,wait=off`] : [])] });
  // stdin stays an open pipe: QEMU's stdio console meets end-of-file on
  // /dev/null at once, and output could then go missing.
  const child = spawn(QEMU, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  let stopped = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; wake(); });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 40_000);
  const done = new Promise<{ status: number; output: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      live.delete(child);
      clearTimeout(timer);
      stopped = true;
      wake();
      let status = guestStatus(code ?? 1);
      let clean = false;
      try {
        clean = readFileSync(exitMarkFile, 'latin1').includes(EXIT_MARK);
      } catch {
        // no mark: not a clean power-off
      }
      rmSync(markDir, { recursive: true, force: true });
      if (status === 0 && !clean) status = 110;
      resolve({ status, output: out, stderr: err });
    });
  });
  return {
    pid: child.pid!,
    output: () => out,
    done,
    kill: () => child.kill('SIGKILL'),
    waitFor: (re) => new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (m) return resolve(m);
        if (stopped) return reject(new Error(`the guest stopped before printing ${re}; it printed:\n${out}${err}`));
        waiters.push(check);
      };
      check();
    }),
  };
}

/** CPU seconds (user and system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime, in clock ticks of 1/100 s
}
