"""Manage by token: view, reschedule (same id, re-validated), cancel (frees the slot) and
the RFC 5545 file (stable UID, SEQUENCE per change, STATUS:CANCELLED)."""

import json
import re
import unittest
from datetime import timedelta

from harness import (ZONE, Server, booking_body, future_date, server_now, shared_server,
                     snapshot_busy, utc_instant)

server, setUpModule, tearDownModule = shared_server(args=["--rate-limit", "0"])


def create(day, hh, **kw):
    r = server.post("/api/v1/bookings", booking_body(utc_instant(day, hh), **kw))
    assert r.status == 201, r
    b = r.json()["booking"]
    return b["id"], b["manage_token"]


def ics_fields(text):
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    fields = {}
    for line in unfolded.split("\r\n"):
        if ":" in line:
            key, value = line.split(":", 1)
            fields.setdefault(key.split(";")[0], value)
    return fields


class Manage(unittest.TestCase):
    def test_view_needs_the_right_token(self):
        bid, token = create(future_date(3), "09:00", name="Viewer")
        r = server.get(f"/api/v1/bookings/{bid}?token={token}")
        self.assertEqual(r.status, 200, r)
        b = r.json()["booking"]
        self.assertEqual(b["patient"]["name"], "Viewer")
        self.assertNotIn("manage_token", b)
        self.assertIs(b["can_change"], True)
        for path in [f"/api/v1/bookings/{bid}?token=wrong", f"/api/v1/bookings/{bid}",
                     f"/api/v1/bookings/b_000000000000000000000000?token={token}",
                     f"/api/v1/bookings/{bid}.ics?token=wrong"]:
            r = server.get(path)
            self.assertEqual((r.status, r.json()["error"]["code"]), (404, "not_found"), path)

    def test_ics_reschedule_cancel_lifecycle(self):
        day = future_date(4)
        bid, token = create(day, "10:00")
        r = server.get(f"/api/v1/bookings/{bid}.ics?token={token}")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/calendar"))
        text = r.body.decode()
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        f = ics_fields(text)
        uid = f["UID"]
        self.assertEqual((f["SEQUENCE"], f["STATUS"], f["VERSION"]), ("0", "CONFIRMED", "2.0"))
        self.assertEqual(f["DTSTART"], utc_instant(day, "10:00").replace("-", "").replace(":", ""))

        # Reschedule to a taken slot: 409, unchanged.
        create(day, "13:00", name="Other")
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "13:00")})
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"))
        # Malformed: 422.
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}", {"start": "soon"})
        self.assertEqual(r.status, 422)
        # Off grid: 409 off_grid.
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "14:10")})
        self.assertEqual(r.json()["error"]["reason"], "off_grid")
        # Reschedule to a free slot: same id, new time, SEQUENCE 1, old slot freed.
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "15:00")})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["booking"]["id"], r.json()["booking"]["start"]),
                         (bid, utc_instant(day, "15:00")))
        f = ics_fields(server.get(f"/api/v1/bookings/{bid}.ics?token={token}").body.decode())
        self.assertEqual((f["UID"], f["SEQUENCE"]), (uid, "1"))
        create(day, "10:00", name="Takes the freed slot")
        # Moving within its own occupancy is allowed (it does not block itself).
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "15:30")})
        self.assertEqual(r.status, 200, r)

        # Cancel: status cancelled, STATUS:CANCELLED, slot free again.
        r = server.post(f"/api/v1/bookings/{bid}/cancel?token={token}", {"reason": "cannot come"})
        self.assertEqual((r.status, r.json()["booking"]["status"]), (200, "cancelled"))
        self.assertIs(r.json()["booking"]["can_change"], False)
        r = server.get(f"/api/v1/bookings/{bid}?token={token}")
        self.assertIs(r.json()["booking"]["can_change"], False)
        f = ics_fields(server.get(f"/api/v1/bookings/{bid}.ics?token={token}").body.decode())
        self.assertEqual((f["UID"], f["SEQUENCE"], f["STATUS"]), (uid, "3", "CANCELLED"))
        create(day, "15:30", name="After cancel")
        # Cancelling again is harmless; rescheduling a cancelled booking is refused.
        r = server.post(f"/api/v1/bookings/{bid}/cancel?token={token}")
        self.assertEqual((r.status, r.json()["booking"]["status"]), (200, "cancelled"))
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "16:30")})
        self.assertEqual((r.status, r.json()["error"]["code"]), (409, "invalid_state"))

    def test_reschedule_to_another_practitioner(self):
        day = future_date(5)
        bid, token = create(day, "09:00", practitioner="dr-a")
        r = server.post(f"/api/v1/bookings/{bid}/reschedule?token={token}",
                        {"start": utc_instant(day, "09:00"), "practitioner_id": "dr-b"})
        self.assertEqual((r.status, r.json()["booking"]["practitioner_id"]), (200, "dr-b"))
        r = server.post(f"/api/v1/bookings/{bid}/cancel?token={token}", "[1]")
        self.assertEqual(r.status, 422)

    def test_snapshot_forgets_cancelled(self):
        day = future_date(6)
        bid, token = create(day, "16:00")
        start = utc_instant(day, "16:00")
        busy = snapshot_busy(server.get("/api/v1/clinics/testclinic/snapshot").json())
        self.assertIn(start, [b["start"] for b in busy])
        server.post(f"/api/v1/bookings/{bid}/cancel?token={token}")
        busy = snapshot_busy(server.get("/api/v1/clinics/testclinic/snapshot").json())
        self.assertNotIn(start, [b["start"] for b in busy])


class ChangePolicy(unittest.TestCase):
    """The clinic's min_change_notice_minutes (per type overridable): patients change their
    own bookings through the manage link only until then; staff are not bound."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--rate-limit", "0"]).start()
        config = cls.server.staff("GET", "/api/calendar/clinic").json()["clinic"]
        config["rules"]["min_change_notice_minutes"] = 1440
        config["clinic"]["phone"] = "+1 212 555 0100"
        for t in config["appointment_types"]:
            if t["id"] == "follow-up":
                t["min_change_notice_minutes"] = 0
        r = cls.server.staff("PUT", "/api/calendar/clinic", config)
        assert r.status == 200, r
        cls.config = config

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def book(self, day, hh, type_="consultation"):
        r = self.server.post("/api/v1/bookings", booking_body(utc_instant(day, hh), type_=type_))
        self.assertEqual(r.status, 201, r)
        b = r.json()["booking"]
        return b["id"], b["manage_token"]

    def test_late_changes_are_refused_with_the_deadline_and_the_phone(self):
        today = server_now().astimezone(ZONE).date()
        bid, token = self.book(today, "15:00")  # in 6 hours: inside the 24-hour notice
        view = self.server.get(f"/api/v1/bookings/{bid}?token={token}").json()["booking"]
        self.assertIs(view["can_change"], False)
        self.assertEqual(view["clinic_phone"], "+1 212 555 0100")
        deadline = view["change_deadline"]
        self.assertEqual(deadline, utc_instant(today - timedelta(days=1),
                                               "15:00"))
        for path, body in ((f"/api/v1/bookings/{bid}/cancel?token={token}", {}),
                           (f"/api/v1/bookings/{bid}/reschedule?token={token}",
                            {"start": utc_instant(today, "16:00")})):
            r = self.server.post(path, body)
            self.assertEqual(r.status, 409, r)
            error = r.json()["error"]
            self.assertEqual((error["code"], error["deadline"], error["clinic_phone"]),
                             ("too_late_to_change", deadline, "+1 212 555 0100"))
        # Nothing changed; staff may still cancel.
        self.assertEqual(self.server.get(f"/api/v1/bookings/{bid}?token={token}")
                         .json()["booking"]["status"], "confirmed")
        r = self.server.staff("DELETE", f"/api/calendar/appointments/{bid}", {"reason": "called"})
        self.assertEqual(r.status, 200, r)

    def test_in_time_and_per_type_notice(self):
        bid, token = self.book(future_date(3), "11:00")
        self.assertIs(self.server.get(f"/api/v1/bookings/{bid}?token={token}")
                      .json()["booking"]["can_change"], True)
        self.assertEqual(self.server.post(f"/api/v1/bookings/{bid}/cancel?token={token}", {})
                         .status, 200)
        today = server_now().astimezone(ZONE).date()
        fid, ftoken = self.book(today, "16:00", type_="follow-up")  # its own notice: 0
        self.assertEqual(self.server.post(f"/api/v1/bookings/{fid}/cancel?token={ftoken}", {})
                         .status, 200)

    def test_a_bad_policy_is_refused(self):
        config = json.loads(json.dumps(self.config))
        config["rules"]["min_change_notice_minutes"] = -5
        r = self.server.staff("PUT", "/api/calendar/clinic", config)
        self.assertEqual((r.status, r.json()["code"]), (422, "invalid_clinic_config"))
        self.assertIn("rules.min_change_notice_minutes", r.json()["details"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
