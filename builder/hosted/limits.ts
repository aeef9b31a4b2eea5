// What RAM a hosted run can be given: the wasm engine's memory is one
// WebAssembly.Memory with 32-bit addresses. Held at 2032M, under 2 GiB, where
// every hosted engine so far has been tested; past it, boot in QEMU.
import { LimitError } from '../errors.ts';

/** The most RAM a hosted run can be given. */
export const HOSTED_MAX_RAM = 2032 << 20;

/** Refuses a RAM size the hosted engine cannot address, naming the way out. */
export function checkHostedRam(ram: number, flag: string): void {
  if (ram > HOSTED_MAX_RAM) {
    throw new LimitError(`${flag}: the hosted engine addresses at most ${HOSTED_MAX_RAM >> 20}M of RAM; boot the image in QEMU for more`);
  }
}
