// The logger names the process logging from the core itself, whatever else
// was imported: here only the process API and the logger, not the node's
// module (which once set the pid prefix as a side effect of its import).
import { expect, it, vi } from 'vitest';
import { createNodeHost } from '../support/node-host.ts';

it('prefixes a process\'s log line with its pid, and a line from outside any process with none', async () => {
  vi.resetModules();
  const { spawn, self } = await import('../../kernel/process_api.ts');
  const logger = await import('../../kernel/logger.ts');
  const host = createNodeHost({ virtualTime: true });
  let pid = '';
  const r = await host.run(() => {
    logger.error('from the top level');
    spawn(async () => {
      pid = String(self());
      logger.warning('from a process', { n: 1 });
    });
  });
  expect(r.code).toBe(0);
  expect(pid).toMatch(/^<0\.\d+\.0>$/);
  expect(r.output).toContain('[error] from the top level\n');
  expect(r.output).toContain(`[warning] ${pid} from a process { n: 1 }\n`);
});
