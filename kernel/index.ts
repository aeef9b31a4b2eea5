/**
 * mote's public API: what apps import as "mote" (the builder aliases the
 * name to this file). Erlang's process model, with TypeScript names.
 */
import './deadlock.ts'; // a node stuck with nothing to wake it says so
import './host_copy.ts'; // messages copied in the host's code where it can
export { Exit, PLATFORM_ABI } from './platform.ts';
export type { Platform, MemoryInfo, Manifest, ManifestModule } from './platform.ts';

export { Pid, Ref, Binary, Socket, TermError, SHARED_BINARY_MIN } from './term.ts';
export { ANY, type Matcher } from './match.ts';
export type { Reason } from './reasons.ts';
export {
  spawn, spawnLink, spawnMonitor, self, send, receive, sleep, exit, link, unlink, monitor, demonitor, alias, unalias,
  type MonitorOptions, type SpawnMonitorOptions, type AliasOptions, trapExit, setPriority, isAlive, processInfo, TIMEOUT, type Timeout, type SpawnOptions, type ProcessInfo, type Priority,
} from './process_api.ts';
export { spawnRequest, spawnRequestAbandon, type SpawnRequestOptions, type SpawnReply } from './spawn_request.ts';
export { ProcessExit, type ExitMessage, type DownMessage } from './signals.ts';
export { register, unregister, whereis, registered } from './registry.ts';
export { sendAfter, startTimer, readTimer, cancelTimer, type TimeoutMessage } from './send_after.ts';
export { monotonicTime, processes, memory, configure, halt, type MemoryBreakdown, type Config } from './system.ts';
import * as etsApi from './ets.ts';
/** The tables' API (ets.ts) as a plain object, with its types: a bundle's
 *  namespace object has a getter per name, a call on QuickJS at every
 *  `ets.insert` (issue 11). */
export const ets: typeof etsApi = Object.freeze({ ...etsApi });
export declare namespace ets {
  type Tid = etsApi.Tid;
  type TableType = etsApi.TableType;
  type Access = etsApi.Access;
  type TableOptions = etsApi.TableOptions;
  type TableInfo = etsApi.TableInfo;
  type InfoItem = etsApi.InfoItem;
  type CounterOp = etsApi.CounterOp;
  type Pred = etsApi.Pred;
  type Selection = etsApi.Selection;
  type Folder<A> = etsApi.Folder<A>;
  type EndOfTable = etsApi.EndOfTable;
}
export * as gen_tcp from './gen_tcp.ts';
export * as gen_udp from './gen_udp.ts';
export type { Packet } from './framing.ts';
export { encodeUtf8, decodeUtf8 } from './utf8.ts';
export { Tid, type TableType, type Access, type TableOptions } from './ets.ts';
export * as logger from './logger.ts';
export { GenServer } from './stdlib/gen_server.ts';
export type { ServerModule, From, ServerRef, RequestId, RequestIds } from './stdlib/gen_server.ts';
export { Supervisor } from './stdlib/supervisor.ts';
export type { ChildSpec, SupFlags, ChildStart } from './stdlib/supervisor.ts';
export * as application from './stdlib/application.ts';
export * as sys from './stdlib/sys.ts';
export { TcpServer, type TcpServerOptions } from './stdlib/tcp_server.ts';
export { HttpServer, type HttpServerOptions, type HttpHandler, type Request, type Response } from './stdlib/http_server.ts';
export { loadOptional } from './optional.ts';
export { args, env, getenv } from './args.ts';
export * as stdin from './console_input.ts';
export { installWebGlobals } from './web_globals.ts';
export * as stdout from './stdout.ts';
export { inspect, format } from './inspect.ts';
