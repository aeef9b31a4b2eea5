// Booting an image in QEMU: pick the accelerator, launch qemu-system-x86_64
// with the console on stdio, and map QEMU's exit status back to the guest's.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { END_OF_INPUT, Exit } from '../kernel/platform.ts';
import { LimitError } from './errors.ts';
import type { PortMapping } from './hosted/types.ts';
import { ImageError, readImage } from './image.ts';
import { BOOT_LAYER } from './pack.ts';
import { consoleFifo } from './console-fifo.ts';
import { hostForwardFailure, netArgs } from './qemu-net.ts';
import { failIfAsked } from './test-failure.ts';

export const QEMU = process.env.MOTE_QEMU ?? 'qemu-system-x86_64';
export type Accel = 'auto' | 'kvm' | 'tcg';
export type Machine = 'microvm' | 'pc';

export interface BootOptions {
  /** Guest RAM in bytes. */
  memory: number;
  machine?: Machine;
  accel?: Accel;
  /** Kill the guest after this many ms and report Exit.Timeout. */
  timeoutMs?: number;
  /** 'inherit' gives QEMU the terminal (interactive); 'pipe' collects the output. */
  stdio?: 'inherit' | 'pipe';
  /** Text to send to the guest's console, when piped. */
  input?: string;
  /** The console's input comes from this stream (instead of the terminal,
   *  or `input`), and its end is sent as 0x04 (END_OF_INPUT). */
  stdin?: NodeJS.ReadableStream;
  /** The kernel command line (-append): the app's arguments and environment. */
  commandLine?: string;
  /** Ctrl-C on the terminal reaches the guest as a key instead of stopping
   *  QEMU (the manifest's console "raw"). */
  rawConsole?: boolean;
  extraArgs?: string[];
  /** Give the guest a virtio-net NIC on QEMU's user network (default true,
   *  as `mote boot` does; false is `--net none`). See qemu-net.ts. */
  net?: boolean;
  /** Host ports forwarded to the guest's (`-p`); needs `net`. */
  publish?: PortMapping[];
  /** Attach a virtio-rng device (default true), the entropy source of
   *  crypto.getRandomValues on a CPU without RDRAND (TCG's). */
  rng?: boolean;
  /** Attach isa-debug-exit (default true). Without it the guest falls back to
   *  ACPI power-off: QEMU stops with 0 and the guest's status is lost. */
  debugExit?: boolean;
  /** Check the image before QEMU sees it (default true): QEMU itself refuses a
   *  truncated ELF with no useful message. Throws ImageError. */
  validate?: boolean;
  /** Aborting it kills the guest: the run ends with status 130, as the
   *  hosted runner's does (mote budget stops a server once it is up). */
  signal?: AbortSignal;
  /** Told each piece of console output as it comes. With stdio 'inherit',
   *  giving it takes the console's output from the terminal: it is told
   *  instead (mote boot rewrites stack frames on their way there). */
  onOutput?(text: string): void;
}

// Stopping mote stops its guests. A terminal's Ctrl-C reaches QEMU too (same
// process group), but a signal sent to mote alone (kill, a supervisor, a CI
// runner) would leave QEMU running with no one to wait for it: forward it,
// and let the caller report the stop (BootResult.stoppedBy). Once told to
// stop, mote starts no more guests; a second signal kills them and exits.
// However else mote ends (an uncaught exception or an unhandled rejection in
// its own code, a process.exit), its 'exit' kills what is still running: an
// orphaned QEMU ran on, writing to no one, until its own end if ever.
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const live = new Set<ChildProcess>();
let stoppedBy: StopSignal | undefined;

/** The status a command stopped by `sig` ends with, as shells report it. */
export function signalStatus(sig: StopSignal): number {
  return 128 + SIGNAL_NUMBER[sig];
}

let exitOnceStopped: number | undefined;

function onStopSignal(sig: StopSignal): void {
  if (stoppedBy) {
    // Waited on, so that no killed QEMU is left a zombie.
    exitOnceStopped = signalStatus(sig);
    for (const child of live) child.kill('SIGKILL');
    return;
  }
  stoppedBy = sig;
  for (const child of live) child.kill(sig);
}

/** Kills every guest at once: mote is about to exit and cannot wait for them. */
export function stopGuestsNow(): void {
  for (const child of live) child.kill('SIGKILL');
}

function track(child: ChildProcess): void {
  if (live.size === 0) {
    for (const sig of Object.keys(SIGNAL_NUMBER) as StopSignal[]) process.on(sig, onStopSignal);
    process.on('exit', stopGuestsNow);
  }
  live.add(child);
  child.once('spawn', () => failIfAsked(child));
}

function untrack(child: ChildProcess): void {
  live.delete(child);
  if (live.size > 0) return;
  for (const sig of Object.keys(SIGNAL_NUMBER) as StopSignal[]) process.off(sig, onStopSignal);
  process.off('exit', stopGuestsNow);
  if (exitOnceStopped !== undefined) process.exit(exitOnceStopped);
}

export interface BootResult {
  /** The guest's exit status (0..99 the app's, 100.. mote's, 124 timeout;
   *  128 + n when mote was stopped by signal n). */
  status: number;
  /** The signal that stopped mote, and with it the guest. */
  stoppedBy?: StopSignal;
  /** Console output, when piped. */
  output: string;
  /** QEMU's own complaints, when piped. */
  stderr: string;
  wallMs: number;
}

export class QemuError extends Error {}

/** A guest larger than this machine's RAM is a slip of the finger (QEMU
 *  would fail to allocate it, or swap): say so before starting it. */
export function checkMachineRam(ram: number, flag: string): void {
  const machine = totalmem();
  if (ram > machine) throw new LimitError(`${flag}: more than this machine's RAM (${(machine / 2 ** 30).toFixed(1)} GiB)`);
}

/** Why QEMU cannot be used here, or null. */
export function qemuMissing(): string | null {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (r.error) return `${QEMU} not found: install it (Debian: apt-get install qemu-system-x86) or set MOTE_QEMU`;
  return null;
}

function kvmDeviceUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

let kvmVerdict: boolean | undefined;

/** Whether KVM can really run our guest: /dev/kvm can be a nested device that
 *  fails at the first SSE instruction. Boots the bare boot layer once (it stops
 *  at once with Exit.NoEntry) and remembers the answer for this process. */
export async function kvmWorks(): Promise<boolean> {
  if (kvmVerdict !== undefined) return kvmVerdict;
  if (!kvmDeviceUsable() || !existsSync(BOOT_LAYER)) return (kvmVerdict = false);
  const r = await launch(BOOT_LAYER, { memory: 8 << 20, accel: 'kvm', timeoutMs: 3000, stdio: 'pipe', net: false });
  return (kvmVerdict = r.status === Exit.NoEntry && !/KVM internal error/.test(r.stderr));
}

export async function resolveAccel(accel: Accel): Promise<'kvm' | 'tcg'> {
  if (accel === 'tcg') return 'tcg';
  if (accel === 'kvm') {
    if (!kvmDeviceUsable()) throw new QemuError('--accel kvm: /dev/kvm is missing or not accessible; use --accel tcg');
    return 'kvm';
  }
  return (await kvmWorks()) ? 'kvm' : 'tcg';
}

/** What the boot layer writes to the debug console before a status-0
 *  power-off (MOTE_EXIT_MARK in qemu/include/mote.h). */
export const EXIT_MARK = 'mote: clean power-off\n';

export function qemuArgs(image: string, opts: BootOptions & { accel: 'kvm' | 'tcg'; exitMarkFile?: string }): string[] {
  const machine = opts.machine ?? 'microvm';
  return [
    '-M', machine,
    '-accel', opts.accel,
    '-m', `${Math.ceil(opts.memory / 1024)}K`,
    '-kernel', image,
    '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none',
    ...(opts.rawConsole ? ['-chardev', 'stdio,id=con0,signal=off', '-serial', 'chardev:con0'] : ['-serial', 'stdio']),
    '-no-reboot',
    ...(opts.debugExit === false ? [] : ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4']),
    ...(opts.exitMarkFile ? ['-debugcon', `file:${opts.exitMarkFile}`] : []),
    ...(opts.commandLine ? ['-append', opts.commandLine] : []),
    // The entropy source for crypto.getRandomValues where the CPU has no
    // RDRAND (TCG's models): polled, and only when the app asks (entropy.c).
    ...(opts.rng === false ? [] : ['-device', machine === 'pc' ? 'virtio-rng-pci' : 'virtio-rng-device']),
    ...(opts.net === false ? [] : netArgs(machine, opts.publish ?? [])),
    ...(opts.extraArgs ?? []),
  ];
}

/** The guest's status from QEMU's exit code: 0 when the guest powered off
 *  (status 0, or a triple fault: launch tells them apart by the exit line),
 *  (status << 1) | 1 through isa-debug-exit for any other status.
 *  QEMU itself exits 1 when it fails (a bad argument, an image it cannot
 *  load), so 1 is never a guest's status: -1 says QEMU failed. */
export function guestStatus(code: number): number {
  if (code === 0) return 0;
  if (code === 1 || !(code & 1)) return -1;
  return (code - 1) >> 1;
}

function launch(image: string, opts: BootOptions & { accel: 'kvm' | 'tcg' }): Promise<BootResult> {
  if (stoppedBy) return Promise.resolve({ status: signalStatus(stoppedBy), stoppedBy, output: '', stderr: '', wallMs: 0 });
  const started = performance.now();
  const piped = opts.stdio !== 'inherit';
  // QEMU ends with 0 on a clean power-off and on a triple fault alike (under
  // -no-reboot): the boot layer's line on the debug console tells them apart.
  const markDir = opts.debugExit === false ? undefined : mkdtempSync(join(tmpdir(), 'mote-qemu-'));
  const exitMarkFile = markDir && join(markDir, 'debugcon');
  const stdin = piped || opts.stdin ? 'pipe' : 'inherit';
  const fifoDir = piped || opts.onOutput ? markDir ?? mkdtempSync(join(tmpdir(), 'mote-qemu-')) : undefined;
  const fifo = fifoDir ? consoleFifo(fifoDir) : undefined;
  const child = spawn(QEMU, qemuArgs(image, { ...opts, exitMarkFile }), { stdio: [stdin, fifo ? fifo.writeFd : 'inherit', 'pipe'] });
  fifo?.closeWriteEnd();
  if (fifoDir && fifoDir !== markDir) rmSync(fifoDir, { recursive: true, force: true });
  const outputDone = new Promise<void>((resolve) => (fifo ? fifo.output.once('close', () => resolve()) : resolve()));
  track(child);
  let output = '';
  let stderr = '';
  let timedOut = false;
  let killedByMote = false;
  let aborted = false;
  const abort = () => {
    aborted = true;
    child.kill('SIGKILL');
  };
  if (opts.signal?.aborted) abort();
  else opts.signal?.addEventListener('abort', abort, { once: true });
  fifo?.output.setEncoding('utf8').on('data', (s: string) => {
    output += s;
    opts.onOutput?.(s);
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    if (/KVM internal error/.test(stderr)) {
      killedByMote = true;
      child.kill('SIGKILL'); // it would hang, not stop
    }
  });
  // A QEMU that dies at once closes its stdin under us: EPIPE is not news,
  // its exit status is.
  child.stdin?.on('error', () => {});
  if (opts.stdin) forwardInput(opts.stdin, child);
  else if (piped) child.stdin?.end(opts.input ?? '');
  const timer = opts.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const cleanPowerOff = (): boolean => {
      if (!markDir) return true;
      try {
        return readFileSync(exitMarkFile!, 'latin1').includes(EXIT_MARK);
      } catch {
        return false;
      } finally {
        rmSync(markDir, { recursive: true, force: true });
      }
    };
    child.on('error', (e) => {
      untrack(child);
      cleanPowerOff();
      reject(new QemuError(`could not start ${QEMU}: ${e.message}`));
    });
    child.on('close', (code, signal) => void outputDone.then(() => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', abort);
      untrack(child);
      const clean = cleanPowerOff();
      const wallMs = performance.now() - started;
      if (stoppedBy) return resolve({ status: signalStatus(stoppedBy), stoppedBy, output, stderr, wallMs });
      if (timedOut) return resolve({ status: Exit.Timeout, output, stderr, wallMs });
      if (aborted) return resolve({ status: 130, output, stderr, wallMs });
      if (killedByMote) return resolve({ status: 128 + 9, output, stderr, wallMs });
      // QEMU killed by a signal that mote did not send (it crashed): its failure.
      if (signal) return reject(new QemuError(`${QEMU} died of ${signal}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`));
      let status = guestStatus(code ?? 1);
      if (status === 0 && !clean) status = Exit.GuestReset;
      if (status < 0) {
        const why = stderr.trim().split('\n')[0] || `it exited with ${code} and said nothing`;
        // A -p whose host port is taken: say which, and why, not QEMU's rule.
        return void hostForwardFailure(stderr, opts.publish ?? [])
          .catch(() => undefined)
          .then((line) => reject(new QemuError(line ?? `${QEMU} failed: ${why}`)));
      }
      resolve({ status, output, stderr, wallMs });
    }));
  });
}

/** Copies `from` to QEMU's console, then the end of input (a serial line
 *  has none of its own). */
function forwardInput(from: NodeJS.ReadableStream, child: ChildProcess): void {
  const to = child.stdin!;
  const onData = (chunk: Buffer | string) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  };
  from.on('data', onData);
  from.once('end', () => to.end(END_OF_INPUT));
  child.once('close', () => {
    from.off('data', onData);
    from.pause();
  });
}

/** QEMU cannot even load an image that ends above the guest's RAM (it hangs):
 *  refuse such a boot here, with the status the boot layer gives a RAM size
 *  too small for its heap. */
function checkFits(img: Awaited<ReturnType<typeof readImage>>, memory: number): void {
  const last = img.segments[img.segments.length - 1]!;
  const end = last.vaddr + last.memsz;
  if (memory < end + 4096) {
    throw new ImageError(
      `refusing to boot: the image needs ${Math.ceil((end + 4096) / 1024)} KiB of RAM to load (itself and a page above it), ${Math.floor(memory / 1024)} KiB given`,
      Exit.TooLittleMemory,
    );
  }
}

/** Boot `image` and wait for the guest to stop. */
export async function bootImage(image: string, opts: BootOptions): Promise<BootResult> {
  const missing = qemuMissing();
  if (missing) throw new QemuError(missing);
  if (opts.net === false && opts.publish?.length) throw new QemuError('publishing ports needs the network: net is false');
  if (opts.validate !== false) checkFits(await readImage(readFileSync(image)), opts.memory);
  const accel = await resolveAccel(opts.accel ?? 'auto');
  return launch(image, { ...opts, accel });
}
