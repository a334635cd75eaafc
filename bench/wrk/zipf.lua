-- zipf.lua: the long tail. Each request GETs an article path drawn from a
-- Zipf distribution with exponent s = 1.0 over every article in the paths
-- file, the way an archive is read (a few pieces often, most rarely). The
-- popularity ranks are a seeded shuffle of the file, so the popular pieces
-- are spread over the archive's ages rather than being the newest.
-- Usage: wrk ... -s zipf.lua URL -- PATHS_FILE SEED
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
  local n = #paths
  if n == 0 then error("zipf.lua: no paths in " .. args[1]) end
  local seed = tonumber(args[2]) or 1
  -- The same shuffle in every thread: one popularity order.
  math.randomseed(seed)
  for i = n, 2, -1 do
    local j = math.random(i)
    paths[i], paths[j] = paths[j], paths[i]
  end
  -- cdf[k] = sum_{i<=k} 1/i, normalised.
  cdf = {}
  local sum = 0
  for k = 1, n do
    sum = sum + 1 / k
    cdf[k] = sum
  end
  for k = 1, n do cdf[k] = cdf[k] / sum end
  math.randomseed(seed * 1000 + (tid or 0))
end

function request()
  local u = math.random()
  local lo, hi = 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return wrk.format(nil, paths[lo])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d errors=%d status_errors=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
