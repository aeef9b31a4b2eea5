// A reader that stops early (`mote run app.img | head -1`) closes our stdout.
// Node would throw EPIPE with a stack; mote ends as a command killed by
// SIGPIPE ends, quietly and with 128 + 13, and stops its guests first (a
// QEMU left running would write to no one until its --timeout, if any).
import { stopGuestsNow } from './qemu.ts';

export const STDOUT_CLOSED = 128 + 13;

export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stopGuestsNow();
    process.exit(STDOUT_CLOSED);
  });
}
