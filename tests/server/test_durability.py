"""Durability: a restart keeps every booking and changes nothing; a kill -9 in the middle
of a booking load loses no booking that was answered 201."""

import signal
import sqlite3
import threading
import time
import unittest

from harness import Server, booking_body, future_date, utc_instant


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
            db = sqlite3.connect(second.db)
            self.assertEqual(db.execute("SELECT version FROM clinics").fetchall(), [(1,)])
            self.assertEqual(db.execute("PRAGMA journal_mode").fetchone()[0], "wal")
            db.close()
            # Still refuses what is taken.
            r = second.post("/api/v1/bookings", booking_body(utc_instant(future_date(3), "09:00")))
            self.assertEqual(r.status, 409)
        finally:
            second.stop()


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

        threads = [threading.Thread(target=client, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        server.kill()
        self.assertGreater(len(confirmed), 20, "the load should have booked something")

        restarted = Server(db=server.db, args=["--rate-limit", "0"]).start()
        try:
            db = sqlite3.connect(restarted.db)
            stored = {row[0] for row in db.execute("SELECT id FROM bookings")}
            db.close()
            missing = [b for b in confirmed if b not in stored]
            self.assertEqual(missing, [], f"{len(missing)} of {len(confirmed)} answered bookings lost")
            r = restarted.staff("GET", f"/api/calendar/appointments/{confirmed[-1]}")
            self.assertEqual(r.status, 200)
        finally:
            restarted.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
