"""Durability: a restart keeps every booking and changes nothing; a kill -9 in the middle
of a booking load loses no booking that was answered 201. On either backend
(SLOTBOOK_TEST_BACKEND): the restarted server opens the same file or PostgreSQL database."""

import random
import signal
import threading
import time
import unittest
from datetime import datetime, timezone

from harness import POSTGRES, Server, booking_body, db_rows, future_date, utc_instant


def kill_nine_under_load(server, client, stop, workers=4, seconds=1.5):
    """Runs `client(worker)` in `workers` threads, SIGKILLs the server after `seconds`
    while they are busy, then sets `stop` and waits for them."""
    threads = [threading.Thread(target=client, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    time.sleep(0.3)  # requests in flight fail now, not after `stop`
    stop.set()
    for t in threads:
        t.join(timeout=30)
    server.kill()


class Restart(unittest.TestCase):
    def test_restart_keeps_bookings_and_configuration(self):
        first = Server(args=["--rate-limit", "0"]).start()
        ids = []
        try:
            for i, hh in enumerate(["09:00", "11:00", "13:00"]):
                r = first.post("/api/v1/bookings", booking_body(utc_instant(future_date(3 + i), hh)))
                self.assertEqual(r.status, 201, r)
                ids.append((r.json()["booking"]["id"], r.json()["booking"]["manage_token"]))
            r = first.staff("POST", "/api/calendar/external-booking",
                            {"agent_id": "dr-b", "participant_name": "Partner",
                             "booking_date": future_date(8).isoformat(), "booking_time": "10:00"})
            self.assertEqual(r.status, 201, r)
            partner_id = r.json()["booking_id"]
            etag = first.get("/api/v1/clinics/testclinic/snapshot").header("ETag")
        finally:
            self.assertEqual(first.stop(), 0, "clean exit on SIGTERM")

        second = Server(db=first.db, args=["--rate-limit", "0"]).start()
        try:
            for bid, token in ids:
                r = second.get(f"/api/v1/bookings/{bid}?token={token}")
                self.assertEqual((r.status, r.json()["booking"]["status"]), (200, "confirmed"))
            self.assertEqual(second.staff("GET", f"/api/calendar/appointments/{partner_id}").status, 200)
            self.assertEqual(second.get("/api/v1/clinics/testclinic/snapshot").header("ETag"), etag,
                             "same flags, same data: the snapshot is unchanged")
            self.assertEqual(db_rows(second.db, "SELECT version FROM clinics"), [(1,)])
            # Still refuses what is taken.
            r = second.post("/api/v1/bookings", booking_body(utc_instant(future_date(3), "09:00")))
            self.assertEqual(r.status, 409)
        finally:
            second.stop()

    @unittest.skipIf(POSTGRES, "SQLite only: the database file's journal mode")
    def test_sqlite_file_is_in_wal_mode(self):
        server = Server(args=["--rate-limit", "0"]).start()
        try:
            self.assertEqual(db_rows(server.db, "PRAGMA journal_mode"), [("wal",)])
        finally:
            server.stop()


class KillNine(unittest.TestCase):
    def test_no_answered_booking_is_lost(self):
        server = Server(args=["--rate-limit", "0"]).start()
        confirmed = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(worker):
            n = 0
            while not stop.is_set():
                # Distinct slots: worker-specific practitioner/day, hourly starts.
                day = future_date(2 + worker * 10 + n // 10)
                practitioner = "dr-a" if worker % 2 == 0 else "dr-b"
                start = utc_instant(day, "%02d:00" % (8 + n % 10))
                n += 1
                try:
                    r = server.post("/api/v1/bookings", booking_body(start, practitioner=practitioner))
                except OSError:
                    continue  # the server died mid-request: not answered, not counted
                if r.status == 201:
                    with lock:
                        confirmed.append(r.json()["booking"]["id"])

        kill_nine_under_load(server, client, stop)
        self.assertGreater(len(confirmed), 20, "the load should have booked something")

        restarted = Server(db=server.db, args=["--rate-limit", "0"]).start()
        try:
            stored = {row[0] for row in db_rows(restarted.db, "SELECT id FROM bookings")}
            missing = [b for b in confirmed if b not in stored]
            self.assertEqual(missing, [], f"{len(missing)} of {len(confirmed)} answered bookings lost")
            r = restarted.staff("GET", f"/api/calendar/appointments/{confirmed[-1]}")
            self.assertEqual(r.status, 200)
        finally:
            restarted.stop()


class MixedChangesSurviveKillNine(unittest.TestCase):
    """Creates, cancels and reschedules racing for a few contended slots while the server
    is killed with SIGKILL. After the restart every answered change is in its row (status
    and time), no two bookings that occupy time overlap, and idempotent answers replay."""

    DAYS = (future_date(7), future_date(8))  # a Monday and a Tuesday: 08:00-18:00 for both
    STARTS = [utc_instant(day, "%02d:%02d" % (9 + m // 60, m % 60))
              for day in DAYS for m in range(0, 180, 30)]  # 09:00-11:30: neighbours overlap
    PRACTITIONERS = ("dr-a", "dr-b")

    def test_every_answered_change_is_stored_and_nothing_overlaps(self):
        server = Server(args=["--rate-limit", "0"]).start()
        lock = threading.Lock()
        stop = threading.Event()
        bookings = {}  # id -> {"token", "status", "start", "practitioner", "certain"}
        answers = []   # (key, body, status, answer body) of idempotent creations

        def client(worker):
            rng = random.Random(worker)
            mine = []
            n = 0
            while not stop.is_set():
                n += 1
                action = rng.random()
                try:
                    if action < 0.5 or not mine:
                        start = rng.choice(self.STARTS)
                        practitioner = rng.choice(self.PRACTITIONERS)
                        key = f"w{worker}-{n}"
                        body = booking_body(start, practitioner=practitioner, name=f"W{worker} {n}")
                        r = server.post("/api/v1/bookings", body, {"Idempotency-Key": key})
                        with lock:
                            answers.append((key, body, r.status, r.body))
                            if r.status == 201:
                                b = r.json()["booking"]
                                bookings[b["id"]] = {"token": b["manage_token"], "status": "confirmed",
                                                     "start": start, "practitioner": practitioner,
                                                     "certain": True}
                                mine.append(b["id"])
                        continue
                    bid = rng.choice(mine)
                    with lock:
                        state = dict(bookings[bid])
                    if action < 0.75:
                        with lock:
                            bookings[bid]["certain"] = False  # until the answer comes
                        r = server.post(f"/api/v1/bookings/{bid}/cancel?token={state['token']}",
                                        {"reason": "race"})
                        if r.status == 200:
                            with lock:
                                bookings[bid].update(status="cancelled", certain=True)
                            mine.remove(bid)
                        elif r.status < 500:
                            with lock:
                                bookings[bid]["certain"] = True
                    else:
                        start = rng.choice(self.STARTS)
                        with lock:
                            bookings[bid]["certain"] = False
                        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={state['token']}",
                                        {"start": start})
                        with lock:
                            if r.status == 200:
                                bookings[bid].update(start=r.json()["booking"]["start"], certain=True)
                            elif r.status < 500:
                                bookings[bid]["certain"] = True  # refused: unchanged
                except OSError:
                    continue  # the server died mid-request: that change stays uncertain

        kill_nine_under_load(server, client, stop)
        created = sum(1 for a in answers if a[2] == 201)
        self.assertGreater(created, 10, "the load should have booked something")
        self.assertTrue(any(b["status"] == "cancelled" for b in bookings.values()),
                        "the load should have cancelled something")

        restarted = Server(db=server.db, args=["--rate-limit", "0"]).start()
        try:
            rows = {row[0]: row[1:] for row in db_rows(
                restarted.db, "SELECT id, status, start_utc, end_utc, practitioner_id FROM bookings")}
            for bid, expected in bookings.items():
                self.assertIn(bid, rows, "an answered booking was lost")
                if not expected["certain"]:
                    continue
                status, start, _, practitioner = rows[bid]
                stored_start = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                self.assertEqual((status, stored_start, practitioner),
                                 (expected["status"], expected["start"], expected["practitioner"]), bid)
            # Occupancy is [start, end + 10 min buffer) for a consultation.
            for practitioner in self.PRACTITIONERS:
                spans = sorted((start, end + 600) for status, start, end, p in rows.values()
                               if p == practitioner and status != "cancelled")
                for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
                    self.assertLessEqual(e1, s2, f"{practitioner}: overlapping bookings")
            # Idempotent answers replay byte for byte after the restart: the newest ones, as
            # the server keeps a client's newest 1,000 (all of these came from 127.0.0.1).
            for key, body, status, answer in answers[-40:]:
                r = restarted.post("/api/v1/bookings", body, {"Idempotency-Key": key})
                self.assertEqual((r.status, r.body), (status, answer), key)
        finally:
            restarted.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
