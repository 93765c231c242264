-- wrk script for bench_guests.py: spread requests over many paths, report p50/p99 as one line.
--   wrk -s guest_pages.lua ... http://127.0.0.1:PORT -- PATHS_FILE
-- PATHS_FILE holds one request path per line (film pages, or the static file alone).

local paths = {}
local counter = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
  -- Each thread starts at a different place so the threads do not ask for the same page in step.
  counter = (id * 7919) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], { ["Accept-Language"] = "zh-CN,zh;q=0.9,en;q=0.8" })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
