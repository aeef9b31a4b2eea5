// Platform conformance cases: small programs written against globalThis.__mote
// alone (kernel/platform.ts), with the output and status every host must give.
// The boot layer in QEMU (tests/platform/metal.test.ts, which also runs each
// image hosted and wants the same bytes and status) and the hosted runner
// (tests/hosted/platform.test.ts) run all of them. Plain Node's test host
// leaves rejections to vitest, so it does not.
import { Exit, PLATFORM_ABI } from '../../kernel/platform.ts';

export interface PlatformCase {
  name: string;
  /** An ES module; `__mote` is the platform object. */
  source: string;
  /** Sent to the console input. */
  input?: string;
  /** The command line (metal: QEMU's -append). */
  commandLine?: string;
  output: string | RegExp;
  status: number;
}

export const platformCases: PlatformCase[] = [
  {
    name: 'commandLine gives the command line as it was given, UTF-8 included',
    source: `__mote.write("[" + __mote.commandLine() + "]\\n");`,
    commandLine: 'A=1 B="x y" -- -v é "q\\"uote"',
    output: '[A=1 B="x y" -- -v é "q\\"uote"]\n',
    status: 0,
  },
  {
    name: 'commandLine is "" when none was given',
    source: `__mote.write(JSON.stringify(__mote.commandLine()) + "\\n");`,
    output: '""\n',
    status: 0,
  },
  {
    name: 'write passes text through unchanged, UTF-8 included',
    source: `__mote.write("a\\tb\\r\\nc\\n"); __mote.write("é😀\\n");`,
    output: 'a\tb\r\nc\né😀\n',
    status: 0,
  },
  {
    name: 'abi and host name are present',
    source: `__mote.write(__mote.abi + " " + ["metal","hosted","node"].includes(__mote.host) + "\\n");`,
    output: `${PLATFORM_ABI} true\n`,
    status: 0,
  },
  {
    name: 'the timer fires once after its deadline, and re-arming replaces it',
    source: `
      const t0 = __mote.monotonicMs();
      __mote.armTimer(t0 + 1000, () => __mote.write("replaced timer fired\\n"));
      __mote.armTimer(t0 + 30, () => {
        const late = __mote.monotonicMs() - t0;
        __mote.write("fired " + (late >= 30) + "\\n");
      });`,
    output: 'fired true\n',
    status: 0,
  },
  {
    name: 'a disarmed timer never fires and the program ends',
    source: `__mote.armTimer(__mote.monotonicMs() + 20, () => __mote.write("no\\n")); __mote.disarmTimer(); __mote.write("done\\n");`,
    output: 'done\n',
    status: 0,
  },
  {
    name: 'promise jobs run before the timer handler',
    source: `
      __mote.armTimer(0, () => __mote.write("timer\\n"));
      Promise.resolve().then(() => __mote.write("job\\n"));
      __mote.write("sync\\n");`,
    output: 'sync\njob\ntimer\n',
    status: 0,
  },
  {
    name: 'monotonic time never goes backwards and wall time is near now',
    source: `
      let last = __mote.monotonicMs(), ok = true;
      for (let i = 0; i < 10000; i++) { const t = __mote.monotonicMs(); if (t < last) ok = false; last = t; }
      const wall = __mote.wallMs();
      __mote.write(ok + " " + (wall > Date.UTC(2024, 0, 1)) + " " + (Math.abs(Date.now() - wall) < 5000) + "\\n");`,
    output: 'true true true\n',
    status: 0,
  },
  {
    name: 'the guard aborts a runaway loop, uncatchably, then calls its handler',
    source: `
      __mote.guard(50, () => __mote.write("tripped\\n"));
      try { for (;;) {} } catch (e) { __mote.write("caught, wrongly\\n"); }`,
    output: 'tripped\n',
    status: 0,
  },
  {
    name: 'a disarmed guard does not trip',
    source: `
      __mote.guard(20, () => __mote.write("tripped\\n"));
      __mote.guard(0, null);
      const end = __mote.monotonicMs() + 60; while (__mote.monotonicMs() < end) {}
      __mote.write("finished\\n");`,
    output: 'finished\n',
    status: 0,
  },
  {
    name: 'console input reaches the handler; exit stops at once',
    source: `
      let seen = "";
      __mote.onInput((t) => { seen += t; if (seen.includes("q")) { __mote.write("got " + seen.trim() + "\\n"); __mote.exit(3); } });`,
    input: 'hello q\n',
    output: 'got hello q\n',
    status: 3,
  },
  {
    name: 'exit inside a promise job: the jobs queued after it show nothing, and the status is the first exit',
    source: `
      Promise.resolve().then(() => { __mote.write("first\\n"); __mote.exit(4); __mote.write("same job\\n"); });
      Promise.resolve().then(() => { __mote.write("next job\\n"); __mote.exit(9); });
      Promise.resolve().then(() => __mote.armTimer(0, () => __mote.write("timer\\n")));`,
    output: 'first\n',
    status: 4,
  },
  {
    name: 'memory figures are consistent',
    source: `
      const m = __mote.memory();
      __mote.write([m.totalRam > 0, m.heapLimit > 0, m.heapUsed > 0, m.heapUsed < m.heapLimit, m.heapLimit <= m.totalRam, m.reserved >= 0].join(" ") + "\\n");`,
    output: 'true true true true true true\n',
    status: 0,
  },
  {
    name: 'the manifest names the entry',
    source: `__mote.write(__mote.manifest().entry + "\\n");`,
    output: 'main.js\n',
    status: 0,
  },
  {
    name: 'an exception escaping a timer handler stops with 100 and the stack',
    source: `function boom() { throw new Error("late failure"); } __mote.armTimer(0, boom);`,
    output: /^mote: uncaught exception: Error: late failure\n\s+at boom/,
    status: Exit.Uncaught,
  },
  {
    name: 'a thrown null is an uncaught exception like any other (with memory to spare)',
    source: `__mote.write("before\\n"); throw null;`,
    output: 'before\nmote: uncaught exception: null\n',
    status: Exit.Uncaught,
  },
  {
    name: 'a thrown null after the heap was full and memory was freed is still an uncaught exception, not out of memory',
    source: `
      const held = [];
      try { for (;;) held.push(new ArrayBuffer(256 * 1024)); } catch {}
      held.splice(0, 8);
      __mote.write("filled, then freed 2 MiB\\n");
      throw null;`,
    output: 'filled, then freed 2 MiB\nmote: uncaught exception: null\n',
    status: Exit.Uncaught,
  },
  {
    name: 'a rejection handled later in the same turn is not reported',
    source: `const p = Promise.reject(new Error("x")); Promise.resolve().then(() => p.catch(() => __mote.write("handled\\n")));`,
    output: 'handled\n',
    status: 0,
  },
  {
    name: 'a never-awaited async function that throws is an unhandled rejection: 100',
    source: `async function main() { throw new Error("boom"); } main();`,
    output: /^mote: unhandled promise rejection: Error: boom\n\s+at main \(/,
    status: Exit.Uncaught,
  },
  {
    name: 'a handler on a promise the engine made, with none for its rejection: 100',
    source: `Promise.reject(new Error("no handler")).then(() => {});`,
    output: /^mote: unhandled promise rejection: Error: no handler\n/,
    status: Exit.Uncaught,
  },
  {
    name: 'running out of memory at the cap is a catchable InternalError, never null; the program goes on',
    source: `
      const keep = [];
      let caught;
      try { for (;;) keep.push(new Array(4096).fill(keep.length)); } catch (e) { caught = e; }
      keep.length = 0;
      __mote.write((caught === null ? "null" : caught.name + ": " + caught.message) + "\\n");
      try { "x".repeat(50e6); __mote.write("a 50 MB string fit\\n"); } catch (e) { __mote.write("50 MB: " + e.name + ": " + e.message + "\\n"); }
      __mote.write("still alive\\n");`,
    output: 'InternalError: out of memory\n50 MB: InternalError: out of memory\nstill alive\n',
    status: 0,
  },
  {
    name: 'running out of memory uncaught: 100 and the error, not a trap',
    source: `const keep = []; for (;;) keep.push(new Array(4096).fill(0));`,
    output: /^mote: uncaught exception: InternalError: out of memory\n/,
    status: Exit.Uncaught,
  },
  {
    name: 'deep recursion ends in the engine\'s stack overflow, at the same depth on every host',
    source: `
      let depth = 0;
      function down() { depth++; down(); }
      try { down(); } catch (e) { __mote.write("depth " + depth + ": " + e.name + ": " + e.message + "\\n"); }`,
    output: /^depth \d{3}: InternalError: stack overflow\n$/,
    status: 0,
  },
  {
    // The wasm engine's C frames live mostly in V8's stack, out of QuickJS's
    // sight: these ran out of it, a trap (105), before its check threw.
    name: 'C recursion nested past the stack throws as JS recursion does, and never faults',
    source: `
      const nest = (n) => { let v = 0; for (let i = 0; i < n; i++) v = [v]; return v; };
      const tries = [() => JSON.stringify(nest(10000)), () => (0, eval)("(".repeat(5000) + "1" + ")".repeat(5000)),
        () => JSON.parse("[".repeat(100000) + "]".repeat(100000)), () => nest(10000).flat(Infinity)];
      for (const f of tries) { try { f(); __mote.write("no error\\n"); } catch (e) { __mote.write(e.name + ": " + e.message + "\\n"); } }`,
    output: 'InternalError: stack overflow\nSyntaxError: stack overflow\nSyntaxError: stack overflow\nInternalError: stack overflow\n',
    status: 0,
  },
  {
    name: 'exit rejects a status outside 0..127',
    source: `try { __mote.exit(300); } catch (e) { __mote.write(e.name + "\\n"); }`,
    output: 'RangeError\n',
    status: 0,
  },
  {
    name: 'copy copies plain data deeply, with its size estimate, and passes shared values as they are',
    source: `
      const into = { value: undefined, size: 0 };
      const src = { a: [1, 'xy', null, { b: true }], s: 'str', n: null };
      const ok = __mote.copy(src, [], into);
      src.a[3].b = false; src.a.push(9); src.s = 'changed';
      __mote.write(ok + " " + JSON.stringify(into.value) + " " + into.size + "\\n");
      class P {}
      const p = new P();
      const held = { value: undefined, size: 0 };
      __mote.write(__mote.copy({ p }, [P.prototype], held) + " " + (held.value.p === p) + " " + held.size + "\\n");
      const holes = { value: undefined, size: 0 };
      __mote.copy([1, , 3], [], holes);
      const bare = { value: undefined, size: 0 };
      __mote.copy(Object.assign(Object.create(null), JSON.parse('{"__proto__": 1}')), [], bare);
      __mote.write(holes.value.length + " " + (1 in holes.value) + " " + (Object.getPrototypeOf(bare.value) === null) + " " + Object.keys(bare.value) + "\\n");
      const nest = (n) => { let v = 0; for (let i = 0; i < n; i++) v = [v]; return v; };
      __mote.write(__mote.copy(nest(64), [], { value: 0, size: 0 }) + " " + __mote.copy(nest(65), [], { value: 0, size: 0 }) + "\\n");`,
    // 16, a: 9 + 16 + 4 x 8 + 'xy' 18 + null 8 + { b } 16 + 9 + 8; s: 9 + 19; n: 9 + 8.
    output: 'true {"a":[1,"xy",null,{"b":true}],"s":"str","n":null} 177\ntrue true 41\n3 true true __proto__\ntrue false\n',
    status: 0,
  },
  {
    name: 'copy fills an array element by element as a[i] = x, as the kernel\'s own copy does: an index setter on Array.prototype sees the element',
    source: `
      const seen = [];
      Object.defineProperty(Array.prototype, '1', { set(v) { seen.push(v); }, get() { return 'inherited'; }, configurable: true });
      const into = { value: undefined, size: 0 };
      const ok = __mote.copy([7, 8, 9], [], into);
      delete Array.prototype[1];
      __mote.write(ok + " " + seen.join() + " " + into.value.length + " " + Object.keys(into.value) + "\\n");`,
    output: 'true 8 3 0,2\n',
    status: 0,
  },
  {
    name: 'copy refuses, running none of its code, what it does not copy',
    source: `
      let hits = 0;
      const cyc = {}; cyc.self = cyc;
      const terms = [new Map(), new Date(0), new Uint8Array(2), [Symbol('s')], { [Symbol('k')]: 1 }, () => 1, cyc,
        { get g() { hits++; return 1; } }, new Proxy({}, { getPrototypeOf() { hits++; return Object.prototype; } }), new (class Q {})()];
      __mote.write(terms.map((t) => __mote.copy(t, [], { value: 0, size: 0 })).join(",") + " " + hits + "\\n");`,
    output: 'false,false,false,false,false,false,false,false,false,false 0\n',
    status: 0,
  },
];
