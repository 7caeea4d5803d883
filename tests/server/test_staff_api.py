"""Staff endpoints (API key): availability, appointments (create, list, get, update,
status transitions, cancel, remind), raw events, clinic configuration."""

import json
import unittest

from harness import API_KEY, FIXTURE, future_date, utc_instant, shared_server

server, setUpModule, tearDownModule = shared_server(args=["--rate-limit", "0"])


def staff(method, path, body=None):
    return server.staff(method, path, body)


def create(day, hh, **extra):
    body = {"patient_name": "Staff Booked", "patient_phone": "+14155552671", "date": day.isoformat(),
            "time": hh, "appointment_type": "consultation", "practitioner_id": "dr-a"}
    body.update(extra)
    return staff("POST", "/api/calendar/appointments", body)


class Auth(unittest.TestCase):
    def test_key_required(self):
        self.assertEqual(server.get("/api/calendar/appointments").status, 401)
        r = server.get("/api/calendar/appointments", {"X-API-Key": "wrong"})
        self.assertEqual((r.status, r.json()["success"], r.json()["code"]),
                         (401, False, "unauthorized"))
        r = server.get("/api/calendar/appointments", {"Authorization": "Bearer " + API_KEY})
        self.assertEqual(r.status, 200)


class Availability(unittest.TestCase):
    def test_date(self):
        day = future_date(20)
        r = staff("POST", "/api/calendar/check-availability",
                  {"date": day.isoformat(), "appointment_type": "consultation"})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertTrue(body["success"])
        first = body["available_slots"][0]
        self.assertEqual((first["date"], first["time"], first["duration_minutes"]),
                         (day.isoformat(), "08:00", 30))
        self.assertEqual(first["practitioner_ids"], ["dr-a", "dr-b"])
        r = staff("POST", "/api/calendar/check-availability",
                  {"date": day.isoformat(), "duration_minutes": 60, "practitioner_id": "dr-b"})
        self.assertEqual([s["time"] for s in r.json()["available_slots"]][:2], ["08:00", "09:00"])
        r = staff("POST", "/api/calendar/check-availability", {"date": "18/02/2026"})
        self.assertEqual((r.status, r.json()["success"]), (400, False))
        self.assertIn("date", r.json()["fields"])

    def test_range(self):
        s, e = future_date(21), future_date(23)
        r = staff("POST", "/api/calendar/check-availability-range",
                  {"start_date": s.isoformat(), "end_date": e.isoformat(), "duration_minutes": 30})
        self.assertEqual(r.status, 200, r)
        results = r.json()["results"]
        self.assertEqual(len(results), 3)
        self.assertEqual((results[0]["date"], results[0]["first_available_time"]), (s.isoformat(), "08:00"))
        self.assertEqual(results[0]["available_count"], len(results[0]["available_slots"]))
        r = staff("POST", "/api/calendar/check-availability-range",
                  {"start_date": e.isoformat(), "end_date": s.isoformat()})
        self.assertEqual((r.status, r.json()["code"]), (400, "invalid_range"))
        r = staff("POST", "/api/calendar/check-availability-range",
                  {"start_date": s.isoformat(), "end_date": s.fromordinal(s.toordinal() + 91).isoformat()})
        self.assertEqual((r.status, r.json()["code"]), (400, "range_too_large"))


class Appointments(unittest.TestCase):
    def test_create_get_list(self):
        day = future_date(25)
        r = create(day, "09:00", notes="Patient has hypertension")
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertTrue(body["success"])
        self.assertRegex(body["confirmation_number"], r"^CP-%s-[0-9A-Z]{4}$" % day.strftime("%Y%m%d"))
        self.assertEqual((body["date"], body["time"], body["duration_minutes"]), (day.isoformat(), "09:00", 30))
        self.assertEqual(body["message"], f"Appointment confirmed for Staff Booked on {day.isoformat()} at 09:00")
        r = create(day, "09:00")
        self.assertEqual((r.status, r.json()["reason"]), (409, "conflict"))
        r = create(day, "09:00", date="2026/01/01")
        self.assertEqual(r.status, 400)
        appt = staff("GET", f"/api/calendar/appointments/{body['appointment_id']}").json()["appointment"]
        self.assertEqual((appt["patient_name"], appt["notes"], appt["status"], appt["reminder_sent"]),
                         ("Staff Booked", "Patient has hypertension", "confirmed", False))
        r = staff("GET", "/api/calendar/appointments/b_ffffffffffffffffffffffff")
        self.assertEqual((r.status, r.json()["error"]), (404, "Appointment not found"))

    def test_list_filters_and_pagination(self):
        day = future_date(26)
        for hh in ["08:00", "10:00", "12:00"]:
            self.assertEqual(create(day, hh, practitioner_id="dr-b", status="pending").status, 201)
        r = staff("GET", "/api/calendar/appointments?days=90&limit=2&skip=0&status=pending")
        body = r.json()
        self.assertEqual((body["count"], body["total"], body["limit"]), (2, 3, 2))
        r = staff("GET", "/api/calendar/appointments?days=90&limit=2&skip=2&status=pending")
        self.assertEqual(r.json()["count"], 1)
        r = staff("GET", "/api/calendar/appointments?days=1&status=pending")
        self.assertEqual(r.json()["total"], 0, "outside the upcoming window")
        self.assertEqual(staff("GET", "/api/calendar/appointments?status=weird").status, 400)
        self.assertEqual(staff("GET", "/api/calendar/appointments?limit=1000").status, 400)

    def test_update_and_status_transitions(self):
        day = future_date(27)
        aid = create(day, "11:00", status="pending").json()["appointment_id"]
        create(day, "13:00")
        r = staff("PATCH", f"/api/calendar/appointments/{aid}", {"time": "13:00"})
        self.assertEqual((r.status, r.json()["reason"]), (409, "conflict"))
        r = staff("PATCH", f"/api/calendar/appointments/{aid}",
                  {"date": future_date(28).isoformat(), "time": "15:00", "notes": "Reschedule due to patient request"})
        self.assertEqual(r.status, 200, r)
        appt = r.json()["appointment"]
        self.assertEqual(appt["message"], f"Appointment rescheduled to {future_date(28).isoformat()} at 15:00")
        self.assertEqual((appt["id"], appt["time"], appt["notes"]), (aid, "15:00", "Reschedule due to patient request"))
        path = f"/api/calendar/appointments/{aid}/status"
        self.assertEqual(staff("PATCH", path, {"status": "completed"}).status, 400, "pending -> completed")
        self.assertEqual(staff("PATCH", path, {"status": "confirmed"}).json()["appointment"]["status"], "confirmed")
        self.assertEqual(staff("PATCH", path, {"status": "pending"}).status, 400, "no way back")
        self.assertEqual(staff("PATCH", path, {"status": "bogus"}).status, 400)
        # What happened at an appointment is known only once it has started (issue 13,
        # finding 11); test_hardening.py travels in time to complete one.
        for target in ["completed", "no_show"]:
            r = staff("PATCH", path, {"status": target})
            self.assertEqual((r.status, r.json()["code"]), (400, "invalid_state"), target)
            self.assertIn("not started", r.json()["details"])
        self.assertEqual(staff("DELETE", f"/api/calendar/appointments/{aid}").status, 200)

    def test_change_type_and_practitioner(self):
        day = future_date(30)
        aid = create(day, "09:00").json()["appointment_id"]
        r = staff("PATCH", f"/api/calendar/appointments/{aid}", {"practitioner_id": "dr-b"})
        self.assertEqual((r.status, r.json()["appointment"]["practitioner_id"]), (200, "dr-b"))
        r = staff("PATCH", f"/api/calendar/appointments/{aid}", {"appointment_type": "therapy"})
        self.assertEqual((r.status, r.json()["code"]), (404, "not_found"),
                         "dr-b does not offer therapy")
        r = staff("PATCH", f"/api/calendar/appointments/{aid}",
                  {"appointment_type": "therapy", "practitioner_id": "dr-a"})
        appt = r.json()["appointment"]
        self.assertEqual((r.status, appt["type"], appt["duration_minutes"]), (200, "Therapy", 60))
        self.assertEqual(staff("PATCH", "/api/calendar/appointments/b_ffffffffffffffffffffffff",
                               {"notes": "x"}).status, 404)

    def test_cancel_frees_slot_and_remind(self):
        day = future_date(29)
        aid = create(day, "14:00").json()["appointment_id"]
        r = staff("PATCH", f"/api/calendar/appointments/{aid}/remind")
        self.assertEqual((r.status, r.json()["reminder_sent"]), (200, True))
        self.assertIsNotNone(r.json()["reminder_sent_at"])
        r = staff("DELETE", f"/api/calendar/appointments/{aid}", {"reason": "Patient requested cancellation"})
        self.assertEqual((r.status, r.json()["message"], r.json()["appointment_id"]),
                         (200, "Appointment cancelled", aid))
        appt = staff("GET", f"/api/calendar/appointments/{aid}").json()["appointment"]
        self.assertEqual((appt["status"], appt["cancel_reason"]), ("cancelled", "Patient requested cancellation"))
        self.assertEqual(create(day, "14:00", patient_name="Next").status, 201, "slot freed")
        self.assertEqual(staff("PATCH", f"/api/calendar/appointments/{aid}/remind").status, 400)
        self.assertEqual(staff("DELETE", "/api/calendar/appointments/b_ffffffffffffffffffffffff").status, 404)

    def test_events(self):
        day = future_date(35)
        keep = create(day, "09:00", patient_name="John Doe").json()["appointment_id"]
        gone = create(day, "11:00").json()["appointment_id"]
        staff("DELETE", f"/api/calendar/appointments/{gone}")
        r = staff("GET", f"/api/calendar/events?start_date={day.isoformat()}&end_date={day.isoformat()}")
        events = r.json()["events"]
        self.assertEqual([e["id"] for e in events], [keep])
        self.assertEqual(events[0]["summary"], "Appointment: John Doe")
        self.assertEqual(events[0]["start"], utc_instant(day, "09:00"))
        self.assertEqual(staff("GET", "/api/calendar/events?start_date=x&end_date=y").status, 400)


class ClinicConfiguration(unittest.TestCase):
    def test_read_and_replace(self):
        r = staff("GET", "/api/calendar/clinic")
        self.assertEqual(r.status, 200)
        config = r.json()["clinic"]
        self.assertEqual(config["clinic"]["id"], "testclinic")
        bad = json.loads(json.dumps(config))
        bad["practitioners"][0]["weekly_hours"]["monday"] = [
            {"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]
        r = staff("PUT", "/api/calendar/clinic", bad)
        self.assertEqual((r.status, r.json()["code"]), (422, "invalid_clinic_config"))
        bad = json.loads(json.dumps(config))
        bad["clinic"]["timezone"] = "Mars/Olympus"
        self.assertEqual(staff("PUT", "/api/calendar/clinic", bad).status, 422)
        self.assertEqual(staff("GET", "/api/calendar/clinic").json()["clinic"], config, "refused whole")

        day = future_date(40)
        aid = create(day, "10:00").json()["appointment_id"]
        changed = json.loads(json.dumps(config))
        changed["clinic"]["name"] = "Renamed Clinic"
        r = staff("PUT", "/api/calendar/clinic", changed)
        self.assertEqual((r.status, r.json()["clinic"]["clinic"]["name"]), (200, "Renamed Clinic"))
        self.assertEqual(server.get("/api/v1/clinics/testclinic").json()["clinic"]["name"], "Renamed Clinic")
        self.assertEqual(staff("GET", f"/api/calendar/appointments/{aid}").status, 200, "bookings kept")
        r = staff("PUT", "/api/calendar/clinic?clinic_id=other", changed)
        self.assertEqual(r.status, 400)
        with open(FIXTURE) as f:
            self.assertEqual(staff("PUT", "/api/calendar/clinic", json.load(f)).status, 200)


class SeedShapes(unittest.TestCase):
    """Seed 000's shapes, as a client written from its text alone would use them."""

    def test_errors(self):
        r = staff("GET", "/api/calendar/appointments/b_ffffffffffffffffffffffff")
        self.assertEqual(r.status, 404)
        self.assertEqual((r.json()["success"], r.json()["error"], r.json()["code"]),
                         (False, "Appointment not found", "booking_not_found"))
        self.assertIsInstance(r.json()["details"], str)

        r = staff("POST", "/api/calendar/check-availability", {"date": "2026-02-30"})
        self.assertEqual(r.status, 400)
        body = r.json()
        self.assertEqual((body["success"], body["error"], body["date"], body["code"]),
                         (False, "Invalid date format", "2026-02-30", "validation_failed"))

        day = future_date(44)
        self.assertEqual(create(day, "10:00").status, 201)
        r = create(day, "10:00")
        self.assertEqual(r.status, 409)
        self.assertEqual((r.json()["success"], r.json()["error"], r.json()["reason"]),
                         (False, "Slot already booked", "conflict"))
        r = create(day, "10:10")
        self.assertEqual((r.status, r.json()["error"], r.json()["reason"]),
                         (409, "Time slot not available", "off_grid"))
        aid = create(day, "11:00").json()["appointment_id"]
        r = staff("PATCH", f"/api/calendar/appointments/{aid}", {"time": "10:00"})
        self.assertEqual((r.status, r.json()["error"]), (409, "New time slot not available"))

    def test_smaller_buffers_free_the_time_around_bookings(self):
        # A consultation keeps 10 minutes after it: 10:00 blocks the 10:30 start. Once the
        # clinic drops the buffer, 10:30 is free, and every backend must agree (PostgreSQL
        # keeps each booking's occupancy under an exclusion constraint: it must shrink).
        day = future_date(47)
        self.assertEqual(create(day, "10:00").status, 201)
        self.assertEqual(create(day, "10:30").status, 409)
        with open(FIXTURE) as f:
            config = json.load(f)
        config["appointment_types"][0]["buffer_after_minutes"] = 0
        self.assertEqual(staff("PUT", "/api/calendar/clinic", config).status, 200)
        try:
            r = create(day, "10:30")
            self.assertEqual(r.status, 201, r)
        finally:
            with open(FIXTURE) as f:
                self.assertEqual(staff("PUT", "/api/calendar/clinic", json.load(f)).status, 200)
        # The buffer is back: what was booked stays booked, nothing new fits between.
        self.assertEqual(create(day, "11:00").status, 409)
        self.assertEqual(create(day, "11:30").status, 201)

    def test_appointment_type_by_name_and_patient_id(self):
        with open(FIXTURE) as f:
            config = json.load(f)
        config["appointment_types"] += [
            {"id": "gc", "name": "General Checkup", "duration_minutes": 30},
            {"id": "twin-1", "name": "Twin", "duration_minutes": 30},
            {"id": "twin-2", "name": "twin", "duration_minutes": 30}]
        config["practitioners"][0]["appointment_types"] += ["gc", "twin-1", "twin-2"]
        self.assertEqual(staff("PUT", "/api/calendar/clinic", config).status, 200)
        try:
            day = future_date(45)
            # The seed's own request body, unchanged.
            r = staff("POST", "/api/calendar/appointments", {
                "patient_id": "pat_abc123", "patient_name": "John Doe",
                "patient_phone": "+14155552671", "date": day.isoformat(), "time": "14:00",
                "appointment_type": "General Checkup", "notes": "Patient has hypertension"})
            self.assertEqual(r.status, 201, r)
            created = r.json()
            self.assertEqual((created["success"], created["date"], created["time"],
                              created["duration_minutes"], created["patient_name"]),
                             (True, day.isoformat(), "14:00", 30, "John Doe"))
            r = staff("GET", f"/api/calendar/appointments/{created['appointment_id']}")
            appointment = r.json()["appointment"]
            self.assertEqual((appointment["patient_id"], appointment["type"],
                              appointment["appointment_type"]),
                             ("pat_abc123", "General Checkup", "gc"))
            r = staff("POST", "/api/calendar/check-availability",
                      {"date": day.isoformat(), "appointment_type": "general checkup"})
            self.assertEqual(r.status, 200, r)
            self.assertNotIn("14:00", [s["time"] for s in r.json()["available_slots"]])
            r = create(day, "15:00", appointment_type="TWIN")
            self.assertEqual((r.status, r.json()["code"]), (422, "ambiguous_appointment_type"))
            self.assertEqual(create(day, "15:00", appointment_type="twin-2").status, 201)
        finally:
            # The types this test added have upcoming bookings now: putting the fixture
            # back must say so (issue 13, finding 10), and force=true cancels them.
            with open(FIXTURE) as f:
                fixture = json.load(f)
            refused = staff("PUT", "/api/calendar/clinic", fixture)
            self.assertEqual((refused.status, refused.json()["code"]), (422, "bookings_in_the_way"))
            self.assertEqual(staff("PUT", "/api/calendar/clinic?force=true", fixture).status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
