// What a mote guest does not have, said with what to write instead: Node's
// built-in modules and globals (there is no Node in the guest) and top-level await (an
// app's modules are bundled for ES2020, which has none). The type check rewrites
// TypeScript's "Cannot find module" with these words, and the bundler's
// esbuild errors go through guestLimitsPlugin, so both say the same.
import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const FROM_MOTE = 'from "mote"';
/** Per built-in module (without "node:" and any subpath), what mote has instead. */
const INSTEAD: Record<string, string> = {
  net: `use gen_tcp (TCP sockets) or TcpServer (an acceptor pool), ${FROM_MOTE}`,
  http: `use HttpServer (an HTTP/1.1 server), ${FROM_MOTE}; a client speaks HTTP over gen_tcp`,
  https: `use HttpServer, ${FROM_MOTE}: plain HTTP/1.1, as mote has no TLS (terminate it in front of the guest)`,
  http2: `use HttpServer (HTTP/1.1), ${FROM_MOTE}`,
  tls: `mote has no TLS: terminate it in front of the guest, and use gen_tcp, ${FROM_MOTE}`,
  dgram: `use gen_udp, ${FROM_MOTE}`,
  dns: `mote has no resolver: give gen_tcp.connect and gen_udp IPv4 addresses`,
  fs: `there is no file system: take input from args(), env() or stdin, and keep state in ets tables, ${FROM_MOTE}`,
  child_process: `use spawn (a mote process), ${FROM_MOTE}`,
  worker_threads: `use spawn (a mote process), ${FROM_MOTE}`,
  cluster: `use spawn (a mote process) under a Supervisor, ${FROM_MOTE}`,
  events: 'use the global EventTarget, or messages between processes (send, receive)',
  crypto: 'use the global crypto.getRandomValues() and crypto.randomUUID()',
  timers: `use the global setTimeout and setInterval, or sleep and sendAfter, ${FROM_MOTE}`,
  os: `use memory(), monotonicTime() and env(), ${FROM_MOTE}`,
  process: `use args(), env(), halt() and memory(), ${FROM_MOTE}`,
  buffer: 'use Uint8Array, with the global TextEncoder and TextDecoder, atob and btoa',
  string_decoder: 'use the global TextDecoder',
  url: 'use the global URL and URLSearchParams',
  querystring: 'use the global URLSearchParams',
  readline: `use stdin.readLine(), ${FROM_MOTE}`,
  perf_hooks: 'use the global performance.now()',
};

const BUILTINS = new Set(builtinModules.map((m) => m.split('/')[0]!));

/** The message for an import of `specifier`, if it names a Node built-in. */
export function nodeBuiltinMessage(specifier: string): string | undefined {
  const name = specifier.replace(/^node:/, '').split('/')[0]!;
  if (!BUILTINS.has(name) && !specifier.startsWith('node:')) return undefined;
  const instead = INSTEAD[name];
  return `"${specifier}" is one of Node's built-in modules, which do not exist in mote (the guest runs no Node)${instead ? `: ${instead}` : ''}`;
}

/** Node's globals, for TypeScript's "Cannot find name 'process'. Do you need
 *  to install type definitions for node?" (TS2580, TS2591), which would lead
 *  the user the wrong way. */
const NODE_GLOBALS: Record<string, string> = {
  process: INSTEAD.process!,
  Buffer: INSTEAD.buffer!,
  require: 'use import (the bundler resolves it)',
  module: 'use export',
  __dirname: 'there is no file system',
  __filename: 'there is no file system',
  global: 'use globalThis',
};

export function nodeGlobalMessage(name: string): string | undefined {
  const instead = NODE_GLOBALS[name];
  return instead && `${name} is one of Node's globals, which do not exist in mote (the guest runs no Node): ${instead}`;
}

export const TOP_LEVEL_AWAIT =
  "top-level await does not run in mote (an app's modules are bundled for ES2020, which has none): await inside a process instead, as in spawn(async () => { const m = await import('./m.ts'); ... })";

/** Rewrites esbuild's errors for the two cases above; changes no behaviour. */
export function guestLimitsPlugin(): Plugin {
  return {
    name: 'mote-guest-limits',
    setup(build) {
      build.onEnd((result) => {
        for (const e of result.errors) {
          const unresolved = /^Could not resolve "([^"]+)"$/.exec(e.text);
          const builtin = unresolved && nodeBuiltinMessage(unresolved[1]!);
          if (builtin) {
            e.text = builtin;
            e.notes = []; // esbuild's note suggests platform 'node'
          } else if (e.text.startsWith('Top-level await is not available')) {
            e.text = TOP_LEVEL_AWAIT;
          }
        }
      });
    },
  };
}
