-- wrk script of benchmarks/national.py: each connection sends the next of the paths listed (one per
-- line) in the file that WRK_PATHS names, threads starting at different places; done() prints one
-- JSON line with the counts and latency percentiles (milliseconds). With WRK_ONCE=1 (one thread)
-- the thread stops once it has as many answers as there are paths: each path asked once, but for
-- the few requests still in flight then (at most one per connection).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local threads = 0
function setup(thread)
  thread:set("first", threads * 7919)
  threads = threads + 1
end

local once = os.getenv("WRK_ONCE") == "1"
local answered = 0
function response(status, headers, body)
  answered = answered + 1
  if once and answered >= #paths then wrk.thread:stop() end
end

local sent = 0
function request()
  sent = sent + 1
  return wrk.format("GET", paths[((first + sent) % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"socket_errors":%d,"status_errors":%d,"seconds":%.3f,' ..
    '"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"mean_ms":%.2f}\n',
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
