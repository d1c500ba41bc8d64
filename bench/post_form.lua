-- wrk script for bench/run.py's web-form scenario. Arguments (after `--`):
-- the request limit, then the CSRF token (sent as cookie and form field).
-- Each request is a new submission from a new email address, as a crowd of
-- customers would send; a redirect (302) to the confirmation page is success.
-- Prints what bench/report.lua prints.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local limit = 0
local token = ""
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
answered = 0
not_ok = 0

function init(args)
  limit = tonumber(args[1]) or 0
  token = args[2] or ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. token
end

function request()
  counter = counter + 1
  local body = "csrfmiddlewaretoken=" .. token
    .. "&name=Bench+Customer"
    .. "&email=bench-" .. prefix .. "-" .. counter .. "%40example.com"
    .. "&language=ar&kind=inquiry&category="
    .. "&subject=%D8%A7%D8%B3%D8%AA%D9%81%D8%B3%D8%A7%D8%B1+" .. counter
    .. "&message=%D8%A3%D8%B1%D8%AC%D9%88+%D8%A7%D9%84%D8%AA%D9%88%D8%B6%D9%8A%D8%AD+please+explain+my+bill"
    .. "&website="
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 302 then
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
