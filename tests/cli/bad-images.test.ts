// Bad images, made in the test from a good one: every command that reads an
// image refuses them with one line and the status the boot layer would give,
// and without starting QEMU.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, HEADER_SIZE, readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { Exit } from '../../kernel/platform.ts';
import { buildCli, expectNoStack, mote, moteSync, tempDir } from './support.ts';

const dir = tempDir();
let good: Buffer;
let payloadAt: number;

beforeAll(async () => {
  buildCli();
  const path = join(dir, 'good.img');
  expect(moteSync(['build', 'images/hello', '-o', path]).status).toBe(0);
  good = readFileSync(path);
  const img = await readImage(good);
  payloadAt = img.segments[img.segments.length - 1]!.offset;
  // Checksum-valid payloads whose manifest is broken.
  const code = img.files.get('main.js')!;
  const withManifest = async (name: string, manifest: string) =>
    writeFileSync(join(dir, name), writeImage(readFileSync(BOOT_LAYER), await writeTar([['manifest.json', Buffer.from(manifest)], ['main.js', code]])));
  await withManifest('null-manifest.img', 'null');
  await withManifest('bad-modules.img', JSON.stringify({ ...img.manifest, modules: 'x' }));
  await withManifest('missing-module.img', JSON.stringify({ ...img.manifest, modules: [...img.manifest.modules, { name: 'gone.js', size: 10, priority: 1 }] }));
  await withManifest('string-start.img', JSON.stringify({ ...img.manifest, memory: { ...img.manifest.memory, start: '9M' } }));
  await withManifest('huge-start.img', JSON.stringify({ ...img.manifest, memory: { ...img.manifest.memory, start: 2 ** 52 } }));
});

function fixture(name: string, edit: (b: Buffer) => Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, edit(Buffer.from(good)));
  return path;
}

const cases: Array<{ name: string; make: () => string; status: number; message: RegExp }> = [
  {
    name: 'a flipped byte in the payload',
    make: () => fixture('flipped.img', (b) => ((b[payloadAt + HEADER_SIZE + 700]! ^= 0x20), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: payload checksum mismatch\n$/,
  },
  {
    name: 'a truncated image',
    make: () => fixture('truncated.img', (b) => b.subarray(0, b.length - 1000)),
    status: Exit.PayloadTruncated,
    message: /^mote: error: truncated image: the payload needs \d+ bytes, the file has \d+\n$/,
  },
  {
    name: 'a wrong payload magic',
    make: () => fixture('magic.img', (b) => (b.write('NOTMOTE\0', payloadAt, 'latin1'), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: not a mote image: bad payload magic\n$/,
  },
  {
    name: 'an image from a newer format version',
    make: () => fixture('newer.img', (b) => (b.writeUInt32LE(FORMAT_VERSION + 1, payloadAt + 8), b)),
    status: Exit.FormatVersion,
    message: new RegExp(`^mote: error: image format version ${FORMAT_VERSION + 1} is newer than this mote's ${FORMAT_VERSION}: upgrade mote\n$`),
  },
  // The CRC covered only the tar: these passed inspect and run, then failed
  // boot in QEMU (105, 110 or 100).
  {
    name: "a changed byte in the boot layer's code",
    make: () => fixture('code.img', (b) => ((b[0x1000 + 300]! ^= 0x04), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: boot layer checksum mismatch\n$/,
  },
  {
    name: 'a changed boot layer checksum',
    make: () => fixture('boot-crc.img', (b) => ((b[payloadAt + 28]! ^= 0x10), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: boot layer checksum mismatch\n$/,
  },
  {
    name: 'a reserved header byte that is not zero',
    make: () => fixture('reserved.img', (b) => ((b[payloadAt + 63] = 1), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: the payload header's reserved bytes are not zero\n$/,
  },
  {
    name: 'bytes appended after the payload',
    make: () => fixture('appended.img', (b) => Buffer.concat([b, Buffer.from('trailing junk\n')])),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: 14 bytes after the payload, which ends the image\n$/,
  },
  {
    name: 'a manifest that is null',
    make: () => join(dir, 'null-manifest.img'),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: manifest\.json is not an object\n$/,
  },
  {
    name: 'a manifest whose modules are not a list',
    make: () => join(dir, 'bad-modules.img'),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: manifest\.json has "modules" that is not a list\n$/,
  },
  {
    name: 'a manifest listing a module the payload lacks',
    make: () => join(dir, 'missing-module.img'),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: manifest\.json lists module 'gone\.js', which is not in the payload\n$/,
  },
  {
    // The hosts ignored it (not a number) where inspect printed it as the need.
    name: 'a manifest whose memory.start is not a number of bytes',
    make: () => join(dir, 'string-start.img'),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: manifest\.json has "memory\.start" that is not a number of bytes: "9M"\n$/,
  },
  // The ELF program headers (at 64, 56 bytes each: code, PVH note, data, payload).
  // QEMU trusts them: each of these crashed QEMU, hung the guest or triple-faulted it.
  {
    name: 'a segment no longer loadable (its type flipped)',
    make: () => fixture('no-data.img', (b) => (b.writeUInt32LE(0x824cb0d2, 64 + 2 * 56), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: a gap between segments \(one is missing\)\n$/,
  },
  {
    name: 'a PVH entry pointing outside the code',
    make: () => fixture('entry.img', (b) => (b.writeUInt32LE(0x26100000, Number(b.readBigUInt64LE(64 + 56 + 8)) + 16), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: the PVH entry 0x26100000 is not in an executable segment\n$/,
  },
  {
    name: 'a segment whose file size runs past the end',
    make: () => fixture('filesz.img', (b) => (b.writeBigUInt64LE(0x1c062f3fn, 64 + 3 * 56 + 32), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: program header 3 runs past the end of the file\n$/,
  },
  {
    name: 'a note with an absurd alignment',
    make: () => fixture('align.img', (b) => (b.writeBigUInt64LE(0xc415f4f3n, 64 + 56 + 48), b)),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: corrupt image: program header 1 has alignment \d+\n$/,
  },
  {
    name: 'a file that is not an image at all',
    make: () => fixture('text.img', () => Buffer.from('just some text, not an ELF file\n'.repeat(10))),
    status: Exit.PayloadCorrupt,
    message: /^mote: error: not a mote image: no ELF header\n$/,
  },
];

describe.each(['inspect', 'run', 'boot', 'budget'])('mote %s on a bad image', (command) => {
  for (const c of cases) {
    it(`${c.name}: status ${c.status} and one line`, async () => {
      // boot must refuse before QEMU: a QEMU that does not exist proves it never started.
      const r = await mote([command, c.make()], { env: { MOTE_QEMU: '/nonexistent/qemu' } });
      expect(r.stderr).toMatch(c.message);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(c.status);
      expectNoStack(r);
    });
  }
});

describe('images that cannot be read', () => {
  it('a missing file', () => {
    const r = moteSync(['run', join(dir, 'missing.img')]);
    expect(r.stderr).toBe(`mote: error: no such image: ${join(dir, 'missing.img')}\n`);
    expect(r.status).toBe(1);
  });

  it('a directory', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    const r = moteSync(['inspect', sub]);
    expect(r.stderr).toBe(`mote: error: ${sub} is a directory, not an image\n`);
    expect(r.status).toBe(1);
  });
});

describe('a start need past any RAM', () => {
  // 4 PiB: the refusal's figures were 32-bit on the wasm engine (unsigned
  // long), where it read 'needs 0 KiB of heap ... 0 KiB more RAM'.
  it('is refused with its figures whole, 107', () => {
    const r = moteSync(['run', join(dir, 'huge-start.img'), '-m', '8M']);
    expect(r.stdout + r.stderr).toMatch(/^mote: refusing to boot: the app needs 4398046511104 KiB of heap to start \(measured by mote build\), this RAM gives \d+ KiB: it needs 43980465\d{5} KiB more RAM\n$/);
    expect(r.status).toBe(Exit.TooLittleMemory);
  });
});
