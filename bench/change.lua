-- wrk, "after one change": each thread asks for /bench/change/ (one record saved) before
-- every batch of its requests, then the page; prints report.lua's JSON line, counting the
-- page's requests only. Arguments: the requests per thread in a batch, the change's path,
-- and optionally the host the change is made at (another municipality's).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  every = tonumber(args[1])
  if args[3] then
    change = wrk.format("GET", args[2], {["Host"] = args[3]})
  else
    change = wrk.format("GET", args[2])
  end
  page = wrk.format()
  sent = 0
  changes = 0
end

function request()
  sent = sent + 1
  if sent % every == 1 then
    changes = changes + 1
    return change
  end
  return page
end

done = function(summary, latency, requests)
  local changes = 0
  for _, thread in ipairs(threads) do
    changes = changes + thread:get("changes")
  end
  local seconds = summary.duration / 1e6
  local pages = summary.requests - changes
  io.write(string.format(
    '{"requests": %d, "changes": %d, "seconds": %.3f, "rps": %.1f, "errors": %d, "non2xx": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    pages, changes, seconds, pages / seconds,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
