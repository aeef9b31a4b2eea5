// The RAM model's old name: it is ram-model.ts now (builder/budget.ts runs
// `mote budget`; this name read as the same job). Kept only while code in
// progress (hosted/wasm/) still imports it; delete once nothing does.
import type { BootFootprint } from '../../kernel/platform.ts';
import { builtFootprint } from '../footprint.ts';

export * from './ram-model.ts';

/** @deprecated Use ram-model.ts's bootFootprintOf(manifest): the built boot
 *  layer's figures, read when used. */
export const DEFAULT_BOOT: BootFootprint = new Proxy({} as BootFootprint, { get: (_t, key) => builtFootprint()[key as keyof BootFootprint] });
