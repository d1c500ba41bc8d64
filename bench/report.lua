-- wrk script for bench/run.py. Arguments (after `--`): the request limit, then
-- zero or more Cookie header values, used in turn (one per bench agent).
-- Prints "limit reached" when the limit is hit (run.py then interrupts wrk,
-- which stops at once and reports the time actually spent), and at the end
-- the figures run.py reads, one "key=value" per line.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local limit = 0
local cookies = {}
local next_cookie = 0
answered = 0
-- Globals, so done() can read them from each thread. Any answer but 200 is
-- an error here: a redirect to the login page is a failed page view.
not_ok = 0

function init(args)
  limit = tonumber(args[1]) or 0
  for i = 2, #args do
    cookies[#cookies + 1] = args[i]
  end
end

function request()
  if #cookies == 0 then
    return wrk.format()
  end
  next_cookie = next_cookie % #cookies + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Cookie"] = cookies[next_cookie]
  return wrk.format(nil, nil, headers)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    not_ok = not_ok + 1
  end
  if limit > 0 and answered == limit then
    io.write("limit reached\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("not_ok")
  end
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("duration_us=%d\n", summary.duration))
  io.write(string.format("p50_us=%d\n", latency:percentile(50)))
  io.write(string.format("p95_us=%d\n", latency:percentile(95)))
  io.write(string.format("errors=%d\n", failed))
end
