// Network figures for issue 8's closing note, every one against a reference
// in the same run: requests/s and latency for images/http (keep-alive and a
// connection per request) and images/echo on both hosts against Node's
// http/net, BEAM's gen_tcp and a Linux VM running QuickJS under the same
// QEMU and TCG, and against a floor (the same servers straight on the
// platform's sockets, no kernel); memory per open connection and the most connections served
// at 8M and 16M; boot to the first HTTP 200 against hello's boot and the
// floor. Medians of N runs. Loopback only, bounded durations and counts.
//   npx vite-node bench/net.ts [--quick] [--only load,conns,boot] [--targets run,boot,boot-pc,floor-run,floor-boot,node,beam,linux]
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { packApp, MOTE_ROOT } from '../builder/pack.ts';
import { FLOOR, wallMs, writeHello } from './boot-times.ts';
import { measureConnections, type Connections } from './net/connections.ts';
import { bootCommand, firstResponseMs } from './net/first-response.ts';
import { runLoad, type Workload } from './net/load.ts';
import { loadTable, medians, r1, r2, type LoadRuns } from './net/report.ts';
import { startServer, type Server } from './net/serve.ts';
import { beam, beamMissing, linuxVm, linuxVmMissing, LINUX_VM_MEMORY, mote, moteFloor, nodeRef, type Role } from './net/targets.ts';
import { median } from './stats.ts';
import { readFlags } from './flags.ts';

const HELP = `usage: npx vite-node bench/net.ts [flags]
  --quick            one run, 1.5 s loads, 2 boots, at most 1000 connections (~3 min)
  --runs N           load runs per server, medians reported (default 3)
  --boots N          boots timed for boot-to-first-response (default 5)
  --duration S       seconds per load (default 3)
  --connections C    concurrent client connections per load (default 10)
  --max-conns N      cap on connections opened for the memory figures (default 3000)
  --only LIST        sections: load (req/s, latency), conns (memory per connection,
                     most connections at 8M/16M), boot (launch to first 200)
  --targets LIST     servers for the load section: run (mote run), boot (mote boot,
                     TCG, microvm), boot-pc (the same on -M pc, the Linux VM's
                     machine), floor-run and floor-boot (hello and echo straight
                     on the platform's sockets, no kernel: the host's network
                     path alone), node, beam (needs erl: apt-get install erlang-base),
                     linux (a Linux VM with QuickJS: bench/linux-vm/setup.sh, run
                     when missing, installs what it needs from apt)
Results: tables here and bench/results/net.json.`;
const flags = readFlags(HELP, ['runs', 'boots', 'duration', 'connections', 'max-conns', 'only', 'targets'], ['quick']);
const quick = flags.has('quick');
const runs = flags.number('runs', quick ? 1 : 3);
const boots = flags.number('boots', quick ? 2 : 5);
const durationMs = flags.number('duration', quick ? 1.5 : 3) * 1000;
const connections = flags.number('connections', 10);
const maxConns = flags.number('max-conns', quick ? 1000 : 3000);
const only = flags.list('only', 'load,conns,boot');
const targets = flags.list('targets', 'run,boot,boot-pc,floor-run,floor-boot,node,beam,linux');

const out = join(MOTE_ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
async function image(app: string, name: string): Promise<string> {
  const path = join(out, `${name}.img`);
  writeFileSync(path, (await packApp({ app: join(MOTE_ROOT, app) })).image);
  return path;
}
const images = { http: await image('images/http', 'net-http'), echo: await image('images/echo', 'net-echo') };
// This machine's 2 cores are shared: the load average says how quiet it was.
const report: Record<string, unknown> = { runs, boots, durationMs, connections, accel: 'tcg', moteMemory: '8M', linuxVmMemory: LINUX_VM_MEMORY, loadAvgBefore: loadavg() };
const skipped: string[] = [];
const skip = (what: string, why: string) => {
  skipped.push(`${what}: ${why}`);
  console.log(`skipped ${what}: ${why}`);
};

/** An error's first lines, for a skip line. */
const firstLines = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' / ');

if (only.includes('load')) await loadSection();
if (only.includes('conns')) await connsSection();
if (only.includes('boot')) await bootSection();
report.skipped = skipped;
report.loadAvgAfter = loadavg();
console.log(`load average before ${(report.loadAvgBefore as number[]).map((x) => x.toFixed(1)).join(' ')}, after ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores, shared)`);
writeFileSync(join(out, 'net.json'), JSON.stringify(report, null, 2) + '\n');
console.log('written bench/results/net.json');

async function loadSection(): Promise<void> {
  const servers: Array<{ server: Server; roles: Role[] }> = [];
  // A server that does not come up is skipped with its reason, not the run.
  const start = async (l: Parameters<typeof startServer>[0], roles: Role[]) => {
    try {
      const server = await startServer(l);
      servers.push({ server, roles });
      console.error(`${server.name} (${roles.join('+')}) serving after ${server.readyMs.toFixed(0)} ms`);
    } catch (e) {
      skip(`${l.name} (${roles.join('+')})`, firstLines(e));
    }
  };
  try {
    for (const t of ['run', 'boot', 'boot-pc'] as const) {
      if (!targets.includes(t)) continue;
      for (const role of ['http', 'echo'] as const) await start(await mote(t === 'run' ? 'run' : 'boot', images[role], role, '8M', t === 'boot-pc' ? 'pc' : undefined), [role]);
    }
    for (const host of ['run', 'boot'] as const) {
      if (targets.includes(`floor-${host}`)) await start(await moteFloor(host, await image('bench/net/fixtures/net-floor', 'net-floor')), ['http', 'echo']);
    }
    if (targets.includes('node')) await start(await nodeRef(), ['http', 'echo']);
    if (targets.includes('beam')) {
      const why = beamMissing();
      if (why) skip('BEAM reference', why);
      else await start(await beam(), ['http', 'echo']);
    }
    if (targets.includes('linux')) {
      const why = linuxVmMissing();
      if (why) skip('Linux VM reference', why);
      else await start(await linuxVm(), ['http', 'echo']);
    }
    const workloads: Array<[Workload, Role]> = [['http-keepalive', 'http'], ['http-close', 'http'], ['echo', 'echo']];
    const all = Object.fromEntries(workloads.map(([w]) => [w, {}])) as LoadRuns;
    // Round-robin: each run loads every server once, so a noisy stretch of
    // this shared machine hits them alike. A short warm-up first (JITs).
    for (let run = 0; run <= runs; run++) {
      for (const [w, role] of workloads) {
        for (const { server, roles } of servers) {
          if (!roles.includes(role)) continue;
          const r = await runLoad(w, server.ports[role]!, { connections, durationMs: run === 0 ? 500 : durationMs });
          if (run === 0) continue;
          (all[w][server.name] ??= []).push(r);
          console.error(`run ${run}/${runs} ${w} ${server.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${r.errors ? `, ${r.errors} errors (first: ${r.firstError ?? 'autocannon'})` : ''}`);
        }
      }
    }
    const m = medians(all);
    report.load = { medians: m, raw: all, readyMs: Object.fromEntries(servers.map(({ server, roles }) => [`${server.name} ${roles.join('+')}`, server.readyMs])) };
    console.log(`\nrequests/s and latency, ${connections} connections, ${durationMs / 1000} s each, median of ${runs} (mote at -m 8M, Linux VM at -m ${LINUX_VM_MEMORY} on pc, all VMs TCG):`);
    console.table(loadTable(m));
  } finally {
    for (const { server } of servers) await server.stop();
  }
}

async function connsSection(): Promise<void> {
  const img = await image('bench/net/fixtures/http-mem', 'net-http-mem');
  const rows: Record<string, Record<string, number | string>> = {};
  const raw: Record<string, Connections> = {};
  for (const host of ['run', 'boot'] as const) {
    for (const memory of ['8M', '16M']) {
      const server = await startServer(await mote(host, img, 'http', memory)).catch((e: unknown) => void skip(`connections on mote ${host} -m ${memory}`, firstLines(e)));
      if (!server) continue;
      try {
        const c = await measureConnections(server.ports.http!, 100, maxConns);
        await new Promise((r) => setTimeout(r, 200)); // a server that died has said so by now
        const died = server.exited();
        if (died) c.stoppedBy += ` (mote ${host} ended with ${died}: ${server.output().trim().split('\n').at(-1)})`;
        raw[`${host} ${memory}`] = c;
        rows[`mote ${host} -m ${memory}`] = {
          'heap before': c.heapBefore,
          [`heap, ${c.n} open`]: c.heapWithN,
          'bytes/conn': Math.round(c.bytesPerConnection),
          'most served': c.maxServed,
          'stopped at': c.stoppedAt,
          'stopped by': c.stoppedBy.slice(0, 90),
        };
        console.error(`conns ${host} ${memory}: ${Math.round(c.bytesPerConnection)} B/conn, ${c.maxServed} served (stopped at ${c.stoppedAt}: ${c.stoppedBy})`);
      } catch (e) {
        skip(`connections on mote ${host} -m ${memory}`, firstLines(e));
      } finally {
        await server.stop();
      }
    }
  }
  report.connections = raw;
  console.log('\nidle keep-alive connections (bench/net/fixtures/http-mem; heap = the guest\'s memory().total; hosted counts QuickJS\'s estimate, metal its allocator\'s blocks):');
  console.table(rows);
}

async function bootSection(): Promise<void> {
  const hello = (await writeHello(out)).path;
  const t = { floor: [] as number[], hello: [] as number[], http: [] as number[], linux: [] as number[] };
  const linux = targets.includes('linux') ? linuxVmMissing() : 'not among --targets';
  if (linux) skip('Linux VM boot to first response', linux);
  // Alternating, as bench/boot.ts does, so noise hits each alike.
  for (let i = 0; i < boots; i++) {
    try {
      t.floor.push(await wallMs(FLOOR, 'microvm', 'tcg'));
      t.hello.push(await wallMs(hello, 'microvm', 'tcg'));
      t.http.push(await firstResponseMs(await bootCommand(images.http, 8 << 20)));
    } catch (e) {
      return skip('boot to first response', firstLines(e));
    }
    if (!linux && i < Math.min(boots, 3)) {
      const l = await linuxVm();
      t.linux.push(await firstResponseMs({ name: l.name, cmd: l.cmd, args: l.args, port: l.ports.http! }));
    }
    console.error(`boot ${i + 1}/${boots}: floor ${t.floor.at(-1)!.toFixed(0)} ms, hello ${t.hello.at(-1)!.toFixed(0)} ms, http first 200 ${t.http.at(-1)!.toFixed(0)} ms${t.linux[i] ? `, linux vm first 200 ${t.linux[i]!.toFixed(0)} ms` : ''}`);
  }
  const m = { floorMs: median(t.floor), helloMs: median(t.hello), httpFirst200Ms: median(t.http), linuxVmFirst200Ms: median(t.linux) };
  report.boot = { medians: m, raw: t };
  if (!linux) report.linuxVmSmallestMemory = await linuxVmSmallest();
  console.log(`\nboot to first response, TCG, microvm, -m 8M (Linux VM: pc, -m ${LINUX_VM_MEMORY}), median of ${boots}:`);
  console.table({
    'floor (launch to power-off)': { ms: r1(m.floorMs), 'http÷this': r2(m.httpFirst200Ms / m.floorMs) },
    'hello (launch to power-off)': { ms: r1(m.helloMs), 'http÷this': r2(m.httpFirst200Ms / m.helloMs) },
    'http (launch to first 200)': { ms: r1(m.httpFirst200Ms), 'http÷this': 1 },
    ...(t.linux.length ? { 'linux vm + qjs (launch to first 200)': { ms: r1(m.linuxVmFirst200Ms), 'http÷this': r2(m.httpFirst200Ms / m.linuxVmFirst200Ms) } } : {}),
  });
  if (!linux) console.log(`smallest -m at which the Linux VM serves (16M steps down from ${LINUX_VM_MEMORY}): ${report.linuxVmSmallestMemory}`);
}

/** Steps the Linux VM's RAM down 16M at a time until it no longer serves. */
async function linuxVmSmallest(): Promise<string> {
  let smallest = 'none';
  for (let mb = parseInt(LINUX_VM_MEMORY, 10); mb >= 16; mb -= 16) {
    const l = await linuxVm(`${mb}M`);
    const ok = await firstResponseMs({ name: l.name, cmd: l.cmd, args: l.args, port: l.ports.http! }, 60_000).then(() => true, () => false);
    if (!ok) break;
    smallest = `${mb}M`;
  }
  return smallest;
}
