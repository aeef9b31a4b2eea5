// Where the interpreter's instructions go, by opcode handler, for
// msg-profile.ts --handlers: callgrind's per-instruction costs inside
// JS_CallInternal, each address given to the source line of
// JS_CallInternal it is (or is inlined into: addr2line -i's outermost
// line), and that line to the CASE it lies under. Lines before `restart:`
// are a call's entry, from `done_generator:` on its exit; the call opcodes
// (call0 to call3 run `call`'s code) count the caller's side of a call.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Instruction costs by address in the object `object` (callgrind
 *  --dump-instr=yes: a shared library's addresses are its own offsets, so
 *  they would overlap the engine's). */
export function costsByAddress(callgrindOut: string, object: string): Map<number, number> {
  const costs = new Map<number, number>();
  const objects = new Map<string, string>(); // ob=(id) name, then ob=(id)
  let inObject = false;
  let addr = 0;
  let callCost = false; // the line after calls= is the call's inclusive cost
  for (const line of readFileSync(callgrindOut, 'utf8').split('\n')) {
    // An object's name comes with its first id, which may be a call's
    // (cob=) before any cost of its own (ob=).
    const ob = /^(c?)ob=\((\d+)\)(?: (.*))?$/.exec(line);
    if (ob) {
      if (ob[3] !== undefined) objects.set(ob[2]!, ob[3]);
      if (ob[1] === '') inObject = objects.get(ob[2]!) === object;
      continue;
    }
    if (line.startsWith('calls=')) {
      callCost = true;
      continue;
    }
    const c = line.charCodeAt(0);
    if (!((c >= 48 && c <= 57) || line[0] === '+' || line[0] === '-' || line[0] === '*')) continue;
    const [a, , cost] = line.split(' ');
    if (a!.startsWith('0x')) addr = parseInt(a!, 16);
    else if (a![0] === '+' || a![0] === '-') addr += Number(a![0] + '1') * Number(a!.slice(1));
    if (callCost) {
      callCost = false;
      continue;
    }
    if (cost !== undefined && inObject) costs.set(addr, (costs.get(addr) ?? 0) + Number(cost));
  }
  return costs;
}

interface Span { from: number; name: string }

/** JS_CallInternal's source lines, each span named by what runs there. */
function sourceSpans(quickjsC: string): { spans: Span[]; first: number; last: number } {
  const lines = readFileSync(quickjsC, 'utf8').split('\n');
  // The definition: the last line that opens it (a prototype comes first).
  let first = 0;
  lines.forEach((l, i) => {
    if (l.startsWith('static JSValue JS_CallInternal(')) first = i + 1;
  });
  if (first === 0) throw new Error(`handler-costs: no JS_CallInternal in ${quickjsC}`);
  let last = first;
  while (last < lines.length && lines[last - 1] !== '}') last++;
  const spans: Span[] = [{ from: first, name: '(call entry)' }];
  let restart = last;
  for (let n = first; n <= last; n++) {
    const l = lines[n - 1]!;
    // CASE(OP_x): or a macro that makes x's case (OP_CMP_NUM(OP_lt, <);).
    const op = /^\s*(?:CASE|[A-Z][A-Z_0-9]*)\(OP_(\w+)[,)]/.exec(l);
    if (op && n > restart) spans.push({ from: n, name: sharedName(op[1]!) });
    else if (/^\s*restart:/.test(l)) restart = n;
    else if (/^\s*DEFAULT:/.test(l)) spans.push({ from: n, name: '(bad opcode)' });
    else if (/^\s*exception:/.test(l)) spans.push({ from: n, name: '(exception)' });
    else if (/^\s*done_generator:/.test(l)) spans.push({ from: n, name: '(call exit)' });
  }
  return { spans, first, last };
}

/** Labels in a row share the last one's code: call0..call3, call, tail_call. */
function sharedName(op: string): string {
  return /^(call[0-3]?|tail_call)$/.test(op) ? 'call (caller side)' : op;
}

function spanAt(spans: Span[], line: number): string {
  let name = spans[0]!.name;
  for (const s of spans) if (s.from <= line) name = s.name;
  return name;
}

/** The interpreter's instructions per unit by handler, from two runs that
 *  differ by `units` messages: [name, instructions] sorted, the most first. */
export function handlerCosts(engine: string, quickjsC: string, outA: string, outB: string, units: number): [string, number][] {
  const syms = execFileSync('nm', ['-n', '--defined-only', engine], { encoding: 'utf8' }).split('\n').map((l) => l.split(' '));
  const at = syms.findIndex((f) => f[2] === 'JS_CallInternal');
  if (at < 0) throw new Error(`handler-costs: no JS_CallInternal in ${engine}`);
  const start = parseInt(syms[at]![0]!, 16);
  const end = parseInt(syms[at + 1]![0]!, 16);
  const [a, b] = [costsByAddress(outA, engine), costsByAddress(outB, engine)];
  const inside = [...b].map(([addr, n]): [number, number] => [addr, n - (a.get(addr) ?? 0)]).filter(([addr, n]) => addr >= start && addr < end && n !== 0);
  if (inside.length === 0) throw new Error(`handler-costs: no costs of ${engine}'s JS_CallInternal in ${outB} (callgrind names the object by another path?)`);
  const { spans, first, last } = sourceSpans(quickjsC);
  // -a heads each address's group; -i lists its inlined frames, innermost
  // first: the group's line in JS_CallInternal's span is the one it runs for.
  const where = execFileSync('addr2line', ['-a', '-i', '-e', engine, ...inside.map(([addr]) => '0x' + addr.toString(16))], {
    encoding: 'utf8', maxBuffer: 64 << 20,
  });
  const groups: number[] = [];
  for (const l of where.split('\n')) {
    if (l.startsWith('0x')) groups.push(0);
    const m = /quickjs\.c:(\d+)/.exec(l);
    const line = m ? Number(m[1]) : 0;
    if (line >= first && line <= last && groups.length > 0) groups[groups.length - 1] = line;
  }
  if (groups.length !== inside.length) throw new Error(`handler-costs: addr2line gave ${groups.length} groups for ${inside.length} addresses`);
  const by = new Map<string, number>();
  inside.forEach(([, n], i) => {
    const name = groups[i] ? spanAt(spans, groups[i]!) : '(outside the switch)';
    by.set(name, (by.get(name) ?? 0) + n / units);
  });
  return [...by].sort((x, y) => y[1] - x[1]);
}
