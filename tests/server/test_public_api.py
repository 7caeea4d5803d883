"""Public patient/widget endpoints: clinic info, snapshot, booking and its error paths,
idempotency, CORS, rate limit, body cap, static files."""

import gzip
import hashlib
import json
import os
import re
import tempfile
import unittest
from datetime import datetime, timedelta, timezone

from harness import (Server, booking_body, db_bytes, db_rows, future_date, server_now,
                     shared_server, snapshot_busy, today_local, unix_seconds,
                     utc_instant)

ORIGIN = "https://clinic.example"


def server_args():
    web = tempfile.mkdtemp(prefix="slotbook-web-")
    os.makedirs(os.path.join(web, "demo"))
    with open(os.path.join(web, "booking-widget.js.gz"), "wb") as f:
        f.write(gzip.compress(b"console.log('widget');"))
    with open(os.path.join(web, "booking-widget.js.br"), "wb") as f:
        f.write(b"pretend-brotli")
    for name, content in {"booking-widget.js": "console.log('widget');",
                          "slot-engine.wasm": "\0asm", "slot-engine.0123abcd.js": "hashed",
                          "demo/index.html": "<html>demo</html>"}.items():
        with open(os.path.join(web, name), "w") as f:
            f.write(content)
    return ["--allow-origin", ORIGIN, "--web-root", web, "--rate-limit", "0"]


server, setUpModule, _ = shared_server(args=server_args)


def tearDownModule():
    assert server.stop() == 0, "server must exit 0 on SIGTERM"


class ClinicAndSnapshot(unittest.TestCase):
    def test_healthz(self):
        r = server.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})

    def test_clinic_info(self):
        r = server.get("/api/v1/clinics/testclinic")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["clinic"]["timezone"], "America/New_York")
        self.assertEqual([t["id"] for t in body["appointment_types"]],
                         ["consultation", "follow-up", "therapy"])
        self.assertEqual([p["id"] for p in body["practitioners"]], ["dr-a", "dr-b", "dr-weekday"])
        r = server.get("/api/v1/clinics/nope")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"]["code"], "clinic_not_found")

    def test_snapshot_busy_etag_and_no_patient_data(self):
        r = server.get("/api/v1/clinics/testclinic/snapshot")
        self.assertEqual(r.status, 200, r)
        snap = r.json()
        self.assertIn("zone_rules", snap)
        self.assertEqual(snap["clinic"]["id"], "testclinic")
        etag = r.header("ETag")
        self.assertTrue(etag and etag.startswith('"'))
        self.assertEqual(server.get("/api/v1/clinics/testclinic/snapshot",
                                    {"If-None-Match": etag}).status, 304)
        day = future_date(3)
        start = utc_instant(day, "11:00")
        b = server.post("/api/v1/bookings", booking_body(start, name="Zelda Secretname",
                                                         email="zelda@secret.example"))
        self.assertEqual(b.status, 201, b)
        r2 = server.get("/api/v1/clinics/testclinic/snapshot", {"If-None-Match": etag})
        self.assertEqual(r2.status, 200, "a booking must change the snapshot")
        self.assertNotEqual(r2.header("ETag"), etag)
        busy = snapshot_busy(r2.json())
        end_with_buffer = (datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ") +
                           timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertIn({"practitioner_id": "dr-a", "start": start, "end": end_with_buffer}, busy)
        self.assertNotIn(b"Zelda", r2.body)
        self.assertNotIn(b"secret.example", r2.body)
        self.assertEqual(server.get("/api/v1/clinics/nope/snapshot").json()["error"]["code"],
                         "clinic_not_found")


class Booking(unittest.TestCase):
    def test_created_answer_and_stored_token_hash(self):
        day = future_date(4)
        start = utc_instant(day, "09:00")
        r = server.post("/api/v1/bookings", booking_body(start))
        self.assertEqual(r.status, 201, r)
        b = r.json()["booking"]
        for key in ["id", "status", "confirmation_number", "clinic_id", "appointment_type",
                    "practitioner_id", "practitioner_name", "start", "end", "timezone",
                    "manage_token", "manage_url", "ics_url"]:
            self.assertIn(key, b)
        self.assertEqual(b["status"], "confirmed")
        self.assertEqual(b["start"], start)
        self.assertRegex(b["confirmation_number"], r"^CP-%s-[0-9A-Z]{4}$" % day.strftime("%Y%m%d"))
        self.assertGreaterEqual(len(b["manage_token"]), 22)  # >= 128 bits of base64url
        self.assertEqual(b["ics_url"], f"/api/v1/bookings/{b['id']}.ics?token={b['manage_token']}")
        rows = db_rows(server.db, "SELECT manage_token_hash FROM bookings WHERE id = ?", (b["id"],))
        self.assertEqual(rows, [(hashlib.sha256(b["manage_token"].encode()).hexdigest(),)])
        # Nowhere at rest: not in the SQLite file and its WAL, not in a dump of PostgreSQL.
        self.assertNotIn(b["manage_token"].encode(), db_bytes(server.db))

    def test_conflict_is_409_with_engine_reason(self):
        start = utc_instant(future_date(5), "10:00")
        self.assertEqual(server.post("/api/v1/bookings", booking_body(start)).status, 201)
        r = server.post("/api/v1/bookings", booking_body(start, name="Second"))
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"], {**r.json()["error"], "code": "slot_unavailable",
                                             "reason": "conflict"})
        # Buffer: consultation keeps 10 minutes after, so 10:30 overlaps; 11:00 is free.
        r = server.post("/api/v1/bookings", booking_body(utc_instant(future_date(5), "10:30")))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"))
        self.assertEqual(server.post("/api/v1/bookings",
                                     booking_body(utc_instant(future_date(5), "11:00"))).status, 201)

    def test_engine_refusals(self):
        now = server_now().replace(second=0, microsecond=0)
        cases = {
            "in_past": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "too_soon": (now + timedelta(minutes=60)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "too_far": utc_instant(today_local() + timedelta(days=120), "10:00"),
            "outside_hours": utc_instant(future_date(6), "03:00"),
            "off_grid": utc_instant(future_date(6), "10:10"),
        }
        for reason, start in cases.items():
            r = server.post("/api/v1/bookings", booking_body(start))
            self.assertEqual((r.status, r.json()["error"].get("reason")), (409, reason), reason)

    def test_weekday_hours(self):
        saturday = future_date(2, weekday=5)
        monday = future_date(2, weekday=0)
        r = server.post("/api/v1/bookings", booking_body(utc_instant(saturday, "10:00"),
                                                         practitioner="dr-weekday", type_="therapy"))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "outside_hours"))
        r = server.post("/api/v1/bookings", booking_body(utc_instant(monday, "10:00"),
                                                         practitioner="dr-weekday", type_="therapy"))
        self.assertEqual(r.status, 201, r)

    def test_unknown_things_are_404(self):
        start = utc_instant(future_date(7), "10:00")
        for body in [booking_body(start, clinic="nope"), booking_body(start, type_="massage"),
                     booking_body(start, practitioner="dr-zzz"),
                     booking_body(start, practitioner="dr-b", type_="therapy")]:
            r = server.post("/api/v1/bookings", body)
            self.assertEqual(r.status, 404, (body, r))
            self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_field_errors(self):
        r = server.post("/api/v1/bookings", "{not json")
        self.assertEqual((r.status, r.json()["error"]["code"]), (400, "invalid_json"))
        r = server.post("/api/v1/bookings", [1, 2])
        self.assertEqual(r.status, 422)
        r = server.post("/api/v1/bookings", {"clinic_id": "testclinic"})
        self.assertEqual(r.status, 422)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        for field in ["appointment_type", "start", "patient"]:
            self.assertIn(field, err["fields"])
        start = utc_instant(future_date(8), "10:00")
        bad = [
            (booking_body(start, email="not-an-email"), "patient.email"),
            (booking_body(start, name="x" * 256), "patient.name"),
            (booking_body(start, name="   "), "patient.name"),
            (booking_body("tomorrow at 10"), "start"),
            (booking_body("2026-12-01T14:00Z"), "start"),
            (booking_body(start, notes=5), "notes"),
            ({**booking_body(start), "patient": {"name": "No Contact"}}, "patient.email"),
        ]
        for body, field in bad:
            r = server.post("/api/v1/bookings", body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertIn(field, r.json()["error"]["fields"], r)
        # A name of 255 characters (multi-byte) is fine.
        r = server.post("/api/v1/bookings", booking_body(start, name="é" * 255))
        self.assertEqual(r.status, 201, r)

    def test_patient_language_is_kept_with_the_booking(self):
        # The widget sends the language it speaks; the clinic's messages use it later.
        day = future_date(9)
        spanish = booking_body(utc_instant(day, "10:00"))
        spanish["patient"]["language"] = "es-MX"
        r = server.post("/api/v1/bookings", spanish)
        self.assertEqual(r.status, 201, r)
        booking = r.json()["booking"]
        shown = server.get(f"/api/v1/bookings/{booking['id']}?token={booking['manage_token']}")
        self.assertEqual(shown.json()["booking"]["patient"]["language"], "es-MX")
        self.assertEqual(db_rows(server.db, "SELECT patient_language FROM bookings WHERE id = ?",
                                 (booking["id"],)), [("es-MX",)])
        # Without one (an older widget, a partner): not known, not guessed.
        booking = server.post("/api/v1/bookings", booking_body(utc_instant(day, "11:00"))).json()["booking"]
        shown = server.get(f"/api/v1/bookings/{booking['id']}?token={booking['manage_token']}")
        self.assertIsNone(shown.json()["booking"]["patient"]["language"])
        for bad in ("e", "english!", "es_MX", "es-", "x" * 36, 5):
            body = booking_body(utc_instant(day, "12:00"))
            body["patient"]["language"] = bad
            r = server.post("/api/v1/bookings", body)
            self.assertEqual(r.status, 422, (bad, r))
            self.assertIn("patient.language", r.json()["error"]["fields"], r)

    def test_body_cap(self):
        r = server.post("/api/v1/bookings", b"{" + b" " * (70 * 1024) + b"}",
                        {"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)
        self.assertEqual(r.json()["error"]["code"], "payload_too_large")

    def test_idempotency_key(self):
        start = utc_instant(future_date(9), "13:00")
        body = booking_body(start)
        first = server.post("/api/v1/bookings", body, {"Idempotency-Key": "key-1"})
        again = server.post("/api/v1/bookings", body, {"Idempotency-Key": "key-1"})
        self.assertEqual(first.status, 201)
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(db_rows(server.db, "SELECT COUNT(*) FROM bookings WHERE start_utc = ?",
                                 (unix_seconds(start),)), [(1,)])
        other = server.post("/api/v1/bookings", booking_body(utc_instant(future_date(9), "14:00")),
                            {"Idempotency-Key": "key-1"})
        self.assertEqual((other.status, other.json()["error"]["code"]),
                         (422, "idempotency_key_reused"))
        # A refused answer is replayed too.
        taken = server.post("/api/v1/bookings", booking_body(start, name="B"), {"Idempotency-Key": "k2"})
        self.assertEqual(taken.status, 409)
        self.assertEqual(server.post("/api/v1/bookings", booking_body(start, name="B"),
                                     {"Idempotency-Key": "k2"}).body, taken.body)

    def test_any_spreads_load_fairly(self):
        day = future_date(10)
        got = []
        for hh in ["08:00", "09:00", "10:00", "11:00"]:
            r = server.post("/api/v1/bookings", booking_body(utc_instant(day, hh), practitioner="any"))
            self.assertEqual(r.status, 201, r)
            got.append(r.json()["booking"]["practitioner_id"])
        self.assertEqual(sorted(got), ["dr-a", "dr-a", "dr-b", "dr-b"], got)

    def test_absent_practitioner_means_any(self):
        body = booking_body(utc_instant(future_date(11), "15:00"))
        del body["practitioner_id"]
        r = server.post("/api/v1/bookings", body)
        self.assertEqual(r.status, 201, r)


class HttpBehaviour(unittest.TestCase):
    def test_cors(self):
        r = server.get("/api/v1/clinics/testclinic/snapshot", {"Origin": ORIGIN})
        self.assertEqual(r.header("Access-Control-Allow-Origin"), ORIGIN)
        r = server.get("/api/v1/clinics/testclinic/snapshot", {"Origin": "https://evil.example"})
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))
        r = server.request("OPTIONS", "/api/v1/bookings",
                           headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
        self.assertEqual(r.status, 204)
        self.assertIn("POST", r.header("Access-Control-Allow-Methods"))
        self.assertIn("Idempotency-Key", r.header("Access-Control-Allow-Headers"))
        r = server.request("GET", "/api/calendar/appointments",
                           headers={"Origin": ORIGIN, "X-API-Key": "test-key-0123456789"})
        self.assertIsNone(r.header("Access-Control-Allow-Origin"), "staff API has no CORS")

    def test_json_compression(self):
        plain = server.get("/api/v1/clinics/testclinic/snapshot")
        r = server.get("/api/v1/clinics/testclinic/snapshot", {"Accept-Encoding": "gzip"})
        self.assertEqual(r.header("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(r.body), plain.body)
        self.assertEqual(r.header("ETag"), plain.header("ETag"))
        r = server.get("/api/v1/clinics/testclinic/snapshot", {"Accept-Encoding": "br"})
        self.assertEqual(r.header("Content-Encoding"), "br")
        self.assertLess(len(r.body), len(plain.body))
        r = server.staff("GET", "/api/calendar/clinic", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(json.loads(gzip.decompress(r.body))["success"], True)
        r = server.post("/api/v1/bookings", {"clinic_id": "testclinic"}, {"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 422)
        body = gzip.decompress(r.body) if r.header("Content-Encoding") == "gzip" else r.body
        self.assertEqual(json.loads(body)["error"]["code"], "validation_failed")

    def test_unknown_endpoint_is_json_404(self):
        r = server.get("/nope/nothing")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_static_files(self):
        r = server.get("/widget/booking-widget.js")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/javascript"))
        self.assertEqual(r.header("Cache-Control"), "no-cache")
        self.assertEqual(server.get("/widget/booking-widget.js",
                                    {"If-None-Match": r.header("ETag")}).status, 304)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        self.assertIsNone(r.header("Content-Encoding"))
        # Precompressed siblings are sent as they are, brotli first.
        r = server.get("/widget/booking-widget.js", {"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((r.header("Content-Encoding"), r.body), ("br", b"pretend-brotli"))
        r = server.get("/widget/booking-widget.js", {"Accept-Encoding": "gzip"})
        self.assertEqual(r.header("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(r.body), b"console.log('widget');")
        self.assertIn("Accept-Encoding", r.header("Vary"))
        r = server.get("/widget/slot-engine.wasm")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "application/wasm"))
        r = server.get("/widget/slot-engine.0123abcd.js")
        self.assertIn("immutable", r.header("Cache-Control"))
        r = server.get("/")
        self.assertEqual((r.status, r.body), (200, b"<html>demo</html>"))
        self.assertEqual(server.get("/manage").status, 404)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), None)
        self.assertEqual(server.get("/widget/missing.js").status, 404)
        self.assertEqual(server.get("/widget/../harness.py").status, 404)
        self.assertEqual(server.get("/widget/%2e%2e/%2e%2e/etc/passwd").status, 404)


class RateLimit(unittest.TestCase):
    def test_booking_posts_are_limited_per_client(self):
        limited = Server(args=["--rate-limit", "3"]).start()
        try:
            statuses = []
            for i in range(5):
                r = limited.post("/api/v1/bookings",
                                 booking_body(utc_instant(future_date(12), "%02d:00" % (8 + i))))
                statuses.append(r.status)
                if r.status == 429:
                    self.assertEqual(r.json()["error"]["code"], "rate_limited")
                    self.assertGreaterEqual(int(r.header("Retry-After")), 1)
            self.assertEqual(statuses, [201, 201, 201, 429, 429])
            self.assertEqual(limited.get("/api/v1/clinics/testclinic/snapshot").status, 200,
                             "GETs are not limited")
        finally:
            limited.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
