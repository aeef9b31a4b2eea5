// One source for the boot layer's figures: a manifest that carries no boot
// footprint (packed with a boot layer that has no mote-boot.json beside it)
// runs hosted with the figures of the boot layer this checkout built, so
// hosted reports the heap metal does. They were hand copies in TypeScript,
// and disagreed: hosted computed less heap than metal.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtFootprint, footprintPath } from '../../builder/footprint.ts';
import { hostedMemory, refusedBelow } from '../../builder/hosted/ram-model.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage, type Image } from '../../builder/image.ts';
import { packApp } from '../../builder/pack.ts';
import { BOOT_LAYER, MOTE_ROOT } from '../../builder/paths.ts';
import { boot } from '../support/guest.ts';
import { tempDir } from './support.ts';

const dir = tempDir();
const path = join(dir, 'memory.img');
let img: Image;

beforeAll(async () => {
  // The boot layer and its module compiler, without the footprint.
  copyFileSync(BOOT_LAYER, join(dir, 'mote-boot.elf'));
  copyFileSync(join(BOOT_LAYER, '../mote-qjsc'), join(dir, 'mote-qjsc'));
  const { image } = await packApp({ app: join(MOTE_ROOT, 'tests/boot/fixtures/memory.ts'), bootLayer: join(dir, 'mote-boot.elf') });
  writeFileSync(path, image);
  img = await readImage(image);
});

/** The memory figures the app prints (fixtures/memory.ts), but heapUsed: each engine has its own. */
function figures(output: string): { total: number; limit: number; reserved: number } {
  const { total, limit, reserved } = JSON.parse(output) as Record<string, number>;
  return { total: total!, limit: limit!, reserved: reserved! };
}

describe('the boot layer figures have one source', () => {
  it('the tunables the runner uses are param.h\'s, through footprint.sh', () => {
    const param = readFileSync(join(MOTE_ROOT, 'qemu/include/param.h'), 'utf8');
    // Each is a number or a product, such as (48 * 1024).
    const define = (name: string) => new RegExp(`#define ${name}\\s+(\\([\\d *]+\\)|\\d+)`).exec(param)![1]!.match(/\d+/g)!.map(Number).reduce((a, b) => a * b);
    expect(img.manifest.boot).toBeUndefined();
    const m = hostedMemory(img.manifest, img.tar.length, 8 << 20);
    expect(m.heapReserve).toBe(define('HEAP_RESERVE'));
    expect(m.minHeap).toBe(define('MIN_HEAP'));
    expect(builtFootprint()).toEqual(JSON.parse(readFileSync(footprintPath(BOOT_LAYER)!, 'utf8')));
  });

  for (const at of ['8M', 'the least RAM that boots']) {
    it(`without a footprint in the manifest, hosted reports the heap metal does at ${at}`, async () => {
      const ram = at === '8M' ? 8 << 20 : refusedBelow(hostedMemory(img.manifest, img.tar.length, 0));
      const metal = await boot(path, { memory: ram });
      const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: ram, timeoutMs: 30_000 });
      expect(metal.status, metal.output).toBe(0);
      expect(hosted.status, hosted.output).toBe(0);
      expect(figures(hosted.output)).toEqual(figures(metal.output));
    });
  }
});
