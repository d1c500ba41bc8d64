-- wrk script for bench/run.py's API create scenario. Arguments (after `--`):
-- the request limit, an API token, a customer id and a queue code. Each
-- request opens a new ticket by phone, as a phone system logging calls
-- would; 201 is success. Prints what bench/report.lua prints.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local limit = 0
local counter = 0
answered = 0
not_ok = 0

function init(args)
  limit = tonumber(args[1]) or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Token " .. (args[2] or "")
  customer = args[3] or "0"
  queue = args[4] or ""
end

function request()
  counter = counter + 1
  local body = '{"customer": ' .. customer .. ', "queue": "' .. queue .. '"'
    .. ', "channel": "phone", "subject": "Call ' .. counter .. '"'
    .. ', "body_text": "\\u0627\\u0633\\u062a\\u0641\\u0633\\u0627\\u0631 about the bill"}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 201 then
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
