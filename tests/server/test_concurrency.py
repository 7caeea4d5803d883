"""No double booking, ever: concurrent clients racing for one slot."""

import threading
import unittest

from harness import booking_body, db_rows, future_date, shared_server, unix_seconds, utc_instant

server, setUpModule, tearDownModule = shared_server(args=["--rate-limit", "0", "--threads", "64"])
CLIENTS = 50


def race(body_for):
    """CLIENTS threads post at the same moment; returns [(status, json)]."""
    barrier = threading.Barrier(CLIENTS, timeout=30)
    results = [None] * CLIENTS

    def client(i):
        barrier.wait()
        try:
            r = server.post("/api/v1/bookings", body_for(i))
            results[i] = (r.status, r.json())
        except Exception as e:  # recorded, fails the test below
            results[i] = (0, repr(e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def rows_at(start):
    return db_rows(server.db, "SELECT practitioner_id FROM bookings WHERE start_utc = ?"
                              " AND status <> 'cancelled'", (unix_seconds(start),))


class Race(unittest.TestCase):
    def test_fifty_clients_one_slot(self):
        start = utc_instant(future_date(5), "10:00")
        results = race(lambda i: booking_body(start, name=f"Client {i}", email=f"c{i}@example.com"))
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses, [201] + [409] * (CLIENTS - 1), results)
        for status, body in results:
            if status == 409:
                self.assertEqual(body["error"]["reason"], "conflict")
        self.assertEqual(rows_at(start), [("dr-a",)])

    def test_fifty_clients_any_two_practitioners(self):
        start = utc_instant(future_date(6), "10:00")
        results = race(lambda i: booking_body(start, practitioner="any", name=f"Any {i}",
                                              email=f"a{i}@example.com"))
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses, [201, 201] + [409] * (CLIENTS - 2), results)
        assigned = sorted(b["booking"]["practitioner_id"] for s, b in results if s == 201)
        self.assertEqual(assigned, ["dr-a", "dr-b"])
        self.assertEqual(sorted(rows_at(start)), [("dr-a",), ("dr-b",)])

    def test_overlapping_different_starts(self):
        # Therapy (60 min) at 14:00 and follow-ups at 14:15/14:30/14:45 all need dr-a.
        day = future_date(7)
        bodies = [booking_body(utc_instant(day, "14:00"), type_="therapy")] + [
            booking_body(utc_instant(day, hh), type_="follow-up")
            for hh in ["14:15", "14:30", "14:45"]]
        results = race(lambda i: bodies[i % len(bodies)])
        winners = sorted((b["booking"]["start"], b["booking"]["end"])
                         for s, b in results if s == 201)
        self.assertEqual(sum(1 for s, _ in results if s in (201, 409)), CLIENTS, results)
        # Either the therapy won alone, or the three (mutually compatible) follow-ups did.
        self.assertIn(len(winners), (1, 3), winners)
        for (_, end), (next_start, _) in zip(winners, winners[1:]):
            self.assertLessEqual(end, next_start, f"overlapping bookings: {winners}")

if __name__ == "__main__":
    unittest.main(verbosity=2)
