// The network's buffers come out of the same heap as JS's (qemu/README.md,
// Memory): an app that fills the heap before its first socket gets no
// network. The boot layer says so in one line, not only with 'enetdown' on
// every socket as when the machine has no device (issue 9's sweep: http on
// metal below its start need failed with 111 after five listens, every one
// 'enetdown', with nothing saying why).
import { afterEach, describe, expect, it } from 'vitest';
import { bootNet, killGuests, netImage } from '../support/net-guest.ts';

afterEach(killGuests);

describe('the network with the heap full at its first use', () => {
  it("says in one line that its buffers did not fit; the socket ends in 'enetdown' and the app runs on", async () => {
    const guest = await bootNet(await netImage('nomem.js'), { memory: 8 << 20 });
    const r = await guest.done;
    expect(r.output).toBe("mote: the network did not start: its buffers did not fit in the heap (about 125 KiB); every socket ends in 'enetdown'\nerror enetdown\n");
    expect(r.status).toBe(0);
  }, 120_000);
});
