// Shared by the memory-pressure tests on both hosts.

/** The log line of a pressure kill (kernel/pressure.ts): it names the
 *  process and its memory. */
export const PRESSURE_KILL = /\[error\] (<0\.\d+\.0> )?process <0\.\d+\.0> killed: out of memory: it held the most, \d+ bytes \(\d+ messages queued, \d+ bytes of tables\), with the heap at \d+ of \d+ bytes/;

/** The log line of a process that ran the VM out of memory
 *  (kernel/out_of_memory.ts): it names the process and its memory. */
export const OOM_DEATH = /\[error\] process <0\.\d+\.0> ran the VM out of memory: killed \(out_of_memory\)(; it held \d+ bytes \(\d+ messages queued\))?, with the heap at \d+ of \d+ bytes\n/;
