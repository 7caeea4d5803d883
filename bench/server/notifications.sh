#!/usr/bin/env bash
# Notification benchmark (issue 10): durable booking POSTs per second with and without
# email, SMS and one webhook configured, and how fast the delivery worker then sends what
# the bookings made. The receivers are local (bench/server/sinks.py: aiosmtpd and an HTTP
# server for Twilio's API and the webhook) and share the machine with the server, as
# everything on a 2-core box does. Alternates plain and notifying runs ROUNDS times
# (default 2), each on a fresh SQLite database. Prints the figures; never fails on time.
#
#   bench/server/notifications.sh [BUILD_DIR] [DURATION] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
duration=${2:-10s}
rounds=${3:-2}
server_bin=$build/bin/booking-server
[ -x "$server_bin" ] || { echo "no $server_bin: build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (Debian package wrk)" >&2; exit 1; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "needs python3-aiosmtpd" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

python3 - "$work/bench-clinic.json" <<'PY'
import json, sys
days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
json.dump({
    "clinic": {"id": "bench", "name": "Bench Clinic", "timezone": "UTC"},
    "rules": {"min_notice_minutes": 60, "max_advance_days": 365},
    "appointment_types": [{"id": "follow-up", "name": "Follow-up", "duration_minutes": 15}],
    "practitioners": [
        {"id": "p%02d" % i, "name": "Practitioner %d" % i, "appointment_types": ["follow-up"],
         "weekly_hours": {d: [{"start": "00:00", "end": "24:00"}] for d in days}}
        for i in range(40)],
}, open(sys.argv[1], "w"))
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
http_port=$(free_port)
/usr/bin/python3 bench/server/sinks.py "$smtp_port" "$http_port" >"$work/sinks.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/sinks.out" && break; sleep 0.1; done
sink="http://127.0.0.1:$http_port"

export CALENDAR_API_KEY=bench-key TWILIO_ACCOUNT_SID=ACbench TWILIO_AUTH_TOKEN=bench-token
start_server() {  # start_server NAME [flags...]; sets base and server_pid
  local name=$1
  shift
  "$server_bin" --db "$work/$name.db" --clinic "$work/bench-clinic.json" --port 0 \
    --rate-limit 0 --threads "${SERVER_THREADS:-16}" "$@" >"$work/$name.out" 2>"$work/$name.log" &
  server_pid=$!
  pids+=($server_pid)
  for _ in $(seq 100); do grep -q listening "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$work/$name.out")
  [ -n "$base" ] || { cat "$work/$name.log" >&2; exit 1; }
}
book() {  # book NAME [sms]: prints requests/s
  wrk -t2 -c"${BOOKING_CONNECTIONS:-32}" -d"$duration" --latency -s bench/server/booking.lua \
    "$base" -- 0 ${2:-} >"$work/$1.wrk"
  sed -n 's/^Requests\/sec: *//p' "$work/$1.wrk"
}
sent_total() {
  curl -s -H "X-API-Key: bench-key" "$base/api/v1/deliveries?status=sent&limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

for round in $(seq "$rounds"); do
  start_server "plain$round"
  plain=$(book "plain$round" sms)  # the same requests, nothing configured to send
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

  start_server "notify$round" --smtp-url "smtp://127.0.0.1:$smtp_port" \
    --mail-from "Bench Clinic <bookings@bench.example.org>" --sms-url "$sink" \
    --sms-from +15550100 --allow-http-webhooks
  curl -s -o /dev/null -H "X-API-Key: bench-key" -H "Content-Type: application/json" \
    -d "{\"url\": \"$sink/hook\", \"events\": [\"booking.created\"]}" "$base/api/v1/webhooks"
  t0=$(date +%s.%N)
  notifying=$(book "notify$round" sms)
  created=$(sed -n 's/^bookings: \([0-9]*\) created.*/\1/p' "$work/notify$round.wrk")
  expected=$((created * 3))  # email, SMS and webhook per booking (reminders are due later)
  sent_at_end=$(sent_total)
  for _ in $(seq 600); do
    [ "$(sent_total)" -ge "$expected" ] && break
    sleep 0.5
  done
  t1=$(date +%s.%N)
  sent=$(sent_total)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  python3 - "$plain" "$notifying" "$created" "$sent_at_end" "$sent" "$t0" "$t1" "$round" <<'PY'
import sys
plain, notifying, created, during, sent, t0, t1, rnd = sys.argv[1:]
plain, notifying, t0, t1 = float(plain), float(notifying), float(t0), float(t1)
print(f"round {rnd}: bookings/s plain {plain:.0f}, with email+SMS+webhook {notifying:.0f} "
      f"({100 * (notifying - plain) / plain:+.1f}%); {created} bookings made {int(created) * 3} "
      f"messages: {during} sent during the load, {sent} after {t1 - t0:.1f}s "
      f"({int(sent) / (t1 - t0):.0f} deliveries/s overall)")
PY
done
echo "sink counts: $(curl -s "$sink/count")"
