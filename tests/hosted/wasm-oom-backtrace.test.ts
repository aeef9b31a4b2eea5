// The heap filled with gen_servers on the wasm engine, at several sizes:
// where the last allocation fails moves with every megabyte, and at each
// size an out-of-memory thrown while QuickJS built an error's backtrace
// freed that error, which build_backtrace then wrote to: the engine trapped
// (105) in JS_DefineProperty < build_backtrace at every size from 8M to 24M,
// and metal page-faulted in find_own_property (issue 9). QuickJS is patched
// at build time for it (qemu/patches/quickjs-backtrace-hold.patch).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';

const fixture = join(__dirname, '../kernel/fixtures/quickjs-only/idle100k.ts');

describe('a heap full of gen_servers, wasm engine', () => {
  for (const mb of [8, 9, 10, 11, 12, 16, 24]) {
    it(`at ${mb}M: the start fails in the caller or the starter dies with out_of_memory, and the node ends with 0`, async () => {
      const img = await readImage(readFileSync(await buildImage(fixture, 'idle100k')));
      const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
      expect(r.output).not.toContain('faulted');
      expect(r.output).toMatch(
        /^\[error\] process <0\.\d+\.0> (crashed: Error: start \d+ failed|ran the VM out of memory: killed \(out_of_memory\)[^\n]*)\n/,
      );
      expect(r.status, r.output).toBe(0);
    }, 120_000);
  }
});
