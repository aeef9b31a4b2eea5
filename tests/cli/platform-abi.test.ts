// An image whose kernel speaks another platform ABI than this mote's hosted
// engine: `mote run` says so in one line with 108, before the kernel starts
// (which would stop at its first host call with an uncaught error, 100).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { Exit, PLATFORM_ABI } from '../../kernel/platform.ts';
import { buildCli, expectNoStack, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const good = join(dir, 'good.img');
const other = join(dir, 'other-abi.img');

beforeAll(async () => {
  buildCli();
  expect(moteSync(['build', 'images/hello', '-o', good]).status).toBe(0);
  const img = await readImage(readFileSync(good));
  expect(img.manifest.build?.platformAbi).toBe(String(PLATFORM_ABI));
  const manifest = { ...img.manifest, build: { ...img.manifest.build, platformAbi: String(PLATFORM_ABI - 1) } };
  const files: Array<[string, Uint8Array]> = [['manifest.json', Buffer.from(JSON.stringify(manifest))], ...[...img.files].filter(([n]) => n !== 'manifest.json')];
  writeFileSync(other, writeImage(readFileSync(BOOT_LAYER), await writeTar(files)));
});

it('mote run refuses an image built for another platform ABI, naming both and what to do', () => {
  const r = moteSync(['run', other]);
  expectNoStack(r);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    `mote: error: the image's kernel speaks platform ABI ${PLATFORM_ABI - 1} and this mote's hosted engine ABI ${PLATFORM_ABI}: rebuild it with this mote (mote build), or boot it (mote boot runs the image's own boot layer)\n`,
  );
  expect(r.status).toBe(Exit.FormatVersion);
});

it('an image of this ABI runs', () => {
  const r = moteSync(['run', good]);
  expect(r.stdout).toBe('hello from mote\n');
  expect(r.status).toBe(0);
});
