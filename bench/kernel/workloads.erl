%% The kernel workloads on BEAM, printing the same BENCH lines as
%% workloads.ts. Run by run.ts: erl -noshell -pa DIR -eval 'workloads:main([...])'.
-module(workloads).
-export([main/1]).

report(Name, Value, Unit) ->
    io:format("BENCH {\"name\":\"~s\",\"value\":~.2f,\"unit\":\"~s\"}~n", [Name, float(Value), Unit]).

now_ms() -> erlang:monotonic_time(microsecond) / 1000.

main([Idle, PingPong, RingProcs, RingHops, Selective, Restarts, Ets]) ->
    logger:set_primary_config(level, none),
    idle_async(Idle),
    idle_gen_server(Idle),
    ping_pong("small", #{op => ping, n => 1}, PingPong),
    ping_pong("bin1k", binary:copy(<<0>>, 1024), PingPong),
    ping_pong("list100", lists:seq(0, 99), PingPong),
    ring(RingProcs, RingHops),
    selective(Selective),
    restarts(Restarts),
    table(Ets),
    halt(0).

idle_loop() -> receive _ -> idle_loop() end.

idle_async(N) ->
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    Me = self(),
    T0 = now_ms(),
    %% The last says when it runs, as workloads.ts times mote's spawns: from
    %% the first spawn until every process has started.
    Pids = [spawn(fun idle_loop/0) || _ <- lists:seq(1, N - 1)] ++ [spawn(fun() -> Me ! ready, idle_loop() end)],
    receive ready -> ok end,
    T1 = now_ms(),
    timer:sleep(10),
    After = erlang:memory(processes),
    report("spawn_async_us", (T1 - T0) * 1000 / N, "us/process"),
    report("idle_async_bytes", (After - Before) / N, "bytes/process"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).

idle_gen_server(N) ->
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    T0 = now_ms(),
    Pids = [begin {ok, P} = gen_server:start(workloads_idle, [], []), P end || _ <- lists:seq(1, N)],
    T1 = now_ms(),
    timer:sleep(10),
    After = erlang:memory(processes),
    report("spawn_gen_server_us", (T1 - T0) * 1000 / N, "us/process"),
    report("idle_gen_server_bytes", (After - Before) / N, "bytes/process"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).

pong() -> receive {From, T} -> From ! T, pong() end.

ping_pong(Name, Term, N) ->
    Pong = spawn(fun pong/0),
    T0 = now_ms(),
    ping(Pong, Term, N),
    Dt = now_ms() - T0,
    report("pingpong_" ++ Name, 2 * N / (Dt / 1000), "msgs/s"),
    exit(Pong, kill).

ping(_, _, 0) -> ok;
ping(Pong, Term, N) -> Pong ! {self(), Term}, receive _ -> ping(Pong, Term, N - 1) end.

ring_node(Main) -> receive Next -> ring_loop(Main, Next) end.
ring_loop(Main, Next) ->
    receive
        0 -> Main ! done, ring_loop(Main, Next);
        T -> Next ! T - 1, ring_loop(Main, Next)
    end.

ring(N, Hops) ->
    Main = self(),
    Pids = [spawn(fun() -> ring_node(Main) end) || _ <- lists:seq(1, N)],
    link_ring(Pids, hd(Pids)),
    T0 = now_ms(),
    hd(Pids) ! Hops,
    receive done -> ok end,
    Dt = now_ms() - T0,
    report("ring_hops", Hops / (Dt / 1000), "hops/s"),
    [exit(P, kill) || P <- Pids].

link_ring([Last], First) -> Last ! First;
link_ring([A, B | Rest], First) -> A ! B, link_ring([B | Rest], First).

selective(N) ->
    [self() ! {junk, I} || I <- lists:seq(1, 10000)],
    T0 = now_ms(),
    sel(N, 0),
    Dt = now_ms() - T0,
    report("selective_10k_queued", N / (Dt / 1000), "receives/s"),
    flush().

sel(N, N) -> ok;
sel(N, I) -> self() ! {mark, I}, receive {mark, I} -> sel(N, I + 1) end.

flush() -> receive _ -> flush() after 0 -> ok end.

restarts(N) ->
    Main = self(),
    {ok, Sup} = workloads_sup:start(Main),
    receive {up, P0} -> ok end,
    T0 = now_ms(),
    restart_loop(P0, N),
    Dt = now_ms() - T0,
    report("supervisor_restarts", N / (Dt / 1000), "restarts/s"),
    unlink(Sup), exit(Sup, shutdown).

restart_loop(_, 0) -> ok;
restart_loop(P, N) -> exit(P, kill), receive {up, P2} -> restart_loop(P2, N - 1) end.

table(N) ->
    T = ets:new(bench, [set, public]),
    T0 = now_ms(),
    [ets:insert(T, {I, I}) || I <- lists:seq(0, N - 1)],
    report("ets_insert", N / ((now_ms() - T0) / 1000), "ops/s"),
    T1 = now_ms(),
    Sum = lists:foldl(fun(I, Acc) -> [{_, V}] = ets:lookup(T, I), Acc + V end, 0, lists:seq(0, N - 1)),
    report("ets_lookup", N / ((now_ms() - T1) / 1000), "ops/s"),
    Sum = N * (N - 1) div 2,
    ets:delete(T).
