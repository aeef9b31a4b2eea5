%% The spawn case of bench/kernel/fixtures/scale.ts on BEAM, printing the
%% same BENCH lines. Run by scale.ts: erl -noshell -pa DIR -eval 'scale:main([N, ...])'.
-module(scale).
-export([main/1]).

report(Name, Value, Unit) ->
    io:format("BENCH {\"name\":\"~s\",\"value\":~.3f,\"unit\":\"~s\"}~n", [Name, float(Value), Unit]).

idle_loop() -> receive _ -> idle_loop() end.

main(Sizes) ->
    [idle(N) || N <- Sizes],
    halt(0).

idle(N) ->
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn(fun idle_loop/0) || _ <- lists:seq(1, N)],
    T1 = erlang:monotonic_time(microsecond),
    timer:sleep(10),
    After = erlang:memory(processes),
    report("spawn_idle_us_" ++ integer_to_list(N), (T1 - T0) / N, "us/process"),
    report("idle_async_bytes_" ++ integer_to_list(N), (After - Before) / N, "bytes/process"),
    [exit(P, kill) || P <- Pids],
    timer:sleep(10).
