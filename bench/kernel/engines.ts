// The engines a kernel bench runs a bundled app on, each printing BENCH
// lines: plain Node (V8, the node host), hosted (the wasm engine, the
// hosted runner), metal (the boot layer in QEMU: TCG unless a usable KVM
// exists) and native (the boot layer as a Linux program,
// qemu/build/mote-native). run.ts and scale.ts share them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, compileModule, MOTE_ROOT } from '../../builder/pack.ts';
import { bootImage } from '../../builder/qemu.ts';
import { writeTar } from '../../builder/tar.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { createNodeHost } from '../../tests/support/node-host.ts';

export type Results = Record<string, { value: number; unit: string }>;

export function parse(out: string): Results {
  const r: Results = {};
  for (const m of out.matchAll(/^BENCH (.*)$/gm)) {
    const j = JSON.parse(m[1]!) as { name: string; value: number; unit: string };
    r[j.name] = { value: j.value, unit: j.unit };
  }
  return r;
}

export async function runNode(code: string, memoryBytes?: number): Promise<Results> {
  // The node host tells the kernel a 64 MiB heap unless told otherwise.
  const host = createNodeHost(memoryBytes ? { memory: { totalRam: memoryBytes, heapLimit: memoryBytes } } : {});
  const ctx = createContext({ __mote: host.platform, console: undefined });
  const r = await host.run(() => runInContext(code, ctx));
  if (r.code !== 0) throw new Error(`node run failed (${r.code}): ${r.output}\n${r.error}`);
  return parse(r.output);
}

export async function runQuickJS(code: string, memoryBytes = 1024 << 20): Promise<Results> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name: 'bench', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const r = await runHosted({ manifest, files: new Map([['main.js', bytes]]) }, { memoryBytes, timeoutMs: 600_000 });
  if (r.status !== 0) throw new Error(`hosted run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

/** The image metal and native run: the boot layer with the app as its
 *  payload, both from checkout `root` (another's, to set its engine beside this one's). */
export async function benchImage(code: string, root = MOTE_ROOT, name = 'bench'): Promise<string> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name, version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const tar = await writeTar([
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))],
    ['main.js', bytes],
    ['main.js.qbc', compileModule(join(root, 'qemu/build/mote-qjsc'), 'main.js', bytes)],
  ]);
  const image = join(mkdtempSync(join(tmpdir(), `mote-${name}-`)), `${name}.img`);
  writeFileSync(image, writeImage(readFileSync(root === MOTE_ROOT ? BOOT_LAYER : join(root, 'qemu/build/mote-boot.elf')), tar));
  return image;
}

/** The boot layer in QEMU (TCG here: see bootImage's accel). */
export async function runMetal(code: string, memoryBytes = 1024 << 20): Promise<Results> {
  const r = await bootImage(await benchImage(code), { memory: memoryBytes, stdio: 'pipe', timeoutMs: 1_800_000 });
  if (r.status !== 0) throw new Error(`metal run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

/** The same image and host core as a Linux program (qemu/build/mote-native,
 *  `make -C qemu native`), with the budget metal has at that RAM: what a real KVM host approaches. */
export async function runNative(code: string, memoryBytes = 1024 << 20): Promise<Results> {
  const image = await benchImage(code);
  const out = execFileSync(join(MOTE_ROOT, 'qemu/build/mote-native'), [image, '--ram', `${Math.floor(memoryBytes / 2 ** 20)}M`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parse(out);
}

/** One run of the bundle on `engine` (node and hosted take the IIFE and ESM bundles alike). */
export function runOn(engine: string, bundle: { iife: string; esm: string }, memoryBytes?: number): Promise<Results> {
  switch (engine) {
    case 'node': return runNode(bundle.iife, memoryBytes);
    case 'hosted': return runQuickJS(bundle.esm, memoryBytes);
    case 'metal': return runMetal(bundle.esm, memoryBytes);
    case 'native': return runNative(bundle.esm, memoryBytes);
  }
  throw new Error(`unknown engine ${engine}`);
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
