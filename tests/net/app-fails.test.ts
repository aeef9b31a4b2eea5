// A server that cannot serve says so: images/http with no network is a
// permanent application whose supervisor gives up, so the node stops with
// 111 and one line naming it, on both hosts (it exited 0).
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Exit } from '../../kernel/platform.ts';
import { buildCli, mote, moteSync, tempDir } from '../cli/support.ts';

const image = join(tempDir(), 'http.img');
beforeAll(() => {
  buildCli();
  expect(moteSync(['build', 'images/http', '-o', image]).status).toBe(0);
});

describe('a permanent application that fails', () => {
  for (const host of ['run', 'boot']) {
    it(`stops the node with ${Exit.AppFailed} on mote ${host}`, async () => {
      const r = await mote([host, image, '--net', 'none']);
      expect(r.stdout).toMatch(/TcpServer: cannot listen on port 80: enetdown/);
      expect(r.stdout).toMatch(/\] <0\.\d+\.0> application http failed: its top supervisor exited \(shutdown\); the node stops with status 111\n$/);
      expect(r.status).toBe(Exit.AppFailed);
    }, 120_000);
  }
});
