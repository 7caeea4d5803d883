#!/usr/bin/env bash
# Server benchmark: starts build/bin/booking-server (built beforehand; this script builds
# nothing) on a database and measures with wrk on loopback:
#   1. GET /api/v1/clinics/demo/snapshot        (the widget's prepared snapshot, plain and br)
#   2. GET /api/calendar/free-slots/dr-lee      (partner free slots, 7 days)
#   3. POST /api/v1/bookings                    (durable bookings, each a distinct free slot)
# Prints wrk's figures (requests/s, p50, p99). Never fails on time.
#
#   bench/server/run.sh [--db FILE|URI] [--processes N] [BUILD_DIR] [DURATION]
#
# --db: a SQLite file (default: a fresh one in a temporary directory) or a PostgreSQL URI
# (an empty database, or one this script made before: its rows are counted, never
# dropped). --processes N (PostgreSQL only) starts N servers on that database; the
# booking load is split over them (one wrk per process, distinct slots), reads hit the
# first. Defaults: build, 10s, 1 process. SERVER_THREADS (default 16) sets each server's
# --threads; BOOKING_CONNECTIONS (default 16) the booking load's connections.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=""
processes=1
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --processes) processes=$2; shift 2 ;;
    *) break ;;
  esac
done
build=${1:-build}
duration=${2:-10s}
server_bin=$build/bin/booking-server
[ -x "$server_bin" ] || { echo "no $server_bin: build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (Debian package wrk)" >&2; exit 1; }
postgres=false
case "$db" in postgres://* | postgresql://*) postgres=true ;; esac
if [ "$processes" -gt 1 ] && ! $postgres; then
  echo "--processes > 1 needs a PostgreSQL --db: SQLite is one process's database" >&2
  exit 1
fi

work=$(mktemp -d)
server_pids=()
stop_servers() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  server_pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT
[ -n "$db" ] || db=$work/bench.db

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
bases=()
for i in $(seq "$processes"); do
  "$server_bin" --db "$db" --clinic data/demo-clinic.json --clinic "$work/bench-clinic.json" \
    --port 0 --rate-limit 0 --threads "${SERVER_THREADS:-16}" >"$work/out$i" 2>"$work/server$i.log" &
  server_pids+=($!)
done
for i in $(seq "$processes"); do
  for _ in $(seq 100); do grep -q listening "$work/out$i" 2>/dev/null && break; sleep 0.1; done
  b=$(sed -n 's/^listening on //p' "$work/out$i")
  [ -n "$b" ] || { cat "$work/server$i.log" >&2; exit 1; }
  bases+=("$b")
done
base=${bases[0]}
$postgres && grep -m1 "database " "$work/server1.log" | sed 's/.* info //'

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
echo "== POST bookings over $processes process(es) (durable; each answered after its commit)"
# One wrk per process, each on its own range of days, so every request is a free slot;
# BOOKING_CONNECTIONS (default 16) connections in all, split over the processes.
connections=${BOOKING_CONNECTIONS:-16}
wrk_pids=()
for i in $(seq "$processes"); do
  wrk -t2 -c$((connections / processes > 2 ? connections / processes : 2)) -d"$duration" --latency \
    -s bench/server/booking.lua "${bases[$((i - 1))]}" -- $(((i - 1) * 60)) >"$work/wrk$i" &
  wrk_pids+=($!)
done
wait "${wrk_pids[@]}"
total=0
for i in $(seq "$processes"); do
  echo "-- process $i"
  cat "$work/wrk$i"
  rate=$(sed -n 's/^Requests\/sec: *//p' "$work/wrk$i")
  total=$(python3 -c "print(round($total + ${rate:-0}))")
done
echo "bookings per second, all processes: $total"
echo
stop_servers
if $postgres; then
  echo "rows in bookings: $(psql -X -At -d "$db" -c 'select count(*) from bookings')"
else
  echo "rows in bookings: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from bookings').fetchone()[0])" "$db")"
fi
