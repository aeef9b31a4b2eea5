// The driver has V8 tier the engine's code up to TurboFan as soon as a
// function first runs, not after a budget of baseline code
// (builder/hosted/wasm/tiering.ts), where V8 has the flag and the user
// chose no tiering of their own.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EAGER_TIER_UP, tierUpEagerly } from '../../builder/hosted/wasm/tiering.ts';

const setOn = (v8: string, chosen = '') => {
  const set: string[] = [];
  const did = tierUpEagerly((f) => set.push(f), v8, chosen);
  return { did, set };
};

describe('eager tier-up of the wasm engine', () => {
  it('is set on the V8s of Node 20 and 22', () => {
    expect(setOn('11.3.244.8-node.33')).toEqual({ did: true, set: [EAGER_TIER_UP] });
    expect(setOn('12.4.254.21-node.24')).toEqual({ did: true, set: [EAGER_TIER_UP] });
  });

  it('is not set on a V8 not known to have the flag (an unknown flag prints an error)', () => {
    expect(setOn('13.6.233.10-node.1')).toEqual({ did: false, set: [] });
    expect(setOn('9.4.146.26-node.26')).toEqual({ did: false, set: [] });
  });

  it("leaves a tiering the user chose alone (node's flags or NODE_OPTIONS)", () => {
    expect(setOn('11.3.244.8', '--no-liftoff')).toEqual({ did: false, set: [] });
    expect(setOn('11.3.244.8', '--wasm-tiering-budget=1000 --max-old-space-size=4096')).toEqual({ did: false, set: [] });
    expect(setOn('11.3.244.8', '--max-old-space-size=4096')).toEqual({ did: true, set: [EAGER_TIER_UP] });
  });

  it.skipIf(!setOn(process.versions.v8).did)('is a flag this Node takes, where the driver sets it', () => {
    const r = spawnSync(process.execPath, [EAGER_TIER_UP, '-e', '0'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});
