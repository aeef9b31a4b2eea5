/**
 * Runs a scenario (a mote app under tests/kernel/fixtures/scenarios/) in one of two
 * engines, from the same source:
 *   - "node": bundled as a script and run in a fresh `node:vm` context with
 *     the plain-Node host (node-host.ts, virtual time) as `__mote`; the
 *     prelude installs console and timers over it, as on bare QuickJS;
 *   - "quickjs": bundled as the builder bundles apps and run by the hosted
 *     runner (builder/hosted) on quickjs-emscripten, in real time.
 * Each run gets fresh kernel state.
 */
import { build } from 'esbuild';
import { createContext, runInContext } from 'node:vm';
import { join } from 'node:path';
import { bundleApp, MOTE_ROOT } from '../../builder/pack.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { createNodeHost } from './node-host.ts';

export type Engine = 'node' | 'quickjs';

export interface ScenarioResult {
  code: number;
  output: string;
}

async function bundleScript(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2020',
    alias: { mote: join(MOTE_ROOT, 'kernel/index.ts') },
    inject: [join(MOTE_ROOT, 'kernel/prelude.ts')],
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

export async function runScenario(entry: string, engine: Engine, memoryBytes = 64 << 20): Promise<ScenarioResult> {
  if (engine === 'node') {
    const code = await bundleScript(entry);
    const host = createNodeHost({ virtualTime: true });
    // A vm context has V8's own console (it prints nowhere): hide it so the
    // prelude installs one over the platform, as on bare QuickJS.
    const ctx = createContext({ __mote: host.platform, console: undefined });
    const r = await host.run(() => runInContext(code, ctx, { filename: entry }));
    return { code: r.code, output: r.output + (r.error ? `\n${(r.error as Error).stack ?? r.error}` : '') };
  }
  const bytes = await bundleApp(entry, false);
  const manifest = { format: 1, name: 'scenario', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const r = await runHosted({ manifest, files: new Map([['main.js', bytes]]) }, { memoryBytes, timeoutMs: 30_000 });
  return { code: r.status, output: r.output };
}

/** Parses the scenario's TAP-like lines; fails loudly on anything missing. */
export function parseReport(output: string): { plan: number; passed: string[]; failed: string[] } {
  const plan = /^1\.\.(\d+)$/m.exec(output);
  const passed = [...output.matchAll(/^ok - (.*)$/gm)].map((m) => m[1]);
  const failed = [...output.matchAll(/^not ok - (.*)$/gm)].map((m) => m[1]);
  return { plan: plan ? Number(plan[1]) : -1, passed, failed };
}
