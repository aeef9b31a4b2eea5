// The start need (builder/start-need.ts): `mote build` measures the heap an
// app needs to start and writes it into the manifest (memory.start), every
// host refuses below it with 107 and one line saying how much more RAM it
// needs, and `mote inspect`'s bootMin is that threshold, exactly. Before it,
// echo ran below inspect's "refused" and shell died with 100 between the
// boot layer's own refusal and inspect's estimate (issue 9's sweep).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { METAL_FACTOR, startNeed, WORKSPACE } from '../../builder/start-need.ts';
import { Exit } from '../../kernel/platform.ts';
import { buildCli, mote, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const K = 1024;
const image = (app: string) => join(dir, `${app}.img`);

beforeAll(() => {
  buildCli();
  for (const app of ['hello', 'echo']) expect(moteSync(['build', `images/${app}`, '-o', image(app)]).status).toBe(0);
  // An app that is mostly code: 3,000 functions, each an object once its
  // module runs, which loading alone does not make (metal held 3,968 KiB
  // after its top level, the wasm engine measured 2,146 KiB loaded).
  const fns = Array.from({ length: 3000 }, (_, i) => `export function f${i}(a: number, b: string) { const o = { k: a + ${i}, s: b + 'x${i}' }; return o.k > 3 ? [o.s, a * ${i}] : { v: o, w: [1, 2, ${i}] }; }`);
  writeFileSync(join(dir, 'fns.ts'), fns.join('\n') + '\n');
  writeFileSync(join(dir, 'code.ts'), "import * as F from './fns.ts';\nconsole.log('loaded', Object.keys(F).length);\n");
  expect(moteSync(['build', join(dir, 'code.ts'), '-o', image('code'), '--no-typecheck']).status).toBe(0);
});

describe('the start need', () => {
  it('counts the network heap only for an app whose code reaches the socket table', async () => {
    const boot = { netDevice: 131072 } as Parameters<typeof startNeed>[2];
    expect(startNeed(100 * K, false, boot)).toBe(Math.ceil(100 * K * METAL_FACTOR) + WORKSPACE);
    expect(startNeed(100 * K, true, boot)).toBe(Math.ceil(100 * K * METAL_FACTOR) + WORKSPACE + 131072);
    const report = async (app: string) => JSON.parse(moteSync(['inspect', image(app), '--json']).stdout);
    const [hello, echo] = [await report('hello'), await report('echo')];
    // The modules loaded with the entry (priority 0): not the kernel's ordered_set chunk, which loads later.
    const loaded = (r: { baselineHeap: number; modules: Array<{ heapCost: number; priority: number }> }) => r.baselineHeap + r.modules.reduce((n, m) => n + (m.priority === 0 ? m.heapCost : 0), 0);
    const { manifest } = await readImage(new Uint8Array(readFileSync(image('echo'))));
    expect(hello.startNeed).toBe(startNeed(loaded(hello), false, manifest.boot));
    expect(echo.startNeed).toBe(startNeed(loaded(echo), true, manifest.boot));
    expect(manifest.memory?.start).toBe(echo.startNeed);
    expect(moteSync(['inspect', image('echo')]).stdout).toContain(`measured start need: `);
  });

  it('refuses below it on both hosts with one line, runs at it: inspect\'s bootMin exactly', async () => {
    const { predicted, startNeed: need } = JSON.parse(moteSync(['inspect', image('echo'), '--json']).stdout);
    expect(predicted.bootMin).toBeGreaterThan(predicted.refusedBelow); // the app's need, not the boot layer's floor
    const at = Math.ceil(predicted.bootMin / K);
    const r = await mote(['budget', image('echo'), '--sizes', `${at - 1}K,${at}K`, '--host', 'both', '--json', '--jobs', '2', '--ready', 'listening on port 7']);
    const runs = JSON.parse(r.stdout).runs as Array<{ host: string; ram: number; status: number; outcome: string; detail: string }>;
    expect(runs.map((x) => `${x.host} ${x.ram / K}K ${x.outcome}`)).toEqual([`qemu ${at - 1}K refused`, `hosted ${at - 1}K refused`, `qemu ${at}K full`, `hosted ${at}K full`]);
    for (const x of runs.slice(0, 2)) {
      expect(x.status).toBe(Exit.TooLittleMemory);
      expect(x.detail).toMatch(new RegExp(`^mote: refusing to boot: the app needs ${Math.floor(need / K)} KiB of heap to start \\(measured by mote build\\), this RAM gives \\d+ KiB: it needs [1-8] KiB more RAM$`));
    }
    expect(r.status).toBe(0);
  }, 120_000);

  it('holds for an app that is mostly code: it runs at its least RAM on both hosts', async () => {
    const { predicted } = JSON.parse(moteSync(['inspect', image('code'), '--json']).stdout);
    const at = Math.ceil(predicted.bootMin / K);
    const r = await mote(['budget', image('code'), '--sizes', `${at - 1}K,${at}K`, '--host', 'both', '--json', '--jobs', '2']);
    const runs = JSON.parse(r.stdout).runs as Array<{ host: string; outcome: string; status: number }>;
    expect(runs.map((x) => `${x.host} ${x.outcome} ${x.status}`)).toEqual(['qemu refused 107', 'hosted refused 107', 'qemu full 0', 'hosted full 0']);
  }, 120_000);
});
