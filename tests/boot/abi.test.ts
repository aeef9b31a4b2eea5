// The C contract (qemu/include/mote.h) and the JS one (kernel/platform.ts)
// must say the same: the ABI version, the format version and every exit status.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, HEADER_SIZE, MAGIC } from '../../builder/image.ts';
import { Exit, PLATFORM_ABI } from '../../kernel/platform.ts';
import { EXIT_MARK } from '../../builder/qemu.ts';

const header = readFileSync(new URL('../../qemu/include/mote.h', import.meta.url), 'utf8');
const defines = new Map([...header.matchAll(/^#define\s+(MOTE_\w+)\s+(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));

// MOTE_EXIT_PAYLOAD_CORRUPT <-> Exit.PayloadCorrupt
const camel = (c: string) => c.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase());

describe('C and JS contracts agree', () => {
  it('on the ABI and image format versions', () => {
    expect(defines.get('MOTE_PLATFORM_ABI')).toBe(PLATFORM_ABI);
    expect(defines.get('MOTE_FORMAT_VERSION')).toBe(FORMAT_VERSION);
    expect(header).toContain(`sizeof(struct mote_payload_header) == ${HEADER_SIZE}`);
    expect(header).toContain(`"${MAGIC.replace('\0', '\\0')}"`);
    expect(header).toContain(`#define MOTE_EXIT_MARK ${JSON.stringify(EXIT_MARK)}`);
  });

  it('on every exit status, both ways', () => {
    const cExits = [...defines].filter(([k]) => k.startsWith('MOTE_EXIT_'));
    expect(cExits.length).toBeGreaterThan(10);
    for (const [name, value] of cExits) {
      const js = camel(name.slice('MOTE_EXIT_'.length));
      expect(Exit, `${name} has no Exit.${js}`).toHaveProperty(js, value);
    }
    const runnerOnly = new Set(['Timeout', 'GuestReset']);
    for (const [key, value] of Object.entries(Exit)) {
      if (runnerOnly.has(key)) continue;
      expect([...defines.values()], `Exit.${key}`).toContain(value);
    }
  });
});
