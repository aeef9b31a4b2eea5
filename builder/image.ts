// Image format v2 (docs/ARCHITECTURE.md): an ELF64 boot layer whose last
// PT_LOAD segment is the payload, a 64-byte header followed by a ustar archive.
// writeImage fills the boot layer's empty payload; readImage checks an image
// the way the boot layer will and more (the boot layer's own bytes, the
// header's reserved bytes, nothing after the payload), so every command that
// reads an image refuses a bad one before QEMU or the engine starts.
import { Exit, type Manifest } from '../kernel/platform.ts';
import { crc32 } from './crc32.ts';
import { ImageError } from './errors.ts';
import { readTar } from './tar.ts';

export const FORMAT_VERSION = 2;
export const MAGIC = 'MOTEIMG\0';
export const HEADER_SIZE = 64;
/** Header fields past the version and size (offsets from the header's start). */
const TAR_SIZE_AT = 16;
const TAR_CRC_AT = 24;
/** Version 2 on: the CRC-32 of the file's bytes before the header (the boot layer as written). */
const BOOT_CRC_AT = 28;
/** Where the zero bytes start, by format version. */
const reservedFrom = (version: number) => (version >= 2 ? 32 : 28);

const PT_LOAD = 1;
const ELF_MAGIC = '\x7fELF';

export { ImageError };

export interface Segment {
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  /** Where this segment's program header sits in the file. */
  headerAt: number;
}

export interface Image {
  /** The loadable segments, in file order; the last is the payload. */
  segments: Segment[];
  version: number;
  tar: Uint8Array;
  files: Map<string, Uint8Array>;
  manifest: Manifest;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function loadSegments(bytes: Uint8Array): Segment[] {
  if (bytes.length < 64 || String.fromCharCode(...bytes.subarray(0, 4)) !== ELF_MAGIC) {
    throw new ImageError('not a mote image: no ELF header', Exit.PayloadCorrupt);
  }
  const v = view(bytes);
  if (v.getUint8(4) !== 2 || v.getUint16(18, true) !== 62) {
    throw new ImageError('not a mote image: not an x86-64 ELF64 file', Exit.PayloadCorrupt);
  }
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  if (phoff + phnum * phentsize > bytes.length) {
    throw new ImageError('truncated image: the program headers run past the end of the file', Exit.PayloadTruncated);
  }
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (v.getUint32(at, true) !== PT_LOAD) continue;
    segments.push({
      headerAt: at,
      flags: v.getUint32(at + 4, true),
      offset: Number(v.getBigUint64(at + 8, true)),
      vaddr: Number(v.getBigUint64(at + 16, true)),
      filesz: Number(v.getBigUint64(at + 32, true)),
      memsz: Number(v.getBigUint64(at + 40, true)),
    });
  }
  if (segments.length === 0) throw new ImageError('not a mote image: no loadable segment', Exit.PayloadCorrupt);
  segments.sort((a, b) => a.offset - b.offset);
  return segments;
}

function payloadSegment(segments: Segment[]): Segment {
  return segments[segments.length - 1]!;
}

/** Fill the boot layer's payload segment with `tar`. The boot layer is not changed. */
export function writeImage(bootLayer: Uint8Array, tar: Uint8Array): Uint8Array {
  const segments = loadSegments(bootLayer);
  const seg = payloadSegment(segments);
  const magic = new TextDecoder().decode(bootLayer.subarray(seg.offset, seg.offset + 8));
  if (magic !== MAGIC) throw new Error('the boot layer has no payload segment last (was it linked with qemu/link.ld?)');

  const out = new Uint8Array(seg.offset + HEADER_SIZE + tar.length);
  out.set(bootLayer.subarray(0, seg.offset));
  const v = view(out);
  out.set(new TextEncoder().encode(MAGIC), seg.offset);
  v.setUint32(seg.offset + 8, FORMAT_VERSION, true);
  v.setUint32(seg.offset + 12, HEADER_SIZE, true);
  v.setBigUint64(seg.offset + TAR_SIZE_AT, BigInt(tar.length), true);
  v.setUint32(seg.offset + TAR_CRC_AT, crc32(tar), true);
  out.set(tar, seg.offset + HEADER_SIZE);

  const size = BigInt(HEADER_SIZE + tar.length);
  v.setBigUint64(seg.headerAt + 32, size, true); // p_filesz
  v.setBigUint64(seg.headerAt + 40, size, true); // p_memsz
  // The section headers stayed behind in the boot layer's file: say there are none.
  v.setBigUint64(40, 0n, true); // e_shoff
  v.setUint16(60, 0, true); // e_shnum
  v.setUint16(62, 0, true); // e_shstrndx
  // Last, once every byte before the header is final.
  v.setUint32(seg.offset + BOOT_CRC_AT, crc32(out.subarray(0, seg.offset)), true);
  return out;
}

/** Parse and check an image as the boot layer would; throws ImageError. */
export async function readImage(bytes: Uint8Array): Promise<Image> {
  const segments = loadSegments(bytes);
  const seg = payloadSegment(segments);
  if (seg.offset + HEADER_SIZE > bytes.length) {
    throw new ImageError('truncated image: it ends before the payload header', Exit.PayloadTruncated);
  }
  const v = view(bytes);
  const magic = new TextDecoder().decode(bytes.subarray(seg.offset, seg.offset + 8));
  if (magic !== MAGIC) throw new ImageError('not a mote image: bad payload magic', Exit.PayloadCorrupt);
  const version = v.getUint32(seg.offset + 8, true);
  if (version > FORMAT_VERSION) {
    throw new ImageError(
      `image format version ${version} is newer than this mote's ${FORMAT_VERSION}: upgrade mote`,
      Exit.FormatVersion,
    );
  }
  if (version === 0 || v.getUint32(seg.offset + 12, true) !== HEADER_SIZE) {
    throw new ImageError('corrupt image: bad payload header', Exit.PayloadCorrupt);
  }
  if (bytes.subarray(seg.offset + reservedFrom(version), seg.offset + HEADER_SIZE).some((b) => b !== 0)) {
    throw new ImageError('corrupt image: the payload header\'s reserved bytes are not zero', Exit.PayloadCorrupt);
  }
  const tarSize = Number(v.getBigUint64(seg.offset + TAR_SIZE_AT, true));
  if (tarSize === 0) throw new ImageError('this is a bare boot layer with no payload: build an image with `mote build`', Exit.NoEntry);
  const start = seg.offset + HEADER_SIZE;
  if (start + tarSize > bytes.length || seg.filesz < HEADER_SIZE + tarSize) {
    throw new ImageError(
      `truncated image: the payload needs ${start + tarSize} bytes, the file has ${bytes.length}`,
      Exit.PayloadTruncated,
    );
  }
  if (bytes.length > start + tarSize) {
    throw new ImageError(`corrupt image: ${bytes.length - start - tarSize} bytes after the payload, which ends the image`, Exit.PayloadCorrupt);
  }
  const tar = bytes.subarray(start, start + tarSize);
  if (crc32(tar) !== v.getUint32(seg.offset + TAR_CRC_AT, true)) {
    throw new ImageError('corrupt image: payload checksum mismatch', Exit.PayloadCorrupt);
  }
  let files: Map<string, Uint8Array>;
  try {
    files = await readTar(tar);
  } catch (e) {
    throw new ImageError(`corrupt image: ${(e as Error).message}`, Exit.PayloadCorrupt);
  }
  const manifestBytes = files.get('manifest.json');
  if (!manifestBytes) throw new ImageError('corrupt image: no manifest.json in the payload', Exit.PayloadCorrupt);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  } catch {
    throw new ImageError('corrupt image: manifest.json is not JSON', Exit.PayloadCorrupt);
  }
  const bad = manifestProblem(manifest, files);
  if (bad) throw new ImageError(`corrupt image: manifest.json ${bad}`, Exit.PayloadCorrupt);
  if (!files.has(manifest.entry)) {
    throw new ImageError(`the entry module '${manifest.entry}' named by the manifest is not in the image`, Exit.NoEntry);
  }
  checkLayout(bytes);
  // Last: a changed byte in the ELF headers gets the layout check's own words.
  if (version >= 2 && crc32(bytes.subarray(0, seg.offset)) !== v.getUint32(seg.offset + BOOT_CRC_AT, true)) {
    throw new ImageError('corrupt image: boot layer checksum mismatch', Exit.PayloadCorrupt);
  }
  return { segments, version, tar, files, manifest };
}

const PT_NOTE = 4;
const XEN_ELFNOTE_PHYS32_ENTRY = 18;
const PAGE = 4096;

/** What QEMU's loader trusts and the boot layer needs, beyond the payload:
 *  every segment inside the file, no more file bytes than memory bytes,
 *  sane alignments, LOAD segments back to back (the boot layer's, then the
 *  payload), and a PVH entry note that points into code. A flipped byte here
 *  would otherwise crash QEMU, hang the guest or triple-fault it. */
function checkLayout(bytes: Uint8Array): void {
  const v = view(bytes);
  const bad = (what: string) => new ImageError(`corrupt image: ${what}`, Exit.PayloadCorrupt);
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  const loads: { vaddr: number; memsz: number; exec: boolean }[] = [];
  let entry: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const type = v.getUint32(at, true);
    const offset = Number(v.getBigUint64(at + 8, true));
    const filesz = Number(v.getBigUint64(at + 32, true));
    const memsz = Number(v.getBigUint64(at + 40, true));
    const align = Number(v.getBigUint64(at + 48, true));
    if (offset + filesz > bytes.length) throw bad(`program header ${i} runs past the end of the file`);
    if (align > PAGE || (align & (align - 1)) !== 0) throw bad(`program header ${i} has alignment ${align}`);
    if (type === PT_LOAD) {
      if (filesz > memsz) throw bad(`segment ${i} has more bytes in the file than in memory`);
      loads.push({ vaddr: Number(v.getBigUint64(at + 16, true)), memsz, exec: (v.getUint32(at + 4, true) & 1) !== 0 });
    } else if (type === PT_NOTE) {
      entry ??= pvhEntry(v, offset, offset + filesz);
    }
  }
  if (entry === undefined) throw bad('no PVH entry note (QEMU would not know where to start)');
  if (!loads.some((l) => l.exec && entry! >= l.vaddr && entry! < l.vaddr + l.memsz)) {
    throw bad(`the PVH entry 0x${entry.toString(16)} is not in an executable segment`);
  }
  loads.sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < loads.length; i++) {
    const end = loads[i - 1]!.vaddr + loads[i - 1]!.memsz;
    if (loads[i]!.vaddr < end) throw bad('two segments overlap');
    if (loads[i]!.vaddr > Math.ceil(end / PAGE) * PAGE) throw bad('a gap between segments (one is missing)');
  }
}

/** The entry address in a note segment's PVH note, if it has one. */
function pvhEntry(v: DataView, from: number, to: number): number | undefined {
  const align4 = (n: number) => (n + 3) & ~3;
  for (let at = from; at + 12 <= to; ) {
    const namesz = v.getUint32(at, true);
    const descsz = v.getUint32(at + 4, true);
    const type = v.getUint32(at + 8, true);
    const name = at + 12;
    const desc = name + align4(namesz);
    if (desc + descsz > to) return undefined;
    const isXen = namesz === 4 && v.getUint32(name, true) === 0x006e6558; // "Xen\0"
    if (isXen && type === XEN_ELFNOTE_PHYS32_ENTRY && descsz >= 4) return v.getUint32(desc, true);
    at = desc + align4(descsz);
  }
  return undefined;
}

/** What is wrong with a parsed manifest's shape, or null: the CLI reads
 *  these fields, so a checksum-valid payload with a broken manifest must
 *  still get a clear message, not a TypeError from deep inside. */
function manifestProblem(m: unknown, files: Map<string, Uint8Array>): string | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'is not an object';
  const o = m as Partial<Manifest>;
  if (typeof o.entry !== 'string') return 'names no entry';
  if (o.modules !== undefined) {
    if (!Array.isArray(o.modules)) return 'has "modules" that is not a list';
    for (const [i, mod] of o.modules.entries()) {
      const ok = typeof mod === 'object' && mod !== null && typeof mod.name === 'string' &&
        Number.isFinite(mod.size) && Number.isFinite(mod.priority);
      if (!ok) return `has a bad module at modules[${i}] (it needs a name, a size and a priority)`;
      if (!files.has(mod.name)) return `lists module '${mod.name}', which is not in the payload`;
    }
  }
  if (o.memory !== undefined && (typeof o.memory !== 'object' || o.memory === null)) return 'has "memory" that is not an object';
  // Every host compares these with its heap (host.c): each a byte count.
  for (const k of ['min', 'start', 'full'] as const) {
    const n = o.memory?.[k];
    if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) return `has "memory.${k}" that is not a number of bytes: ${JSON.stringify(n) ?? String(n)}`;
  }
  return null;
}
