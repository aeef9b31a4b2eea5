/**
 * `inspect` and `format`: the text console.log prints, written to match
 * Node's util.inspect (depth 2, breakLength 80, compact 3, no colors) byte for
 * byte on simple data: primitives, arrays, plain objects, Map, Set, Date,
 * typed arrays, errors. Exotic objects get a reasonable approximation.
 */

const BREAK = 80;
const COMPACT = 3;
const DEPTH = 2;
const MAX_ARRAY = 100;
// Symbol.for as the kernel was imported; the symbol itself at the first
// object formatted, so that the import registers none (issue 11).
const symbolFor = Symbol.for;
let inspectCustom: symbol | undefined;

interface Ctx {
  seen: unknown[];
  indent: number;
  currentDepth: number;
}

/** Formats console arguments as Node's util.format does. */
export function format(...args: unknown[]): string {
  return formatList(args);
}

/** format's arguments as one array: console.log passes its own, with no spread call. */
export function formatList(args: readonly unknown[]): string {
  let first = 0;
  let out = '';
  if (typeof args[0] === 'string' && args.length > 1 && args[0].indexOf('%') !== -1) {
    const f = args[0];
    let a = 1;
    let last = 0;
    for (let i = 0; i < f.length - 1; i++) {
      if (f.charCodeAt(i) !== 37) continue; // '%'
      const c = f[i + 1];
      if (c === '%') {
        out += f.slice(last, i) + '%';
        last = i + 2;
        i++;
        continue;
      }
      if (a >= args.length || 'sdifjoOc'.indexOf(c) === -1) continue;
      const v = args[a++];
      let s: string;
      switch (c) {
        case 's':
          s = typeof v === 'string' ? v : typeof v === 'bigint' ? `${v}n` : typeof v === 'object' && v !== null ? inspect(v, 1) : formatPrimitive(v, false);
          break;
        case 'd':
        case 'i': {
          if (typeof v === 'bigint') s = `${v}n`;
          else if (typeof v === 'symbol') s = 'NaN';
          else {
            const n = Number(v);
            s = formatNumber(c === 'i' ? Math.trunc(n) : n);
          }
          break;
        }
        case 'f':
          s = typeof v === 'symbol' ? 'NaN' : formatNumber(parseFloat(String(v)));
          break;
        case 'j':
          try {
            s = JSON.stringify(v) as string;
          } catch {
            s = '[Circular]';
          }
          break;
        case 'o':
        case 'O':
          s = inspect(v, c === 'o' ? 4 : DEPTH);
          break;
        default: // %c: CSS, ignored
          s = '';
      }
      out += f.slice(last, i) + s;
      last = i + 2;
      i++;
    }
    out += f.slice(last);
    first = a;
  } else if (args.length > 0) {
    out = typeof args[0] === 'string' ? args[0] : inspect(args[0]);
    first = 1;
  }
  for (let i = first; i < args.length; i++) {
    const v = args[i];
    out += ' ' + (typeof v === 'string' ? v : inspect(v));
  }
  return out;
}

/** One value as util.inspect(value) shows it. */
export function inspect(value: unknown, depth: number = DEPTH): string {
  return formatValue({ seen: [], indent: 0, currentDepth: 0 }, value, 0, depth);
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : `${n}`;
}

function formatPrimitive(v: unknown, quoted: boolean): string {
  switch (typeof v) {
    case 'string':
      return quoted ? quote(v) : v;
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return `${v}n`;
    case 'symbol':
      return v.toString();
    default:
      return String(v);
  }
}

const ESC: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\' };

/** Quotes a string the way util.inspect does: single quotes unless the text
 *  holds one and a double or back quote avoids escaping. */
export function quote(s: string): string {
  let q = "'";
  if (s.indexOf("'") !== -1) {
    if (s.indexOf('"') === -1) q = '"';
    else if (s.indexOf('`') === -1 && s.indexOf('${') === -1) q = '`';
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === q || ch === '\\' || code < 0x20 || code === 0x7f) {
      out += ESC[ch] ?? (ch === q ? '\\' + q : '\\x' + code.toString(16).toUpperCase().padStart(2, '0'));
    } else {
      out += ch;
    }
  }
  return q + out + q;
}

/** Whether `k` matches /^[a-zA-Z_][a-zA-Z_0-9]*$/, written out: a regexp
 *  literal here would make its object as the kernel is imported (issue 11). */
function isIdent(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function formatKey(k: string | symbol): string {
  if (typeof k === 'symbol') return `[${k.toString()}]`;
  return isIdent(k) ? k : quote(k);
}

function formatValue(ctx: Ctx, v: unknown, level: number, depth: number): string {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    return formatPrimitive(v, true);
  }
  if (ctx.seen.indexOf(v) !== -1) return '[Circular *1]';
  return formatObject(ctx, v as object, level, depth);
}

function constructorName(o: object): string | null {
  let proto = Object.getPrototypeOf(o);
  while (proto) {
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (d && typeof d.value === 'function' && d.value.name !== '') return d.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

/** An error as Node prints it: "Name: message", then the stack's frames.
 *  V8's stack starts with that line; QuickJS's holds the frames only. */
export function errorText(e: Error): string {
  const head = e.message ? `${e.name}: ${e.message}` : String(e.name);
  const stack = typeof e.stack === 'string' ? e.stack.replace(/\n+$/, '') : '';
  if (stack.startsWith(head)) return stack;
  return stack ? `${head}\n${stack}` : head;
}

function formatObject(ctx: Ctx, o: object, level: number, depth: number): string {
  const name = constructorName(o);
  if (typeof o === 'function') {
    const fn = o as { name?: string };
    const isClass = Function.prototype.toString.call(o).startsWith('class');
    const base = isClass ? `[class ${fn.name || '(anonymous)'}]` : `[Function: ${fn.name || '(anonymous)'}]`;
    return fn.name ? base : isClass ? base : '[Function (anonymous)]';
  }
  if (o instanceof Error) return errorText(o);
  if (o instanceof Date) return isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString();
  if (o instanceof RegExp) return String(o);
  // As Node's util.inspect: an object may say how it prints.
  inspectCustom ??= symbolFor('nodejs.util.inspect.custom');
  const custom = (o as Record<symbol, unknown>)[inspectCustom];
  if (typeof custom === 'function') {
    const r: unknown = custom.call(o, depth - level, {});
    if (r !== o) return typeof r === 'string' ? r : formatValue(ctx, r, level, depth);
  }

  let braces: [string, string];
  let output: string[];
  let prefix = '';
  let isArrayLike = false;
  const entries = (): string[] =>
    Object.keys(o).map((k) => `${formatKey(k)}: ${formatValue(ctx, (o as Record<string, unknown>)[k], level + 1, depth)}`);

  if (Array.isArray(o)) {
    prefix = name === 'Array' || name === null ? '' : `${name}(${o.length}) `;
    braces = [`${prefix}[`, ']'];
    if (level > depth) return '[Array]';
    isArrayLike = true;
    ctx.seen.push(o);
    ctx.currentDepth = level;
    output = formatArrayItems(ctx, o, level, depth);
    for (const k of Object.keys(o)) {
      if (!/^(0|[1-9][0-9]*)$/.test(k)) output.push(`${formatKey(k)}: ${formatValue(ctx, (o as unknown as Record<string, unknown>)[k], level + 1, depth)}`);
    }
  } else if (o instanceof Map) {
    braces = [`${name ?? 'Map'}(${o.size}) {`, '}'];
    if (level > depth) return `[${name ?? 'Map'}]`;
    ctx.seen.push(o);
    ctx.currentDepth = level;
    output = [];
    for (const [k, val] of o) output.push(`${formatValue(ctx, k, level + 1, depth)} => ${formatValue(ctx, val, level + 1, depth)}`);
  } else if (o instanceof Set) {
    braces = [`${name ?? 'Set'}(${o.size}) {`, '}'];
    if (level > depth) return `[${name ?? 'Set'}]`;
    ctx.seen.push(o);
    ctx.currentDepth = level;
    output = [];
    for (const k of o) output.push(formatValue(ctx, k, level + 1, depth));
  } else if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
    const ta = o as unknown as ArrayLike<number | bigint>;
    braces = [`${name}(${ta.length}) [`, ']'];
    if (level > depth) return `[${name}]`;
    ctx.seen.push(o);
    ctx.currentDepth = level;
    output = [];
    const n = Math.min(ta.length, MAX_ARRAY);
    for (let i = 0; i < n; i++) output.push(formatPrimitive(ta[i], true));
    if (ta.length > n) output.push(`... ${ta.length - n} more item${ta.length - n > 1 ? 's' : ''}`);
    isArrayLike = true;
  } else {
    const base = name === 'Object' ? '' : name === null ? '[Object: null prototype] ' : `${name} `;
    braces = [`${base}{`, '}'];
    if (level > depth) return name === null ? '[Object: null prototype]' : `[${name}]`;
    ctx.seen.push(o);
    ctx.currentDepth = level;
    output = entries();
    for (const s of Object.getOwnPropertySymbols(o)) {
      if (Object.prototype.propertyIsEnumerable.call(o, s)) {
        output.push(`${formatKey(s)}: ${formatValue(ctx, (o as Record<symbol, unknown>)[s], level + 1, depth)}`);
      }
    }
  }
  ctx.seen.pop();
  if (output.length === 0) {
    if (braces[0].endsWith('{')) return `${braces[0]}}`;
    return `${braces[0]}]`;
  }
  return reduce(ctx, output, braces, isArrayLike, level, o);
}

function formatArrayItems(ctx: Ctx, a: unknown[], level: number, depth: number): string[] {
  const out: string[] = [];
  const n = Math.min(a.length, MAX_ARRAY);
  let holes = 0;
  const flushHoles = (): void => {
    if (holes > 0) out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
  };
  for (let i = 0; i < n; i++) {
    if (!Object.prototype.hasOwnProperty.call(a, i)) {
      holes++;
      continue;
    }
    flushHoles();
    out.push(formatValue(ctx, a[i], level + 1, depth));
  }
  flushHoles();
  if (a.length > n) out.push(`... ${a.length - n} more item${a.length - n > 1 ? 's' : ''}`);
  return out;
}

/** Node's reduceToSingleString with compact = 3. */
function reduce(ctx: Ctx, output: string[], braces: [string, string], arrayLike: boolean, level: number, value: object): string {
  const entries = output.length;
  if (arrayLike && entries > 6) output = group(output, level, value);
  if (ctx.currentDepth - level < COMPACT && entries === output.length) {
    const start = output.length + level * 2 + braces[0].length + 10;
    if (belowBreak(output, start)) {
      const joined = output.join(', ');
      if (joined.indexOf('\n') === -1) return `${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const ind = '\n' + ' '.repeat(level * 2);
  return `${braces[0]}${ind}  ${output.join(`,${ind}  `)}${ind}${braces[1]}`;
}

function belowBreak(output: string[], start: number): boolean {
  let total = output.length + start;
  if (total + output.length > BREAK) return false;
  for (const s of output) {
    total += s.length;
    if (total > BREAK) return false;
  }
  return true;
}

/** Node's groupArrayElements: lay a long array out in aligned columns. */
function group(output: string[], level: number, value: object): string[] {
  let total = 0;
  let maxLen = 0;
  let outLen = output.length;
  const lastIsMore = output[outLen - 1].startsWith('... ') && / more items?$/.test(output[outLen - 1]);
  if (lastIsMore) outLen--;
  const sep = 2;
  const lens: number[] = [];
  for (let i = 0; i < outLen; i++) {
    const len = output[i].length;
    lens.push(len);
    total += len + sep;
    if (maxLen < len) maxLen = len;
  }
  const actualMax = maxLen + sep;
  const indentLvl = level * 2;
  if (actualMax * 3 + indentLvl < BREAK && (total / actualMax > 5 || maxLen <= 6)) {
    const averageBias = Math.sqrt(actualMax - total / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outLen) / biasedMax),
      Math.floor((BREAK - indentLvl) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLine: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLen = 0;
      for (let j = i; j < output.length; j += columns) if (lens[j] > lineLen) lineLen = lens[j];
      maxLine.push(lineLen + sep);
    }
    let padStart = true;
    const items = value as ArrayLike<unknown>;
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      for (let i = 0; i < output.length; i++) {
        const t = typeof items[i];
        if (t !== 'number' && t !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    const tmp: string[] = [];
    for (let i = 0; i < outLen; i += columns) {
      const max = Math.min(i + columns, outLen);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLine[j - i]) : cell.padEnd(maxLine[j - i]);
      }
      str += padStart ? output[j].padStart(maxLine[j - i] - sep) : output[j];
      tmp.push(str);
    }
    if (lastIsMore) tmp.push(output[outLen]);
    return tmp;
  }
  return output;
}
