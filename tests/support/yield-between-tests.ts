// vitest's setupFiles: after each test, let the worker's event loop turn once.
// Many tests drive the CLI synchronously (moteSync, spawnSync). A file of
// such tests never returns to the event loop, so the worker cannot take the
// answer to its progress report, and after 60 s vitest fails the whole run
// with "Timeout calling onTaskUpdate" although every test passed. On a busy
// machine tests/cli/build.test.ts's 15 tests take over 60 s and did that.
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
