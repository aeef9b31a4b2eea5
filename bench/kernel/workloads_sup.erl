%% The one_for_one supervisor of the restart workload.
-module(workloads_sup).
-behaviour(supervisor).
-export([start/1, init/1]).

start(Main) -> supervisor:start_link(?MODULE, Main).

init(Main) ->
    {ok, {#{strategy => one_for_one, intensity => 1000000000, period => 1},
          [#{id => c, start => {workloads_idle, start_link, [Main]}}]}}.
