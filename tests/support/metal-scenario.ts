// Boots a scenario (tests/kernel/fixtures/scenarios/NAME.ts) on metal, as the
// Node hosts run it in tests/kernel/scenarios.test.ts, and asserts that every
// case it plans passes and the node ends with 0.
import { join } from 'node:path';
import { expect } from 'vitest';
import { boot, buildImage } from './guest.ts';
import { parseReport } from './scenario-runner.ts';

export async function expectScenarioPassesOnMetal(name: string, memory: number, timeoutMs: number): Promise<void> {
  const image = await buildImage(join(import.meta.dirname, `../kernel/fixtures/scenarios/${name}.ts`), name);
  const r = await boot(image, { memory, timeoutMs });
  const report = parseReport(r.output);
  expect(report.failed, r.output).toEqual([]);
  expect(report.plan, r.output).toBeGreaterThan(0);
  expect(report.passed.length, r.output).toBe(report.plan);
  expect(r.status, r.output).toBe(0);
}
