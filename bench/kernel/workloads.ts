// The kernel's workloads as both kernel benches run them (run.ts, and
// side-by-side.ts against another checkout): their sizes at a scale, and
// the fixture bundled against a checkout's kernel. One place, so the two
// benches always measure the same work.
import { build } from 'esbuild';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/paths.ts';
import { webVendorPlugin } from '../../builder/web-vendor.ts';

export type WorkloadSizes = Record<'idle' | 'pingpong' | 'ringProcs' | 'ringHops' | 'selective' | 'restarts' | 'ets', number>;

export function workloadSizes(scale: number): WorkloadSizes {
  return {
    idle: Math.round(10_000 * scale),
    pingpong: Math.round(100_000 * scale),
    ringProcs: 10_000,
    ringHops: Math.round(1_000_000 * scale),
    // Not scaled down: the first receive scans all 10k queued messages once
    // (later ones resume from the scan's memo), so at 20 receives (scale
    // 0.02) that one scan was most of the time and the rate read 4-8x low.
    selective: Math.max(1_000, Math.round(1_000 * scale)),
    restarts: Math.round(5_000 * scale),
    ets: Math.round(1_000_000 * scale),
  };
}

/** bench/kernel/fixtures/workloads.ts bundled against the kernel of the checkout at `root`. */
export function bundleWorkloads(sizes: WorkloadSizes, format: 'iife' | 'esm', root = MOTE_ROOT): Promise<string> {
  return bundleFixture('workloads.ts', { BENCH_SIZES: JSON.stringify(sizes) }, format, root);
}

/** A bench/kernel/fixtures/ app bundled against the kernel of the checkout at `root`, with `define`. */
export async function bundleFixture(fixture: string, define: Record<string, string>, format: 'iife' | 'esm', root = MOTE_ROOT): Promise<string> {
  const r = await build({
    entryPoints: [join(MOTE_ROOT, 'bench/kernel/fixtures', fixture)],
    bundle: true, write: false, format, platform: 'neutral', target: 'es2020',
    mainFields: ['module', 'main'], // as builder/bundle.ts resolves packages (the kernel's sorted-btree has main only)
    alias: { mote: join(root, 'kernel/index.ts') },
    inject: [join(root, 'kernel/prelude.ts')],
    define,
    plugins: [webVendorPlugin()], // kernel/web/url.ts's library, as builder/bundle.ts gives it
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}
