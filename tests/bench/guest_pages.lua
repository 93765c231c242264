-- wrk script for bench_guests.py and bench_surge.py: spread requests over many paths, report p50/p99 as one line.
--   wrk -s guest_pages.lua ... http://127.0.0.1:PORT -- PATHS_FILE [DELAY_MS] [random]
-- PATHS_FILE holds one request path per line (film pages, or the static file alone). In turn by default;
-- with "random", picked at random (a path listed n times comes n times as often) in Chinese or, one time
-- in five, English, asking for gzip as phones do. DELAY_MS is each connection's pause between requests,
-- 0.5 to 1.5 times it (0: as fast as the server answers).

local paths = {}
local counter = 0
local threads = 0
local pause = 0
local random = false
local ZH = "zh-CN,zh;q=0.9,en;q=0.8"

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
  pause = tonumber(args[2] or "0")
  random = args[3] == "random"
  math.randomseed(id * 7919 + 17)
  -- Each thread starts at a different place so the threads do not ask for the same page in step.
  counter = (id * 7919) % #paths
end

function delay()
  if pause > 0 then return math.random(math.floor(pause / 2), pause + math.floor(pause / 2)) end
  return 0
end

function request()
  if random then
    local lang = math.random() < 0.8 and ZH or "en-GB,en;q=0.9"
    return wrk.format("GET", paths[math.random(#paths)], { ["Accept-Language"] = lang, ["Accept-Encoding"] = "gzip" })
  end
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], { ["Accept-Language"] = ZH })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
