// The hosted runner's memory model: from a RAM budget (what `-m` gives QEMU)
// to the same figures the boot layer reports in `memory()`, so that an image
// sees the same totalRam, reserved and heapLimit hosted as on metal.
//
// On metal (measured with QEMU microvm): the memory map lists the budget less
// 385 KiB of firmware holes below 1 MiB; the image (boot layer + payload,
// from loadAddress to the end of the payload segment) is reserved; the heap is
// the rest, and JS may use all of it but `heapReserve`. `reserved` is what
// the boot layer reports: all RAM it lists that is not heap.
import type { BootFootprint, Manifest } from '../../kernel/platform.ts';
import { builtFootprint } from '../footprint.ts';
import { HEADER_SIZE } from '../image.ts';

/** RAM QEMU's -m gives that the memory map does not list as usable: the
 *  legacy hole 0xA0000..0x100000 and the BIOS data areas (measured: 394,240). */
export const FIRMWARE_HOLES = 394_240;

/** Heap the boot layer cannot use besides the image: the unmapped null page
 *  and the allocator's per-region sentinels (measured: 4,128 bytes). */
export const BOOT_HEAP_LOSS = 4_128;

/** QEMU rounds the RAM it is given up to a multiple of 8 KiB. */
export const QEMU_RAM_ALIGN = 8192;

/** The least -m whose RAM, once QEMU has rounded it, is at least `ram`. */
export function smallestBudgetFor(ram: number): number {
  return Math.floor((ram - 1) / QEMU_RAM_ALIGN) * QEMU_RAM_ALIGN + 1;
}

const PAGE = 4096;

/** The boot layer a manifest was packed with, or, for one that names none,
 *  the one this checkout built (footprint.ts): one source for every figure. */
export function bootFootprintOf(manifest: Manifest): BootFootprint {
  return manifest.boot ?? builtFootprint();
}

export interface HostedMemory {
  /** What `memory().totalRam` reports: the RAM the guest would see. */
  totalRam: number;
  /** The image's own RAM: boot layer code, data, stack, payload. */
  reserved: number;
  /** The most the JS heap may hold. */
  heapLimit: number;
  /** Below this heap the engine is not started (Exit.TooLittleMemory). */
  minHeap: number;
  /** Heap kept back from JS for the host itself: heapLimit + heapReserve is
   *  the whole heap, what minHeap is compared with. */
  heapReserve: number;
  /** Where the image ends in RAM. QEMU cannot load an image past the end of
   *  RAM: the runner refuses to boot below imageEnd + one page (qemu.ts). */
  imageEnd: number;
}

/** The least RAM for which neither the runner nor the boot layer refuses. */
export function refusedBelow(m: HostedMemory): number {
  return Math.max(m.imageEnd + PAGE, FIRMWARE_HOLES + m.reserved + m.minHeap);
}

/** Bytes of payload segment an image with this tar occupies. */
export function payloadSegmentBytes(tarBytes: number): number {
  return HEADER_SIZE + tarBytes;
}

/**
 * The memory figures for a hosted run of a payload whose tar is `tarBytes`
 * long, given `budget` bytes of RAM. heapLimit can be negative: the caller
 * refuses to start when it is below minHeap, as the boot layer does.
 */
export function hostedMemory(manifest: Manifest, tarBytes: number, budget: number): HostedMemory {
  const boot = bootFootprintOf(manifest);
  const totalRam = Math.max(0, Math.ceil(budget / QEMU_RAM_ALIGN) * QEMU_RAM_ALIGN - FIRMWARE_HOLES);
  const imageEnd = boot.payloadAddress + payloadSegmentBytes(tarBytes);
  // The boot layer starts the heap at the first page after the image.
  const reserved = Math.ceil(imageEnd / PAGE) * PAGE - boot.loadAddress + BOOT_HEAP_LOSS;
  const heapLimit = totalRam - reserved - boot.heapReserve;
  return { totalRam, reserved, heapLimit, minHeap: boot.minHeap, heapReserve: boot.heapReserve, imageEnd };
}
