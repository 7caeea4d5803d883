#!/usr/bin/env bash
# Server benchmark: starts build/bin/booking-server (built beforehand; this script builds
# nothing) on a temporary database and measures with wrk on loopback:
#   1. GET /api/v1/clinics/demo/snapshot        (the widget's prepared snapshot, plain and br)
#   2. GET /api/calendar/free-slots/dr-lee      (partner free slots, 7 days)
#   3. POST /api/v1/bookings                    (durable bookings, each a distinct free slot)
# Prints wrk's figures (requests/s, p50, p99). Never fails on time.
#
#   bench/server/run.sh [BUILD_DIR] [DURATION]      defaults: build, 10s
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
duration=${2:-10s}
server_bin=$build/bin/booking-server
[ -x "$server_bin" ] || { echo "no $server_bin: build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (Debian package wrk)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A bench clinic: 40 practitioners working around the clock in UTC, 15-minute follow-ups.
python3 - "$work/bench-clinic.json" <<'PY'
import json, sys
days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
clinic = {
    "clinic": {"id": "bench", "name": "Bench Clinic", "timezone": "UTC"},
    "rules": {"min_notice_minutes": 60, "max_advance_days": 365},
    "appointment_types": [{"id": "follow-up", "name": "Follow-up", "duration_minutes": 15}],
    "practitioners": [
        {"id": "p%02d" % i, "name": "Practitioner %d" % i, "appointment_types": ["follow-up"],
         "weekly_hours": {d: [{"start": "00:00", "end": "24:00"}] for d in days}}
        for i in range(40)],
}
json.dump(clinic, open(sys.argv[1], "w"))
PY

export CALENDAR_API_KEY=bench-key
"$server_bin" --db "$work/bench.db" --clinic data/demo-clinic.json --clinic "$work/bench-clinic.json" \
  --port 0 --rate-limit 0 --threads "${SERVER_THREADS:-16}" >"$work/out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$base" ] || { cat "$work/server.log" >&2; exit 1; }

# Some existing bookings in the demo clinic, so the snapshot carries busy intervals.
python3 - "$base" <<'PY'
import json, sys, urllib.request
from datetime import datetime, timedelta, timezone
base = sys.argv[1]
made = 0
day = datetime.now(timezone.utc).replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(days=2)
for d in range(60):
    for practitioner in ["dr-lee", "dr-patel"]:
        start = (day + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = json.dumps({"clinic_id": "demo", "appointment_type": "consultation",
                           "practitioner_id": practitioner, "start": start,
                           "patient": {"name": "Seed", "email": "seed@example.com"}}).encode()
        req = urllib.request.Request(base + "/api/v1/bookings", body, {"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=10)
            made += 1
        except urllib.error.HTTPError:
            pass
print(f"seeded {made} demo bookings")
PY

start_date=$(date -u -d '+2 days' +%F)
end_date=$(date -u -d '+8 days' +%F)
echo "== GET snapshot ($(curl -s "$base/api/v1/clinics/demo/snapshot" | wc -c) bytes)"
wrk -t2 -c16 -d"$duration" --latency "$base/api/v1/clinics/demo/snapshot"
echo
echo "== GET snapshot, as browsers ask (Accept-Encoding: gzip, deflate, br)"
wrk -t2 -c16 -d"$duration" --latency -H "Accept-Encoding: gzip, deflate, br" \
  "$base/api/v1/clinics/demo/snapshot"
echo
echo "== GET partner free-slots (7 days)"
wrk -t2 -c16 -d"$duration" --latency -H "X-API-Key: bench-key" \
  "$base/api/calendar/free-slots/dr-lee?start_date=$start_date&end_date=$end_date&duration_minutes=30"
echo
echo "== POST bookings (durable: WAL, synchronous=FULL, group commit; each answered after its commit)"
wrk -t2 -c16 -d"$duration" --latency -s bench/server/booking.lua "$base"
echo
kill -TERM "$server_pid"; wait "$server_pid" || true
echo "rows in bookings: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from bookings').fetchone()[0])" "$work/bench.db")"
