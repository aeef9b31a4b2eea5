%% The network bench's BEAM reference: gen_tcp servers doing what
%% images/http (GET / hello, keep-alive) and images/echo do, one process
%% per connection, passive sockets, as mote's TcpServer runs them.
%%   erl -noshell -pa DIR -eval 'net_servers:main([HttpPort, EchoPort])'
-module(net_servers).
-export([main/1]).

-define(BODY, <<"hello from mote\n">>).
-define(OPTS, [binary, {active, false}, {reuseaddr, true}, {nodelay, true},
               {backlog, 1024}, {ip, {127, 0, 0, 1}}]).

main([HttpPort, EchoPort]) ->
    listen(HttpPort, fun http/2),
    listen(EchoPort, fun echo/2),
    io:format("beam: serving http on ~p, echo on ~p~n", [HttpPort, EchoPort]),
    receive stop -> ok end.

listen(Port, Handle) ->
    {ok, L} = gen_tcp:listen(Port, ?OPTS),
    Owner = spawn(fun() -> accept(L, Handle) end),
    ok = gen_tcp:controlling_process(L, Owner).

accept(L, Handle) ->
    {ok, S} = gen_tcp:accept(L),
    Pid = spawn(fun() -> receive go -> Handle(S, <<>>) end end),
    ok = gen_tcp:controlling_process(S, Pid),
    Pid ! go,
    accept(L, Handle).

echo(S, _) ->
    case gen_tcp:recv(S, 0) of
        {ok, Data} -> gen_tcp:send(S, Data), echo(S, <<>>);
        {error, _} -> gen_tcp:close(S)
    end.

http(S, Buf) ->
    case binary:split(Buf, <<"\r\n\r\n">>) of
        [Head, Rest] ->
            Close = binary:match(string:lowercase(Head), <<"\r\nconnection: close">>) =/= nomatch,
            gen_tcp:send(S, response(Close)),
            if Close -> gen_tcp:close(S); true -> http(S, Rest) end;
        [_] ->
            case gen_tcp:recv(S, 0) of
                {ok, Data} -> http(S, <<Buf/binary, Data/binary>>);
                {error, _} -> gen_tcp:close(S)
            end
    end.

response(Close) ->
    Conn = if Close -> <<"connection: close\r\n">>; true -> <<>> end,
    [<<"HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ">>,
     integer_to_binary(byte_size(?BODY)), <<"\r\n">>, Conn, <<"\r\n">>, ?BODY].
