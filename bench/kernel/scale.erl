%% The spawn, ring and fan-out cases of bench/kernel/fixtures/scale.ts on BEAM, printing the
%% same BENCH lines. Run by scale.ts: erl -noshell -pa DIR -eval 'scale:main([N, ...], [idle, ring, fanout])'.
-module(scale).
-export([main/2, idle/1, ring/1, fanout/1]).

report(Name, Value, Unit) ->
    io:format("BENCH {\"name\":\"~s\",\"value\":~.3f,\"unit\":\"~s\"}~n", [Name, float(Value), Unit]).

idle_loop() -> receive _ -> idle_loop() end.

main(Sizes, Cases) ->
    [[?MODULE:Case(N) || Case <- Cases] || N <- Sizes],
    halt(0).

%% Enough laps or rounds for 100k messages, and one at least.
laps(N) -> max(1, round(100000 / N)).

seconds(T0) -> max(1.0e-6, (erlang:monotonic_time(microsecond) - T0) / 1.0e6).

relay(To) -> receive M -> To ! M, relay(To) end.

ring(N) ->
    {Head, Pids} = lists:foldl(fun(_, {Next, Acc}) -> P = spawn(fun() -> relay(Next) end), {P, [P | Acc]} end,
                               {self(), []}, lists:seq(1, N)),
    Laps = laps(N),
    T0 = erlang:monotonic_time(microsecond),
    lap(Head, Laps),
    report("ring_hops_per_s_" ++ integer_to_list(N), N * Laps / seconds(T0), "hops/s"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).

lap(_, 0) -> ok;
lap(Head, L) -> Head ! L, receive L -> lap(Head, L - 1) end.

echo(Parent) -> receive _ -> Parent ! 1, echo(Parent) end.

fanout(N) ->
    Me = self(),
    Pids = [spawn(fun() -> echo(Me) end) || _ <- lists:seq(1, N)],
    Rounds = laps(N),
    T0 = erlang:monotonic_time(microsecond),
    rounds(Pids, N, Rounds),
    report("fanout_msgs_per_s_" ++ integer_to_list(N), 2 * N * Rounds / seconds(T0), "msgs/s"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).

rounds(_, _, 0) -> ok;
rounds(Pids, N, R) -> [P ! R || P <- Pids], collect(N), rounds(Pids, N, R - 1).

collect(0) -> ok;
collect(K) -> receive 1 -> collect(K - 1) end.

%% spawn_idle_us: the spawn calls alone; spawn_ready_us: from the first
%% spawn until the last process has run (it says so), as scale.ts times both.
idle(N) ->
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    Me = self(),
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn(fun idle_loop/0) || _ <- lists:seq(1, N - 1)] ++ [spawn(fun() -> Me ! ready, idle_loop() end)],
    T1 = erlang:monotonic_time(microsecond),
    receive ready -> ok end,
    T2 = erlang:monotonic_time(microsecond),
    timer:sleep(10),
    After = erlang:memory(processes),
    report("spawn_idle_us_" ++ integer_to_list(N), (T1 - T0) / N, "us/process"),
    report("spawn_ready_us_" ++ integer_to_list(N), (T2 - T0) / N, "us/process"),
    report("idle_async_bytes_" ++ integer_to_list(N), (After - Before) / N, "bytes/process"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).
