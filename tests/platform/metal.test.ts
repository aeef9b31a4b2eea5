// The boot layer implements the platform interface as every host must, and
// the hosted runner, on the same engine and host core, does it alike: the
// same image gives the same output and status on both.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage } from '../../builder/image.ts';
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
      const img = await readImage(image);
      const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 8 << 20, stdin: c.input, commandLine: c.commandLine, timeoutMs: 30_000 });
      expect([hosted.status, hosted.output]).toEqual([r.status, r.output]);
    });
  });
});
