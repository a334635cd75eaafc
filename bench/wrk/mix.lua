-- mix.lua: each request GETs a path picked at random from a file listing
-- every article path. Usage: wrk ... -s mix.lua URL -- PATHS_FILE SEED
-- Each thread seeds its own RNG from SEED and its thread number, so a run
-- is repeatable.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("mix.lua: no paths in " .. args[1]) end
  math.randomseed((tonumber(args[2]) or 1) * 1000 + (tid or 0))
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d errors=%d status_errors=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
