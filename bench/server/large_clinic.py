#!/usr/bin/env python3
"""A large clinic under booking load (issue 14, "A large clinic"): 50 practitioners,
Mon-Fri 08-18 in New York, 26,000 upcoming bookings. Measures the widget snapshot: its
size (plain, brotli), and GET latency with wrk while 10 bookings per second land. Prints
its figures; never fails on time. Needs wrk (Debian package wrk) and a built server.

    bench/server/large_clinic.py [--build build] [--bookings 26000] [--rate 10] [--duration 10]
                                 [--keep-snapshot FILE] [--widget]

--keep-snapshot writes the final snapshot body (the widget's download) to FILE, for
bench/web/large_clinic.mjs (the engine's parse and first query in WebAssembly). --widget
then runs bench/web/widget_bench.mjs (headless Chromium) against this server and clinic:
the widget's script tag to first times, cold and warm, on the large clinic.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("America/New_York")
PRACTITIONERS = [f"p{i:02d}" for i in range(50)]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def clinic():
    return {
        "clinic": {"id": "large", "name": "Large Clinic", "timezone": "America/New_York"},
        "rules": {"min_notice_minutes": 60, "max_advance_days": 90},
        "appointment_types": [{"id": "consultation", "name": "Consultation",
                               "duration_minutes": 30}],
        "practitioners": [
            {"id": p, "name": f"Practitioner {p}", "appointment_types": ["consultation"],
             "weekly_hours": {d: [{"start": "08:00", "end": "18:00"}] for d in WEEKDAYS}}
            for p in PRACTITIONERS],
    }


def slots():
    """Every bookable (practitioner, start) from tomorrow to the horizon."""
    out = []
    today = date.today()
    for d in range(1, 89):
        day = today + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for minute in range(8 * 60, 18 * 60, 30):
            local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=ZONE)
            start = local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
            out += [(p, start) for p in PRACTITIONERS]
    return out


class Client:
    """One keep-alive connection per thread."""
    local = threading.local()

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):  # the server may have closed an idle connection
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                                    timeout=30)
            try:
                conn.request(method, path, body=body, headers=headers or {})
                r = conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.local.conn = None
                if attempt:
                    raise

    def book(self, practitioner, start):
        body = json.dumps({"clinic_id": "large", "appointment_type": "consultation",
                           "practitioner_id": practitioner, "start": start,
                           "patient": {"name": "Bench Patient", "email": "bench@example.com"}})
        status, _ = self.request("POST", "/api/v1/bookings", body,
                                 {"Content-Type": "application/json"})
        return status


def wrk_figures(text):
    def find(pattern):
        m = re.search(pattern, text)
        return m.group(1) if m else "?"
    return {"requests_per_s": find(r"Requests/sec:\s+([\d.]+)"),
            "p50": find(r"50%\s+([\d.]+\w+)"), "p99": find(r"99%\s+([\d.]+\w+)")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--bookings", type=int, default=26000)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--keep-snapshot")
    parser.add_argument("--widget", action="store_true")
    args = parser.parse_args()
    server_bin = os.path.join(args.build, "bin", "booking-server")
    if not os.access(server_bin, os.X_OK):
        sys.exit(f"no {server_bin}: build first")
    work = tempfile.mkdtemp(prefix="slotbook-large-")
    clinic_file = os.path.join(work, "large.json")
    with open(clinic_file, "w") as f:
        json.dump(clinic(), f)
    server = subprocess.Popen(
        [server_bin, "--db", os.path.join(work, "bench.db"), "--clinic", clinic_file,
         "--host", "127.0.0.1", "--port", "0", "--rate-limit", "0", "--threads", "16",
         "--web-root", os.path.join(args.build, "web")],
        stdout=subprocess.PIPE, stderr=open(os.path.join(work, "server.log"), "wb"))
    try:
        line = server.stdout.readline().decode()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
        client = Client(port)
        free = slots()
        random.Random(14).shuffle(free)
        seed, later = free[:args.bookings], free[args.bookings:]
        began = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            made = sum(s == 201 for s in pool.map(lambda slot: client.book(*slot), seed))
        print(f"seeded {made} bookings in {time.monotonic() - began:.1f} s")

        path = "/api/v1/clinics/large/snapshot"
        began = time.monotonic()
        status, body = client.request("GET", path)
        first_ms = (time.monotonic() - began) * 1000
        _, brotli = client.request("GET", path, headers={"Accept-Encoding": "br"})
        snapshot = json.loads(body)
        # the contract's busy intervals, or the compact form's runs (docs/api.md)
        busy = len(snapshot.get("busy", [])) + sum(
            len(entry["runs"]) // 2 for entry in snapshot.get("busy_runs", []))
        print(f"snapshot: {len(body):,} B plain, {len(brotli):,} B brotli, {busy:,} busy "
              f"intervals; first GET after the seeding {first_ms:.0f} ms")
        reps = []
        for _ in range(5):
            client.book(*later.pop())  # a change: the next GET sees it
            began = time.monotonic()
            client.request("GET", path, headers={"Accept-Encoding": "br"})
            reps.append((time.monotonic() - began) * 1000)
        print(f"GET right after a booking: {', '.join(f'{ms:.0f}' for ms in reps)} ms")

        for rate in (0, args.rate):
            stop = threading.Event()
            landed = [0]

            def load():
                next_at = time.monotonic()
                while not stop.is_set() and later:
                    if client.book(*later.pop()) == 201:
                        landed[0] += 1
                    next_at += 1 / rate
                    time.sleep(max(0, next_at - time.monotonic()))
            loader = threading.Thread(target=load) if rate else None
            if loader:
                loader.start()
            out = subprocess.run(
                ["wrk", "-t2", "-c4", f"-d{args.duration}s", "--latency",
                 "-H", "Accept-Encoding: gzip, deflate, br", f"http://127.0.0.1:{port}{path}"],
                capture_output=True, text=True).stdout
            stop.set()
            if loader:
                loader.join()
            figures = wrk_figures(out)
            print(f"GET snapshot (br, 4 connections) with {landed[0] / args.duration:.1f} "
                  f"bookings/s landing: {figures['requests_per_s']} req/s, "
                  f"p50 {figures['p50']}, p99 {figures['p99']}")
        if args.keep_snapshot:
            _, body = client.request("GET", path)
            with open(args.keep_snapshot, "wb") as f:
                f.write(body)
        if args.widget:
            repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            subprocess.run(
                ["node", os.path.join(repo, "bench", "web", "widget_bench.mjs"), "9",
                 "--web-root", os.path.join(args.build, "web"),
                 "--server", f"http://127.0.0.1:{port}", "--clinic", "large"],
                env={**os.environ, "NODE_PATH": os.path.join(repo, "web", "node_modules")},
                check=True)
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
