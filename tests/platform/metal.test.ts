// The boot layer implements the platform interface as every host must.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packApp } from '../../builder/pack.ts';
import { boot, workDir } from '../support/guest.ts';
import { platformCases } from './cases.ts';

describe('platform interface on metal (QEMU)', () => {
  platformCases.forEach((c, i) => {
    it(c.name, async () => {
      const entry = join(workDir, `platform-${i}.js`);
      writeFileSync(entry, c.source);
      const { image } = await packApp({ app: entry });
      const path = join(workDir, `platform-${i}.img`);
      writeFileSync(path, image);
      const r = await boot(path, { input: c.input, commandLine: c.commandLine, timeoutMs: 30_000 });
      if (typeof c.output === 'string') expect(r.output).toBe(c.output);
      else expect(r.output).toMatch(c.output);
      expect(r.status).toBe(c.status);
    });
  });
});
