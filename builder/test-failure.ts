// For tests only: MOTE_TEST_CLI_FAILURE makes mote's own code fail once a
// QEMU child is running, as a bug in it would, so that a test can see that
// no QEMU outlives mote: 'throw' is an uncaught exception, 'reject' an
// unhandled rejection. The error names the child's pid.
import type { ChildProcess } from 'node:child_process';

export function failIfAsked(child: ChildProcess): void {
  const how = process.env.MOTE_TEST_CLI_FAILURE;
  if (how !== 'throw' && how !== 'reject') return;
  const e = new Error(`MOTE_TEST_CLI_FAILURE=${how}: mote failed with QEMU (pid ${child.pid}) running`);
  if (how === 'throw') throw e;
  void Promise.reject(e);
}
