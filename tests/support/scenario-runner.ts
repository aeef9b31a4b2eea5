/**
 * Runs a scenario (a mote app under tests/kernel/fixtures/scenarios/) in one of two
 * engines, from the same source:
 *   - "node": bundled as a script and run in a fresh `node:vm` context with
 *     the plain-Node host (node-host.ts, virtual time) as `__mote`; the
 *     prelude installs console and timers over it, as on bare QuickJS;
 *   - "quickjs": bundled as the builder bundles apps (its modules, split at
 *     each dynamic import) and run by the hosted runner (builder/hosted) on
 *     the wasm engine (metal's QuickJS and C host), in real time.
 * Both bundle through the builder's one bundling path (builder/bundle.ts).
 * Each run gets fresh kernel state.
 */
import { createContext, runInContext, runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { bundle } from '../../builder/bundle.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { createNodeHost } from './node-host.ts';

export type Engine = 'node' | 'quickjs';

export interface ScenarioResult {
  code: number;
  output: string;
}

export async function runScenario(entry: string, engine: Engine, memoryBytes = 64 << 20): Promise<ScenarioResult> {
  if (engine === 'node') {
    const code = new TextDecoder().decode((await bundle(entry, { minify: false, shape: 'script' })).files[0]![1]);
    const host = createNodeHost({ virtualTime: true });
    // A vm context has V8's own console (it prints nowhere): hide it so the
    // prelude installs one over the platform, as on bare QuickJS.
    // gc: V8 counts garbage in the heap figure until it collects it; a case
    // that measures memory() (otp_gen_server's hibernate) collects first.
    const ctx = createContext({ __mote: host.platform, console: undefined, gc: v8Gc() });
    // Before vitest's own timeout, so a hang fails with what the run printed.
    const watchdog = setTimeout(() => host.stop('the run took over 50 s'), 50_000);
    const r = await host.run(() => runInContext(code, ctx, { filename: entry })).finally(() => clearTimeout(watchdog));
    return { code: r.code, output: r.output + (r.error ? `\n${(r.error as Error).stack ?? r.error}` : '') };
  }
  const { files, modules } = await bundle(entry, { minify: false });
  const manifest = { format: 1, name: 'scenario', version: '0.0.0', entry: files[0]![0], modules };
  const r = await runHosted({ manifest, files: new Map(files) }, { memoryBytes, timeoutMs: 30_000 });
  return { code: r.status, output: r.output };
}

let gc: (() => void) | undefined;
/** V8's collector, exposed once (as --expose-gc would at start-up). */
function v8Gc(): () => void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

/** Parses the scenario's TAP-like lines; fails loudly on anything missing. */
export function parseReport(output: string): { plan: number; passed: string[]; failed: string[] } {
  const plan = /^1\.\.(\d+)$/m.exec(output);
  const passed = [...output.matchAll(/^ok - (.*)$/gm)].map((m) => m[1]);
  const failed = [...output.matchAll(/^not ok - (.*)$/gm)].map((m) => m[1]);
  return { plan: plan ? Number(plan[1]) : -1, passed, failed };
}
