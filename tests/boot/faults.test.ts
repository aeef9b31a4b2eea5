// Machine faults end in one line and their own status, never a hang or a
// triple fault. The faults are caused on purpose through the test build of the
// boot layer (qemu/src/test_hooks.c), which images never ship.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOTE_ROOT, packApp } from '../../builder/pack.ts';
import { Exit } from '../../kernel/platform.ts';
import { boot, workDir } from '../support/guest.ts';

const TEST_BOOT_LAYER = join(MOTE_ROOT, 'qemu/build/mote-boot-test.elf');

async function run(name: string, source: string) {
  const entry = join(workDir, `${name}.js`);
  writeFileSync(entry, `__mote.write("start\\n");\n${source}\n__mote.write("not reached\\n");\n`);
  const { image } = await packApp({ app: entry, bootLayer: TEST_BOOT_LAYER });
  const path = join(workDir, `${name}.img`);
  writeFileSync(path, image);
  return boot(path, { timeoutMs: 30_000 });
}

describe('faults', () => {
  it('a Linux system call is named and stops the machine with 106', async () => {
    const r = await run('syscall', '__moteTest.syscall(60);');
    expect(r.output).toMatch(/^start\nmote: Linux system call 60 reached from rip=0x[0-9a-f]+; the boot layer has no system calls\n$/);
    expect(r.status).toBe(Exit.Syscall);
  });

  it('a NULL dereference is a page fault with its address, status 105', async () => {
    const r = await run('null', '__moteTest.read(8);');
    expect(r.output).toMatch(/^start\nmote: CPU exception 14 \(page fault\) at rip=0x[0-9a-f]+, address 0x8, error 0x0\n$/);
    expect(r.status).toBe(Exit.CpuException);
  });

  it('an address outside mapped memory is a page fault too', async () => {
    const r = await run('wild', '__moteTest.read(2 ** 40);');
    expect(r.output).toMatch(/address 0x10000000000/);
    expect(r.status).toBe(Exit.CpuException);
  });

  it('an invalid opcode is reported as such', async () => {
    const r = await run('ud2', '__moteTest.ud2();');
    expect(r.output).toMatch(/^start\nmote: CPU exception 6 \(invalid opcode\) at rip=0x[0-9a-f]+/);
    expect(r.status).toBe(Exit.CpuException);
  });

  it('a triple fault, which QEMU ends with 0 like a clean power-off, is told apart: 110, never success', async () => {
    const r = await run('triple', '__moteTest.tripleFault();');
    expect(r.output).toBe('start\n');
    expect(r.status).toBe(Exit.GuestReset);
  });

  it('the heap running dry outside the engine stops with 101', async () => {
    const r = await run('dry', '__moteTest.exhaust();');
    expect(r.output).toMatch(/^start\nmote: out of memory: the heap is dry \(\d+ bytes asked, \d+ of \d+ in use\)\n$/);
    expect(r.status).toBe(Exit.OutOfMemory);
  });
});

describe('stack', () => {
  it('C recursion past the stack hits the guard page and is named', async () => {
    const r = await run('dive', '__moteTest.dive();');
    expect(r.output).toMatch(/^start\nmote: C stack overflow \(page fault on the stack guard at 0x[0-9a-f]+, rip=0x[0-9a-f]+\)\n$/);
    expect(r.status).toBe(Exit.CpuException);
  });

  it('JS recursion is stopped by the engine first, as a catchable error', async () => {
    const r = await run('jsdeep', `
      function f(n) { return f(n + 1) + 1; }
      try { f(0); } catch (e) { __mote.write(e.name + ": " + e.message + "\\n"); }
      __mote.exit(0);`);
    expect(r.output).toBe('start\nInternalError: stack overflow\n');
    expect(r.status).toBe(0);
  });
});

describe('power-off', () => {
  for (const machine of ['microvm', 'pc'] as const) {
    it(`still stops the VMM without isa-debug-exit on ${machine} (ACPI fallback)`, async () => {
      const r = await run(`noexit-${machine}`, '__mote.exit(5);');
      expect(r.status).toBe(5);
      const path = join(workDir, `noexit-${machine}.img`);
      const fallback = await boot(path, { machine, debugExit: false, timeoutMs: 30_000 });
      expect(fallback.output).toBe('start\n');
      expect(fallback.status).toBe(0); // stopped, status lost: not a hang (124)
    });
  }
});
