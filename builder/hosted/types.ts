// The hosted runner's inputs and outputs.
import type { Manifest } from '../../kernel/platform.ts';
import type { HostedMemory } from './ram-model.ts';
import type { PayloadFiles } from './files.ts';

/** What an image carries, in memory: the manifest and the modules by name. */
export interface Payload {
  manifest: Manifest;
  /** Every file of the payload by name (manifest.json may be among them). */
  files: PayloadFiles;
  /** Bytes of the payload's tar, for the memory figures; estimated if absent. */
  tarBytes?: number;
}

/** The status of a run stopped through `signal` (128 + SIGINT, as shells say). */
export const INTERRUPTED = 130;

export interface HostedOptions {
  /** The RAM budget, as QEMU's -m would give it, in bytes. */
  memoryBytes: number;
  /** Where console output goes; if absent it is collected into the result. */
  stdout?: { write(text: string): unknown };
  /** Console input: all of it at once, or a stream read once the payload asks.
   *  Its end reaches the payload as 0x04 (kernel/platform.ts, onInput). */
  stdin?: string | NodeJS.ReadableStream;
  /** The command line (kernel/args.ts's encoding; builder/cmdline.ts writes it). */
  commandLine?: string;
  /** Stop the run with Exit.Timeout after this many ms (wall clock). */
  timeoutMs?: number;
  /** Aborting it stops the run at once with status 130 (Ctrl-C). */
  signal?: AbortSignal;
  /** Report unhandled rejections (default true); metal always reports them. */
  trackRejections?: boolean;
  /** The network (default on): false gives the guest none, so its listens
   *  and connects fail with 'enetdown', as `--net none` does in QEMU. */
  net?: boolean;
  /** Host ports that reach the guest's listening ports (`-p`). A guest port
   *  not published here listens on an ephemeral loopback port instead. */
  publish?: PortMapping[];
  /** Told where a guest port can be reached on this machine, once the guest
   *  listens (a port published as 0, or an unpublished one, is chosen then). */
  onListening?(guestPort: number, host: { address: string; port: number; protocol: 'tcp' | 'udp' }): void;
}

/** One `-p [hostIp:]hostPort:guestPort[/tcp|/udp]`, as Docker writes it. */
export interface PortMapping {
  /** The host address to listen on (default 127.0.0.1). */
  hostIp: string;
  hostPort: number;
  guestPort: number;
  protocol: 'tcp' | 'udp';
}

export interface HostedResult {
  /** The run's exit status: 0..99 the app's, 100.. mote's (kernel/platform.ts). */
  status: number;
  /** Console output, when no stdout was given. */
  output: string;
  wallMs: number;
  /** The memory figures the run had, and the most heap `memory()` saw used. */
  memory: HostedMemory & { heapPeak: number };
}
