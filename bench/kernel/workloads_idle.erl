%% An idle gen_server for workloads.erl, and the restart child.
-module(workloads_idle).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, start_link/1]).

start_link(Main) -> gen_server:start_link(?MODULE, {report, Main}, []).

init({report, Main}) -> Main ! {up, self()}, {ok, Main};
init(_) -> {ok, 0}.
handle_call(_, _, S) -> {reply, ok, S}.
handle_cast(_, S) -> {noreply, S}.
