"""Holds (a patient's short reservation of a slot while they type) and the clinic's intake
questions, on both storage backends: a hold occupies its time for everyone else (snapshot,
listings, bookings, other holds), a booking with its own hold consumes it, renewals are
bounded, an expired hold is simply gone; answers are checked against the questions of the
moment and shown to staff and the patient, never in the snapshot."""

import json
import unittest
from datetime import datetime, timedelta, timezone

from harness import (POSTGRES, Server, booking_body, db_rows, future_date, snapshot_busy,
                     utc_instant, wait_until)

DAY = future_date(3)


def hold_body(start, practitioner="dr-a", type_="consultation", clinic="testclinic"):
    return {"clinic_id": clinic, "appointment_type": type_, "practitioner_id": practitioner,
            "start": start}


def parse(instant):
    return datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def busy_of(server, practitioner):
    snapshot = server.get("/api/v1/clinics/testclinic/snapshot").json()
    return {(b["start"], b["end"]) for b in snapshot_busy(snapshot) if b["practitioner_id"] == practitioner}


def free_starts(server, day, practitioner="dr-a", type_="consultation"):
    r = server.staff("POST", "/api/calendar/check-availability",
                     {"date": day.isoformat(), "appointment_type": type_,
                      "practitioner_id": practitioner})
    assert r.status == 200, r
    return {s["start"] for s in r.json()["available_slots"]}


def put_config(server, change):
    config = server.staff("GET", "/api/calendar/clinic").json()["clinic"]
    change(config)
    return server.staff("PUT", "/api/calendar/clinic", config)


class Holds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--rate-limit", "0", "--allow-origin", "https://clinic.example"],
                            movable_clock=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def hold(self, start, **kw):
        r = self.server.post("/api/v1/holds", hold_body(start, **kw))
        self.assertEqual(r.status, 201, r)
        return r.json()["hold"]

    def test_a_hold_occupies_its_time_for_everyone_else(self):
        start = utc_instant(DAY, "09:00")
        self.assertIn(start, free_starts(self.server, DAY))
        r = self.server.post("/api/v1/holds", hold_body(start))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        hold = r.json()["hold"]
        self.assertEqual(set(hold), {"id", "token", "practitioner_id", "start", "end",
                                     "expires_at", "renewals_left"})
        self.assertEqual((hold["practitioner_id"], hold["start"], hold["renewals_left"]),
                         ("dr-a", start, 2))
        self.assertEqual(parse(hold["end"]) - parse(start), timedelta(minutes=30))
        lifetime = parse(hold["expires_at"]) - self.server.clock_now()
        self.assertTrue(timedelta(minutes=4) < lifetime <= timedelta(minutes=5, seconds=2),
                        lifetime)
        # The snapshot's busy (with the type's 10-minute buffer), the listing, a booking
        # and another hold all see it.
        self.assertIn((start, utc_instant(DAY, "09:40")), busy_of(self.server, "dr-a"))
        self.assertNotIn(start, free_starts(self.server, DAY))
        r = self.server.post("/api/v1/bookings", booking_body(start))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"), r)
        r = self.server.post("/api/v1/holds", hold_body(start))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"), r)
        # The stored hold has no patient data and only the token's hash.
        rows = db_rows(self.server.db, "SELECT * FROM holds WHERE id = ?", (hold["id"],))
        self.assertEqual(len(rows), 1)
        self.assertNotIn(hold["token"], json.dumps([list(map(str, row)) for row in rows]))

    def test_a_booking_with_its_hold_consumes_it(self):
        start = utc_instant(DAY, "10:00")
        hold = self.hold(start)
        r = self.server.post("/api/v1/bookings", booking_body(
            start, hold_id=hold["id"], hold_token=hold["token"]))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(db_rows(self.server.db, "SELECT id FROM holds WHERE id = ?",
                                 (hold["id"],)), [])
        r = self.server.request("DELETE", f"/api/v1/holds/{hold['id']}?token={hold['token']}")
        self.assertEqual((r.status, r.json()["error"]["code"]), (404, "hold_not_found"))

    def test_a_hold_for_any_fixes_the_practitioner(self):
        start = utc_instant(DAY, "11:00")
        hold = self.hold(start, practitioner="any")
        self.assertIn(hold["practitioner_id"], ("dr-a", "dr-b"))
        r = self.server.post("/api/v1/bookings", booking_body(
            start, practitioner="any", hold_id=hold["id"], hold_token=hold["token"]))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["booking"]["practitioner_id"], hold["practitioner_id"])

    def test_someone_elses_token_or_another_slot_does_not_use_the_hold(self):
        start = utc_instant(DAY, "12:00")
        hold = self.hold(start)
        for extra in ({"hold_id": hold["id"], "hold_token": "not-the-token"},
                      {"hold_id": "hold_000000000000000000000000", "hold_token": hold["token"]}):
            r = self.server.post("/api/v1/bookings", booking_body(start, **extra))
            self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"), extra)
        # The hold's token on another time books that time and leaves the hold alone.
        r = self.server.post("/api/v1/bookings", booking_body(
            utc_instant(DAY, "17:00"), hold_id=hold["id"], hold_token=hold["token"]))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(len(db_rows(self.server.db, "SELECT id FROM holds WHERE id = ?",
                                     (hold["id"],))), 1)
        r = self.server.post("/api/v1/bookings", booking_body(start, hold_id=hold["id"]))
        self.assertEqual((r.status, list(r.json()["error"]["fields"])), (422, ["hold_token"]))

    def test_release_frees_the_time(self):
        start = utc_instant(DAY, "13:00")
        hold = self.hold(start)
        path = f"/api/v1/holds/{hold['id']}"
        r = self.server.request("DELETE", path + "?token=wrong")
        self.assertEqual(r.status, 404, r)
        self.assertNotIn(start, free_starts(self.server, DAY))
        r = self.server.request("DELETE", path + f"?token={hold['token']}")
        self.assertEqual(r.status, 204, r)
        self.assertIn(start, free_starts(self.server, DAY))
        self.assertNotIn(start, {s for s, _ in busy_of(self.server, "dr-a")})
        self.assertEqual(self.server.request("DELETE", path + f"?token={hold['token']}").status,
                         404)

    def test_renewals_are_bounded(self):
        hold = self.hold(utc_instant(DAY, "14:00"))
        path = f"/api/v1/holds/{hold['id']}/renew?token={hold['token']}"
        self.assertEqual(self.server.post(f"/api/v1/holds/{hold['id']}/renew?token=x").status,
                         404)
        self.server.advance_clock(120)
        for left in (1, 0):
            r = self.server.post(path)
            self.assertEqual(r.status, 200, r)
            renewed = r.json()["hold"]
            self.assertEqual((renewed["id"], renewed["renewals_left"]), (hold["id"], left))
            self.assertGreater(parse(renewed["expires_at"]), parse(hold["expires_at"]))
        r = self.server.post(path)
        self.assertEqual((r.status, r.json()["error"]["code"]), (409, "renewal_limit_reached"))

    def test_an_expired_hold_is_simply_gone(self):
        start, other = utc_instant(DAY, "15:00"), utc_instant(DAY, "16:00")
        first, second = self.hold(start), self.hold(other)
        self.server.advance_clock(5 * 60 + 5)
        # The snapshot is rebuilt when its first hold runs out; the time is free again.
        wait_until(lambda: start not in {s for s, _ in busy_of(self.server, "dr-a")},
                   what="the expired hold to leave the snapshot")
        self.assertIn(start, free_starts(self.server, DAY))
        self.assertEqual(self.server.post(
            f"/api/v1/holds/{first['id']}/renew?token={first['token']}").status, 404)
        # Someone else takes the first time; its holder is then refused as anyone would be.
        r = self.server.post("/api/v1/bookings", booking_body(start, name="Second"))
        self.assertEqual(r.status, 201, r)
        r = self.server.post("/api/v1/bookings", booking_body(
            start, hold_id=first["id"], hold_token=first["token"]))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"))
        # The second hold's time is still free: its holder books it without the hold.
        r = self.server.post("/api/v1/bookings", booking_body(
            other, hold_id=second["id"], hold_token=second["token"]))
        self.assertEqual(r.status, 201, r)

    def test_the_snapshot_merges_touching_busy_time(self):
        # A 15-minute follow-up at 08:00, a hold of the next one at 08:15, a consultation
        # (10-minute buffer) at 09:30 after a gap: two runs in the snapshot.
        day = future_date(4)
        self.assertEqual(self.server.post("/api/v1/bookings", booking_body(
            utc_instant(day, "08:00"), type_="follow-up")).status, 201)
        self.hold(utc_instant(day, "08:15"), type_="follow-up")
        self.assertEqual(self.server.post("/api/v1/bookings", booking_body(
            utc_instant(day, "09:30"))).status, 201)
        runs = sorted(b for b in busy_of(self.server, "dr-a") if b[0].startswith(
            utc_instant(day, "08:00")[:10]))
        self.assertEqual(runs, [(utc_instant(day, "08:00"), utc_instant(day, "08:30")),
                                (utc_instant(day, "09:30"), utc_instant(day, "10:10"))])

    def test_bad_requests(self):
        for body, field in (({}, "clinic_id"),
                            (hold_body("tomorrow"), "start"),
                            ({**hold_body(utc_instant(DAY, "09:30")), "clinic_id": 7},
                             "clinic_id")):
            r = self.server.post("/api/v1/holds", body)
            self.assertEqual(r.status, 422, r)
            self.assertIn(field, r.json()["error"]["fields"])
        r = self.server.post("/api/v1/holds", hold_body(utc_instant(DAY, "09:30"),
                                                        clinic="nowhere"))
        self.assertEqual(r.status, 404, r)
        r = self.server.post("/api/v1/holds", hold_body(utc_instant(DAY, "03:00")))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "outside_hours"))
        r = self.server.request("DELETE", "/api/v1/holds/not-a-hold?token=x")
        self.assertEqual(r.status, 404, r)
        r = self.server.request("OPTIONS", "/api/v1/holds/hold_0", headers={
            "Origin": "https://clinic.example", "Access-Control-Request-Method": "DELETE"})
        self.assertIn("DELETE", r.header("Access-Control-Allow-Methods") or "")


class HoldRules(unittest.TestCase):
    def test_hold_minutes_configures_and_turns_off(self):
        server = Server(args=["--rate-limit", "0"]).start()
        try:
            for bad in (-1, 31, "5", 2.5):
                r = put_config(server, lambda c: c["rules"].update(hold_minutes=bad))
                self.assertEqual(r.status, 422, (bad, r))
                self.assertIn("hold_minutes", r.json()["details"])
            self.assertEqual(put_config(server, lambda c: c["rules"].update(hold_minutes=2))
                             .status, 200)
            hold = server.post("/api/v1/holds", hold_body(utc_instant(DAY, "09:00"))).json()["hold"]
            self.assertEqual(parse(hold["expires_at"]) - parse(hold["start"]) < timedelta(days=9),
                             True)
            snapshot = server.get("/api/v1/clinics/testclinic/snapshot").json()
            self.assertEqual(snapshot["rules"]["hold_minutes"], 2)
            self.assertEqual(put_config(server, lambda c: c["rules"].update(hold_minutes=0))
                             .status, 200)
            r = server.post("/api/v1/holds", hold_body(utc_instant(DAY, "10:00")))
            self.assertEqual((r.status, r.json()["error"]["code"]), (409, "holds_disabled"))
        finally:
            server.stop()

    def test_expired_holds_are_pruned(self):
        server = Server(args=["--rate-limit", "0"], movable_clock=True).start()
        try:
            server.post("/api/v1/holds", hold_body(utc_instant(DAY, "09:00")))
            self.assertEqual(len(db_rows(server.db, "SELECT id FROM holds")), 1)
            later = server.clock_now() + timedelta(minutes=6)
            server.stop()
            # The pruning task runs at start and every minute.
            server = Server(db=server.db, args=["--rate-limit", "0"], fake_start=later).start()
            self.assertEqual(db_rows(server.db, "SELECT id FROM holds"), [])
        finally:
            server.stop()

    @unittest.skipUnless(POSTGRES, "several processes share one database on PostgreSQL")
    def test_a_hold_is_seen_by_every_process(self):
        first = Server(args=["--rate-limit", "0"]).start()
        second = Server(db=first.db, args=["--rate-limit", "0"]).start()
        try:
            start = utc_instant(DAY, "11:00")
            busy_of(second, "dr-a")  # cached before the hold
            hold = first.post("/api/v1/holds", hold_body(start)).json()["hold"]
            wait_until(lambda: start in {s for s, _ in busy_of(second, "dr-a")},
                       what="the other process's snapshot to show the hold")
            r = second.post("/api/v1/bookings", booking_body(start))
            self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"))
            r = second.post("/api/v1/bookings", booking_body(
                start, hold_id=hold["id"], hold_token=hold["token"]))
            self.assertEqual(r.status, 201, r)
        finally:
            second.stop()
            first.stop()


QUESTIONS = [
    {"id": "reason", "label": {"en": "Reason for visit", "es": "Motivo de la visita"},
     "type": "select", "required": True,
     "options": [{"value": "checkup", "label": {"en": "Check-up", "es": "Revisión"}},
                 {"value": "pain", "label": "Pain"}]},
    {"id": "dob", "label": "Date of birth", "type": "date", "required": True, "past_only": True},
    {"id": "insurer", "label": "Insurer", "type": "text", "max_length": 20},
    {"id": "details", "label": "Anything else?", "type": "textarea"},
    {"id": "consent", "label": "I agree to the clinic's privacy notice", "type": "checkbox",
     "required": True},
    {"id": "therapy_goal", "label": "Goal of the therapy", "type": "text", "required": True,
     "appointment_types": ["therapy"]},
]

GOOD = {"reason": "checkup", "dob": "1980-02-29", "insurer": "Acme Health", "consent": True}


class IntakeQuestions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--rate-limit", "0"]).start()

        def change(config):
            config["questions"] = QUESTIONS
            config["appointment_types"][0]["name"] = {"en": "Consultation", "es": "Consulta"}
            config["practitioners"][0]["name"] = {"en": "Dr. A", "es": "Dra. A"}
        r = put_config(cls.server, change)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def book(self, hh, answers, **kw):
        return self.server.post("/api/v1/bookings", booking_body(
            utc_instant(future_date(5), hh), answers=answers, **kw))

    def test_the_configuration_is_checked_whole(self):
        broken = [
            [{"id": "a", "label": "A", "type": "rating"}],
            [{"id": "a", "label": "A", "type": "text"}, {"id": "a", "label": "B", "type": "text"}],
            [{"id": "a", "label": "A", "type": "select"}],
            [{"id": "a", "label": "A", "type": "select", "options": []}],
            [{"id": "a", "label": "A", "type": "text", "appointment_types": ["massage"]}],
            [{"id": "a b", "label": "A", "type": "text"}],
            [{"id": "a", "type": "text"}],
            [{"id": "a", "label": {"english": "A"}, "type": "text"}],
            [{"id": "a", "label": "A", "type": "text", "max_length": 0}],
            [{"id": "a", "label": "A", "type": "checkbox", "options": [{"value": "x"}]}],
            {"id": "a"},
        ]
        for questions in broken:
            r = put_config(self.server, lambda c: c.update(questions=questions))
            self.assertEqual((r.status, r.json()["code"]), (422, "invalid_clinic_config"),
                             questions)
            self.assertIn("questions", r.json()["details"])
        r = put_config(self.server, lambda c: c["practitioners"][1].update(name={"en": ""}))
        self.assertEqual(r.status, 422, r)
        # Nothing was stored: the good questions are still there.
        stored = self.server.staff("GET", "/api/calendar/clinic").json()["clinic"]["questions"]
        self.assertEqual([q["id"] for q in stored], [q["id"] for q in QUESTIONS])

    def test_answers_are_checked_against_the_questions(self):
        cases = [
            ({}, {"answers.reason", "answers.dob", "answers.consent"}),
            ({**GOOD, "reason": "other"}, {"answers.reason"}),
            ({**GOOD, "dob": "2999-01-01"}, {"answers.dob"}),
            ({**GOOD, "dob": "1980-02-30"}, {"answers.dob"}),
            ({**GOOD, "insurer": "x" * 21}, {"answers.insurer"}),
            ({**GOOD, "consent": False}, {"answers.consent"}),
            ({**GOOD, "consent": "yes"}, {"answers.consent"}),
            ({**GOOD, "insurer": 7}, {"answers.insurer"}),
            ({**GOOD, "favourite_colour": "blue"}, {"answers.favourite_colour"}),
            ({**GOOD, "therapy_goal": "sleep"}, {"answers.therapy_goal"}),
        ]
        for answers, fields in cases:
            r = self.book("09:00", answers)
            self.assertEqual(r.status, 422, (answers, r))
            self.assertEqual(set(r.json()["error"]["fields"]), fields, answers)
        r = self.book("09:00", ["checkup"])
        self.assertEqual((r.status, list(r.json()["error"]["fields"])), (422, ["answers"]))
        # Another type asks its own questions only.
        r = self.book("10:00", {**GOOD, "therapy_goal": ""}, type_="therapy")
        self.assertEqual(set(r.json()["error"]["fields"]), {"answers.therapy_goal"})

    def test_answers_reach_staff_and_the_patient_never_the_snapshot(self):
        r = self.book("11:00", {**GOOD, "details": "Knee hurts when climbing stairs"},
                      patient={"name": "Ana", "email": "ana@example.com", "language": "es"})
        self.assertEqual(r.status, 201, r)
        booking = r.json()["booking"]
        self.assertEqual(booking["practitioner_name"], "Dra. A")
        patient_view = {a["id"]: (a["label"], a["value"], a["text"]) for a in booking["answers"]}
        self.assertEqual(patient_view, {
            "reason": ("Motivo de la visita", "checkup", "Revisión"),
            "dob": ("Date of birth", "1980-02-29", "1980-02-29"),
            "insurer": ("Insurer", "Acme Health", "Acme Health"),
            "details": ("Anything else?", "Knee hurts when climbing stairs",
                        "Knee hurts when climbing stairs"),
            "consent": ("I agree to the clinic's privacy notice", True, "Sí"),
        })
        token = booking["manage_token"]
        manage = self.server.get(f"/api/v1/bookings/{booking['id']}?token={token}").json()
        self.assertEqual(manage["booking"]["answers"], booking["answers"])
        self.assertEqual(manage["booking"]["appointment_type_name"], "Consulta")
        staff = self.server.staff("GET", f"/api/calendar/appointments/{booking['id']}").json()
        staff_view = {a["id"]: (a["label"], a["text"]) for a in staff["appointment"]["answers"]}
        self.assertEqual(staff_view["reason"], ("Reason for visit", "Check-up"))
        self.assertEqual(staff_view["consent"][1], "Yes")
        self.assertEqual(staff["appointment"]["practitioner_name"], "Dr. A")
        # The stored question survives the clinic changing it.
        r = put_config(self.server, lambda c: c["questions"][0]["label"].update(en="Why?"))
        self.assertEqual(r.status, 200, r)
        staff = self.server.staff("GET", f"/api/calendar/appointments/{booking['id']}").json()
        self.assertEqual({a["id"]: a["label"] for a in staff["appointment"]["answers"]}["reason"],
                         "Reason for visit")
        # The snapshot carries the questions and names, never an answer.
        snapshot = self.server.get("/api/v1/clinics/testclinic/snapshot")
        self.assertNotIn(b"Knee hurts", snapshot.body)
        self.assertNotIn(b"Acme Health", snapshot.body)
        data = snapshot.json()
        self.assertEqual([q["id"] for q in data["questions"]], [q["id"] for q in QUESTIONS])
        self.assertEqual(data["appointment_types"][0]["name"], "Consultation")
        self.assertEqual(data["appointment_types"][0]["names"],
                         {"en": "Consultation", "es": "Consulta"})
        self.assertEqual(data["practitioners"][0]["names"]["es"], "Dra. A")
        # The domain event carries them for webhooks.
        payloads = db_rows(self.server.db, "SELECT payload FROM outbox WHERE booking_id = ?",
                           (booking["id"],))
        after = json.loads(payloads[0][0])["after"]
        self.assertEqual({a["id"] for a in after["answers"]},
                         {"reason", "dob", "insurer", "details", "consent"})

    def test_staff_bookings_need_not_answer(self):
        r = self.server.staff("POST", "/api/calendar/appointments", {
            "patient_name": "Phone Patient", "patient_phone": "+1 555 0100",
            "date": future_date(6).isoformat(), "time": "09:00",
            "appointment_type": "consultation", "practitioner_id": "dr-a"})
        self.assertEqual(r.status, 201, r)
        staff = self.server.staff("GET", f"/api/calendar/appointments/{r.json()['appointment_id']}")
        self.assertEqual(staff.json()["appointment"]["answers"], [])


if __name__ == "__main__":
    unittest.main()
