// Where the builder finds its own parts: the mote checkout it runs from
// (builder/*.ts and dist/cli.js both sit one folder below it).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The mote checkout this builder runs from (kernel sources, boot layer). */
export const MOTE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The boot layer `npm run build` makes; its footprint is the .json beside it. */
export const BOOT_LAYER = join(MOTE_ROOT, 'qemu/build/mote-boot.elf');
/** What `import ... from 'mote'` means in an app. */
export const KERNEL_ENTRY = join(MOTE_ROOT, 'kernel/index.ts');
/** Injected into every bundle: console and timers over the platform. */
export const PRELUDE = join(MOTE_ROOT, 'kernel/prelude.ts');
/** The Web APIs (kernel/web/), injected too: esbuild includes each file only
 *  when the app names one of its exports, so an app that uses none pays nothing. */
export const WEB_GLOBALS = join(MOTE_ROOT, 'kernel/web');
