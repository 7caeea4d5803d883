"""Seed 002's Calendly-like routes: availability on the type's grid and booking, in the
seed's own shapes and error style."""

import json
import os
import tempfile
import unittest
from urllib.parse import urlencode

from harness import FIXTURE, Server, future_date, shared_server

ORIGIN = "https://clinic.example"
server, setUpModule, tearDownModule = shared_server(args=["--allow-origin", ORIGIN, "--rate-limit", "0"])


def availability(**params):
    return server.get("/api/calendly/availability?" + urlencode(params), {"Origin": ORIGIN})


def book(**body):
    return server.post("/api/calendly/book", body, {"Origin": ORIGIN})


class Availability(unittest.TestCase):
    def test_the_seeds_query(self):
        day = future_date(20)
        r = availability(date=day.isoformat(), appointment_type="consultation")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), ORIGIN)
        body = r.json()
        self.assertEqual(list(body), ["date", "appointment_type", "duration_minutes",
                                      "available_slots"])
        self.assertEqual((body["date"], body["appointment_type"], body["duration_minutes"]),
                         (day.isoformat(), "consultation", 30))
        # 08:00-18:00 every day, a 30-minute grid; each start once whoever is free.
        slots = body["available_slots"]
        self.assertEqual(slots[0], {"start": "08:00", "end": "08:30"})
        self.assertEqual(slots[-1], {"start": "17:30", "end": "18:00"})
        self.assertEqual(len(slots), 20)

    def test_types_by_display_name_and_their_own_durations(self):
        day = future_date(21).isoformat()
        r = availability(date=day, appointment_type="Therapy")
        self.assertEqual((r.status, r.json()["duration_minutes"]), (200, 60))
        self.assertEqual(r.json()["available_slots"][0], {"start": "08:00", "end": "09:00"})
        self.assertEqual(availability(date=day, appointment_type="follow-up").json()
                         ["duration_minutes"], 15)

    def test_errors(self):
        r = availability(appointment_type="consultation")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["detail"][0]["loc"], ["query", "date"])
        r = availability(date="10/01/2026", appointment_type="consultation")
        self.assertEqual((r.status, r.json()["detail"][0]["type"]), (422, "value_error.date"))
        r = availability(date=future_date(3).isoformat(), appointment_type="massage")
        self.assertEqual(r.status, 404)
        self.assertIsInstance(r.json()["detail"], str)
        r = availability(date=future_date(3).isoformat(), appointment_type="consultation",
                         clinic_id="nowhere")
        self.assertEqual((r.status, r.json()), (404, {"detail": "Clinic not found"}))


class Booking(unittest.TestCase):
    def test_the_seeds_booking_and_double_booking(self):
        day = future_date(22).isoformat()
        seed_body = {"patient_name": "Rahul Sharma", "appointment_type": "consultation",
                     "date": day, "start_time": "10:00"}
        first = book(**seed_body)
        self.assertEqual(first.status, 200, first)
        self.assertEqual(list(first.json()), ["status", "booking_id", "message"])
        self.assertEqual((first.json()["status"], first.json()["message"]),
                         ("confirmed", "Appointment successfully booked"))
        # Two practitioners offer consultations: the second booking takes the other one.
        self.assertEqual(book(**seed_body).status, 200)
        taken = book(**seed_body)
        self.assertEqual(taken.status, 409, taken)
        self.assertEqual(list(taken.json()), ["detail"])
        self.assertIn("10:00", taken.json()["detail"])
        starts = [s["start"] for s in availability(date=day, appointment_type="consultation")
                  .json()["available_slots"]]
        # Consultations keep 10 minutes free after them: 09:30 and 10:30 touch 10:00 too.
        self.assertEqual([s for s in starts if "09:00" <= s <= "11:00"], ["09:00", "11:00"])
        # The staff API sees the booking, with the seed's patient and the type's id.
        r = server.staff("GET", f"/api/calendar/appointments/{first.json()['booking_id']}")
        appointment = r.json()["appointment"]
        self.assertEqual((appointment["patient_name"], appointment["appointment_type"],
                          appointment["time"], appointment["source"]),
                         ("Rahul Sharma", "consultation", "10:00", "calendly"))

    def test_refusals_and_validation(self):
        day = future_date(23).isoformat()
        r = book(patient_name="X", appointment_type="consultation", date=day, start_time="10:10")
        self.assertEqual((r.status, list(r.json())), (409, ["detail"]))
        r = book(patient_name="X", appointment_type="consultation", date=day, start_time="25:00")
        self.assertEqual((r.status, r.json()["detail"][0]["loc"]), (422, ["body", "start_time"]))
        r = book(appointment_type="consultation", date=day, start_time="10:00")
        self.assertEqual((r.status, r.json()["detail"][0]["loc"]), (422, ["body", "patient_name"]))
        r = book(patient_name="X", appointment_type="massage", date=day, start_time="10:00")
        self.assertEqual(r.status, 404)
        far = future_date(120).isoformat()
        r = book(patient_name="X", appointment_type="consultation", date=far, start_time="10:00")
        self.assertEqual((r.status, r.json()),
                         (400, {"detail": "Cannot book more than 90 days in advance"}))

    def test_preflight(self):
        r = server.request("OPTIONS", "/api/calendly/book",
                           headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
        self.assertIn(r.status, (200, 204))
        self.assertEqual(r.header("Access-Control-Allow-Origin"), ORIGIN)


class SeveralClinics(unittest.TestCase):
    def test_the_clinic_must_be_named(self):
        with open(FIXTURE) as f:
            other = json.load(f)
        other["clinic"]["id"] = "otherclinic"
        for p in other["practitioners"]:
            p["id"] = "other-" + p["id"]
        path = os.path.join(tempfile.mkdtemp(), "other.json")
        with open(path, "w") as f:
            json.dump(other, f)
        two = Server(clinics=[FIXTURE, path], args=["--rate-limit", "0"]).start()
        try:
            day = future_date(5).isoformat()
            r = two.get(f"/api/calendly/availability?date={day}&appointment_type=consultation")
            self.assertEqual(r.status, 400)
            self.assertIn("clinic_id", r.json()["detail"])
            r = two.get(f"/api/calendly/availability?date={day}&appointment_type=consultation"
                        "&clinic_id=otherclinic")
            self.assertEqual(r.status, 200)
            r = two.post("/api/calendly/book", {"clinic_id": "otherclinic", "patient_name": "Y",
                                                "appointment_type": "Consultation", "date": day,
                                                "start_time": "09:00"})
            self.assertEqual(r.status, 200, r)
        finally:
            two.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
