-- wrk script: POST /api/v1/bookings with a distinct free slot per request, so every
-- answer is a durable 201 rather than a cheap 409. The bench clinic's practitioners
-- p00..p39 work around the clock in UTC; follow-ups last 15 minutes on a 15-minute grid.
-- Each wrk thread (run with -t2) owns 20 practitioners. wrk's Lua is 5.1 (LuaJIT).
-- `wrk ... -- D` starts D days later, so several wrk (one per server process) never meet;
-- `wrk ... -- D sms` also gives each patient a phone and their consent to text messages.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  per_thread = 20
  -- Midnight UTC, two days ahead, plus the day offset given after "--" (one per process).
  first_day = (math.floor(os.time() / 86400) + 2 + (tonumber(args[1]) or 0)) * 86400
  created, conflicts, others = 0, 0, 0
  contact = '"email":"bench@example.com"'
  if args[2] == "sms" then
    contact = contact .. ',"phone":"+12025550143","sms_opt_in":true'
  end
end

function request()
  -- Practitioners vary fastest, then 15-minute slots, then days.
  local p = ((id - 1) * per_thread + n % per_thread) % 40
  local slot = math.floor(n / per_thread) % 96
  local day = math.floor(n / (per_thread * 96))
  n = n + 1
  local start = os.date("!%Y-%m-%dT%H:%M:%SZ", first_day + day * 86400 + slot * 900)
  local body = string.format(
    '{"clinic_id":"bench","appointment_type":"follow-up","practitioner_id":"p%02d",' ..
    '"start":"%s","patient":{"name":"Bench Patient",%s}}', p, start, contact)
  return wrk.format("POST", "/api/v1/bookings", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 then
    conflicts = conflicts + 1
  else
    others = others + 1
  end
end

function done(summary, latency, requests)
  local c, x, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    x = x + t:get("conflicts")
    o = o + t:get("others")
  end
  io.write(string.format("bookings: %d created (201), %d conflicts (409), %d other\n", c, x, o))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
end
