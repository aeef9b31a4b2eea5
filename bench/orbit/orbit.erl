%% Orbit on g124 for BEAM, the same algorithm as images/orbit, so the two
%% can be put side by side: the same generators and space, fixed tables of
%% 2N slots (sequential) or floor(2N/P)+1 per worker (parallel) with linear
%% probing in an atomics array, the same hash and owner choice, work
%% messages batched per owner, credit-based termination with credits as
%% exponents of 2^-k. Prints the image's lines.
%%   erlc orbit.erl && erl -noshell -eval 'orbit:main([2000, 4, both])'
-module(orbit).
-export([main/1, sequential/1, parallel/2]).

now_ms() -> erlang:monotonic_time(microsecond) / 1000.

%% --- g124 (issue 14), fib naive on purpose ---
fib(N) when N =< 1 -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

r(N, V) -> abs(V) rem N.

k(X) when X rem 100 < 49 -> 1;
k(X) when X rem 100 < 98 -> 2;
k(_) -> 3.

gens(N) ->
    [fun(X) -> r(N, fib(X rem 16) + X) end,
     fun(X) -> r(N, fib(X rem 16 + 5) + 2 * X * X + 5 * X - 1) end,
     fun(X) -> r(N, fib(8 * k(X) + 3) - 1) end].

%% --- the table: value + 1 per slot, 0 empty ---
hash(X) -> ((X bxor (X bsr 16)) * 16#45d9f3b) band 16#FFFFFFFF.

new_table(Slots) -> {atomics:new(Slots, [{signed, false}]), Slots}.

%% true if X was not there (and now is).
add({A, Slots}, X, H) -> probe(A, Slots, X + 1, H rem Slots, Slots).

probe(_, Slots, _, _, 0) -> error({table_full, Slots});
probe(A, Slots, V, I, Left) ->
    case atomics:get(A, I + 1) of
        V -> false;
        0 -> atomics:put(A, I + 1, V), true;
        _ -> probe(A, Slots, V, (I + 1) rem Slots, Left - 1)
    end.

%% --- sequential ---
sequential(N) ->
    T = new_table(2 * N),
    add(T, 0, hash(0)),
    seq_loop(T, gens(N), [0], 1).

seq_loop(_, _, [], Size) -> Size;
seq_loop(T, Gs, [X | Todo], Size) ->
    New = [Y || G <- Gs, Y <- [G(X)], add(T, Y, hash(Y))],
    seq_loop(T, Gs, New ++ Todo, Size + length(New)).

%% --- credit: split 2^-K into N single-term shares; the master's sum ---
split(K, 1) -> [K];
split(K, N) -> Half = N div 2, split(K + 1, N - Half) ++ split(K + 1, Half).

credit_add(K, Bits) ->
    case maps:is_key(K, Bits) of
        true -> credit_add(K - 1, maps:remove(K, Bits));
        false -> Bits#{K => true}
    end.

%% --- parallel ---
parallel(N, P) ->
    Master = self(),
    Slots = (2 * N) div P + 1,
    Gs = gens(N),
    Peers = list_to_tuple([spawn_link(fun() -> worker_start(Slots, Gs, Master) end) || _ <- lists:seq(1, P)]),
    [W ! {peers, Peers} || W <- tuple_to_list(Peers)],
    element(hash(0) rem P + 1, Peers) ! {work, [0], 0},
    wait_credit(#{}),
    [W ! stop || W <- tuple_to_list(Peers)],
    Sizes = [receive {size, W, S, H} -> {S, H} end || W <- tuple_to_list(Peers)],
    {lists:sum([S || {S, _} <- Sizes]), lists:sum([H || {_, H} <- Sizes]), [S || {S, _} <- Sizes]}.

wait_credit(#{0 := true} = Bits) when map_size(Bits) =:= 1 -> done;
wait_credit(Bits) -> receive {credit, K} -> wait_credit(credit_add(K, Bits)) end.

worker_start(Slots, Gs, Master) ->
    T = new_table(Slots),
    receive {peers, Peers} -> worker(T, Gs, Master, Peers, tuple_size(Peers), 0) end.

worker(T, Gs, Master, Peers, P, Handled) ->
    receive
        stop -> Master ! {size, self(), table_size(T), Handled};
        {work, Xs, Credit} ->
            Out = lists:foldl(fun(X, Acc) ->
                      H = hash(X),
                      case add(T, X, H div P) of
                          false -> Acc;
                          true -> lists:foldl(fun(G, A) -> Y = G(X), O = hash(Y) rem P, maps:update_with(O, fun(L) -> [Y | L] end, [Y], A) end, Acc, Gs)
                      end
                  end, #{}, Xs),
            case maps:size(Out) of
                0 -> Master ! {credit, Credit};
                D -> lists:foreach(fun({{O, Ys}, K}) -> element(O + 1, Peers) ! {work, Ys, K} end, lists:zip(lists:sort(maps:to_list(Out)), split(Credit, D)))
            end,
            worker(T, Gs, Master, Peers, P, Handled + 1)
    end.

table_size({A, Slots}) -> length([1 || I <- lists:seq(1, Slots), atomics:get(A, I) =/= 0]).

%% --- entry: the image's output lines ---
main([N, P, Versions]) ->
    if Versions =/= parallel ->
            T0 = now_ms(),
            S = sequential(N),
            io:format("orbit g124 N=~p sequential: size ~p in ~.1f ms~n", [N, S, now_ms() - T0]);
       true -> ok
    end,
    if Versions =/= sequential ->
            T1 = now_ms(),
            {Size, Msgs, Frags} = parallel(N, P),
            io:format("orbit g124 N=~p parallel P=~p: size ~p in ~.1f ms (~p work messages; fragments ~s)~n",
                      [N, P, Size, now_ms() - T1, Msgs, lists:join(" ", [integer_to_list(F) || F <- Frags])]);
       true -> ok
    end,
    halt(0).
