// The hosted runner implements the platform interface as every host must: the
// same conformance cases the boot layer passes in QEMU (tests/platform/).
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { platformCases } from '../platform/cases.ts';
import { payloadOf } from './support.ts';

describe('platform interface, hosted', () => {
  for (const c of platformCases) {
    it(c.name, async () => {
      const r = await runHosted(payloadOf(c.source), { memoryBytes: 8 << 20, stdin: c.input, commandLine: c.commandLine, timeoutMs: 20_000 });
      if (typeof c.output === 'string') expect(r.output).toBe(c.output);
      else expect(r.output).toMatch(c.output);
      expect(r.status).toBe(c.status);
    });
  }
});
