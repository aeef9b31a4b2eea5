// The report's boot section: QEMU launch to exit for the floor (an empty
// kernel), mote's hello and Linux's hello (bench/report/linux-boot.ts),
// alternating within each run, on microvm and pc; and the smallest -m at
// which each prints its hello line.
import type { Machine } from '../../builder/qemu.ts';
import { FLOOR, smallestHelloMemory, wallMs, writeHello } from '../boot-times.ts';
import { median } from '../stats.ts';
import { bootLinux, buildLinuxHello, linuxCommandLine, smallestLinuxMemory } from './linux-boot.ts';

export interface MachineBoot {
  floorMs: number[];
  helloMs: number[];
  linuxMs: number[];
  /** Linux boots stopped at the timeout, of `runs`. */
  linuxHangs: number;
  /** Linux boots that exited without printing the hello line. */
  linuxSilent: number;
  medians: { floorMs: number; helloMs: number; linuxMs: number };
  helloSmallestBytes: number;
  /** null: it did not print at the top of the search. */
  linuxSmallestMiB: number | null;
  linuxSmallestHangs: number;
}

export interface BootSection {
  runs: number;
  linuxTimeoutMs: number;
  linuxMaxMiB: number;
  helloBytes: number;
  linuxKernelBytes: number;
  linuxInitrdBytes: number;
  /** The kernel's command line, both machines (absent before it carried the TSC's rate). */
  linuxCommandLine?: string;
  machines: Record<Machine, MachineBoot>;
}

export async function bootSection(o: { runs: number; linuxTimeoutMs: number; linuxMaxMiB: number; dir: string; log: (s: string) => void }): Promise<BootSection> {
  const { path: hello, bytes: helloBytes } = await writeHello(o.dir);
  const sizes = buildLinuxHello();
  const commandLine = linuxCommandLine();
  const machines = {} as Record<Machine, MachineBoot>;
  for (const machine of ['microvm', 'pc'] as const) {
    const m = { floorMs: [] as number[], helloMs: [] as number[], linuxMs: [] as number[], linuxHangs: 0, linuxSilent: 0 };
    for (let i = 0; i < o.runs; i++) {
      m.floorMs.push(await wallMs(FLOOR, machine, 'tcg'));
      m.helloMs.push(await wallMs(hello, machine, 'tcg'));
      const l = await bootLinux(machine, 256, o.linuxTimeoutMs, commandLine);
      if ('hang' in l) m.linuxHangs++;
      else if (!l.printed) m.linuxSilent++;
      else m.linuxMs.push(l.ms);
      o.log(`boot ${machine} ${i + 1}/${o.runs}: floor ${m.floorMs.at(-1)!.toFixed(0)} ms, hello ${m.helloMs.at(-1)!.toFixed(0)} ms, linux ${'hang' in l ? 'hang' : `${l.ms.toFixed(0)} ms${l.printed ? '' : ' (no hello line)'}`}`);
    }
    const helloSmallestBytes = await smallestHelloMemory(hello, machine);
    const hangs = { n: 0 };
    // Each probe that hangs costs the timeout twice: not searched where no
    // timed boot got through.
    const linuxSmallestMiB = m.linuxMs.length ? await smallestLinuxMemory(machine, o.linuxMaxMiB, o.linuxTimeoutMs, commandLine, hangs) : null;
    o.log(`boot ${machine}: smallest -m hello ${helloSmallestBytes / 1024} KiB, linux ${linuxSmallestMiB ?? 'none'} MiB (${hangs.n} hangs)`);
    machines[machine] = {
      ...m,
      medians: { floorMs: median(m.floorMs), helloMs: median(m.helloMs), linuxMs: median(m.linuxMs) },
      helloSmallestBytes,
      linuxSmallestMiB,
      linuxSmallestHangs: hangs.n,
    };
  }
  return { runs: o.runs, linuxTimeoutMs: o.linuxTimeoutMs, linuxMaxMiB: o.linuxMaxMiB, helloBytes, linuxKernelBytes: sizes.kernelBytes, linuxInitrdBytes: sizes.initrdBytes, linuxCommandLine: commandLine, machines };
}
