"""Seed 004's partner protocol, exactly: GET /api/calendar/free-slots/{agent_id} and
POST /api/calendar/external-booking. Tests 1-6 of the guide's Testing Guide, then the
rest of its documented status codes, bodies and messages. Dates are relative to today."""

import unittest
from urllib.parse import urlencode

from datetime import timedelta

from harness import (API_KEY, ZONE, Server, booking_body, future_date, server_now, today_local,
                     utc_instant, shared_server)

AGENT = "dr-a"  # an agent is a practitioner
server, setUpModule, tearDownModule = shared_server(args=["--rate-limit", "0"])


def free_slots(agent, key=API_KEY, **params):
    headers = {"Accept": "application/json"}
    if key is not None:
        headers["X-API-Key"] = key
    return server.get(f"/api/calendar/free-slots/{agent}?{urlencode(params)}", headers)


def book(key_in_header=True, key=API_KEY, **fields):
    payload = {"agent_id": AGENT, "participant_name": "Test User"}
    payload.update(fields)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key_in_header:
        headers["X-API-Key"] = key
    else:
        payload["api_key"] = key
    return server.post("/api/calendar/external-booking", payload, headers)


class GuideTests(unittest.TestCase):
    """The guide's Integration Testing Scenarios, Tests 1-6."""

    def test_1_valid_free_slots_query(self):
        start, end = future_date(1), future_date(7)
        r = free_slots(AGENT, start_date=start.isoformat(), end_date=end.isoformat())
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["agent_id"], AGENT)
        self.assertGreaterEqual(len(body["available_slots"]), 0)
        self.assertEqual(list(body), ["agent_id", "start_date", "end_date", "timezone",
                                      "slot_duration_minutes", "total_days_with_availability",
                                      "available_slots"])
        self.assertEqual((body["start_date"], body["end_date"], body["timezone"],
                          body["slot_duration_minutes"]),
                         (start.isoformat(), end.isoformat(), "America/New_York", 30))
        self.assertEqual(body["total_days_with_availability"], len(body["available_slots"]))
        day = body["available_slots"][0]
        self.assertEqual(set(day), {"date", "day_of_week", "total_slots", "slots"})
        self.assertEqual(day["total_slots"], len(day["slots"]))
        self.assertEqual(set(day["slots"][0]), {"start", "end", "duration_minutes"})

    def test_2_invalid_api_key(self):
        r = free_slots(AGENT, key="wrong-api-key", start_date=future_date(1).isoformat(),
                       end_date=future_date(7).isoformat())
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json(), {"detail": "Invalid API key"})

    def test_3_valid_booking(self):
        day = future_date(15)
        r = book(booking_date=day.isoformat(), booking_time="10:00", duration_minutes=30)
        self.assertEqual(r.status, 201, r)
        booking = r.json()
        self.assertEqual(booking["status"], "success")
        self.assertIn("booking_id", booking)

    def test_4_past_date_booking(self):
        r = book(booking_date="2020-01-01", booking_time="10:00")
        self.assertEqual(r.status, 400, r)
        self.assertIn("past", r.json()["detail"].lower())
        self.assertEqual(r.json(), {"detail": "Cannot book in the past"})

    def test_5_duplicate_booking(self):
        day = future_date(20)
        first = book(participant_name="User 1", booking_date=day.isoformat(), booking_time="15:00")
        self.assertEqual(first.status, 201, first)
        self.assertEqual(first.json()["status"], "success")
        second = book(participant_name="User 2", booking_date=day.isoformat(), booking_time="15:00")
        self.assertEqual(second.status, 409, second)
        self.assertEqual(second.json(),
                         {"detail": f"Time slot 15:00 on {day.isoformat()} is not available"})

    def test_6_invalid_time_format(self):
        r = book(booking_date=future_date(15).isoformat(), booking_time="2:30 PM")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["detail"][0]["loc"], ["body", "booking_time"])
        self.assertEqual(r.json()["detail"][0]["msg"], "Invalid time format")


class FreeSlots(unittest.TestCase):
    def test_back_to_back_slots_of_requested_duration(self):
        day = future_date(30)
        r = free_slots(AGENT, start_date=day.isoformat(), end_date=day.isoformat(),
                       duration_minutes=45)
        self.assertEqual(r.status, 200, r)
        slots = r.json()["available_slots"][0]["slots"]
        self.assertEqual(r.json()["available_slots"][0]["day_of_week"], day.strftime("%A"))
        self.assertEqual(slots[0], {"start": "08:00", "end": "08:45", "duration_minutes": 45})
        self.assertEqual(slots[1]["start"], "08:45")
        self.assertEqual(len(slots), 13)  # 08:00..18:00 holds thirteen 45-minute slots

    def test_booked_time_disappears(self):
        day = future_date(31)
        self.assertEqual(book(booking_date=day.isoformat(), booking_time="14:30",
                              duration_minutes=45).status, 201)
        r = free_slots(AGENT, start_date=day.isoformat(), end_date=day.isoformat())
        starts = [s["start"] for s in r.json()["available_slots"][0]["slots"]]
        self.assertIn("14:00", starts)
        for taken in ["14:30", "15:00"]:
            self.assertNotIn(taken, starts)
        self.assertIn("15:30", starts)

    def test_documented_errors(self):
        s, e = future_date(5), future_date(3)
        r = free_slots(AGENT, start_date=s.isoformat(), end_date=e.isoformat())
        self.assertEqual((r.status, r.json()), (400, {"detail": "end_date must be after start_date"}))
        r = free_slots(AGENT, start_date=s.isoformat(),
                       end_date=(s.fromordinal(s.toordinal() + 91)).isoformat())
        self.assertEqual((r.status, r.json()), (400, {"detail": "Date range cannot exceed 90 days"}))
        r = free_slots("47addfec-f4cd-41e2-b6ec-6a5e949fe754", start_date=s.isoformat(),
                       end_date=s.isoformat())
        self.assertEqual((r.status, r.json()), (404, {
            "detail": "Business hours not found for agent 47addfec-f4cd-41e2-b6ec-6a5e949fe754"}))
        r = free_slots(AGENT, key=None, start_date=s.isoformat(), end_date=s.isoformat())
        self.assertEqual((r.status, r.json()), (401, {"detail": "Invalid API key"}))

    def test_parameter_validation_is_422_detail_list(self):
        r = free_slots(AGENT, end_date=future_date(3).isoformat())
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["detail"][0]["loc"], ["query", "start_date"])
        for bad in [{"start_date": "12/01/2026", "end_date": "2026-12-07"},
                    {"start_date": "2026-02-30", "end_date": "2026-03-07"},
                    {"start_date": future_date(1).isoformat(), "end_date": future_date(2).isoformat(),
                     "duration_minutes": "0"},
                    {"start_date": future_date(1).isoformat(), "end_date": future_date(2).isoformat(),
                     "duration_minutes": "481"},
                    {"start_date": future_date(1).isoformat(), "end_date": future_date(2).isoformat(),
                     "duration_minutes": "45.5"}]:
            r = free_slots(AGENT, **bad)
            self.assertEqual(r.status, 422, (bad, r))
            self.assertIsInstance(r.json()["detail"], list)
            self.assertEqual(set(r.json()["detail"][0]), {"loc", "msg", "type"})


class ExternalBooking(unittest.TestCase):
    def test_success_body_and_body_api_key(self):
        day = future_date(16)
        r = book(key_in_header=False, booking_date=day.isoformat(), booking_time="14:30",
                 duration_minutes=45, participant_email="john@example.com",
                 participant_phone="+1-555-0123", description="Initial consultation call",
                 external_reference_id="EXT-BOOKING-12345")
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual(list(body), ["status", "booking_id", "message", "details"])
        self.assertEqual(body["message"], f"Booking confirmed for {day.isoformat()} at 14:30")
        self.assertEqual(body["details"], {
            "event_id": body["booking_id"], "agent_id": AGENT, "participant_name": "Test User",
            "booking_date": day.isoformat(), "booking_time": "14:30", "duration_minutes": 45,
            "external_reference_id": "EXT-BOOKING-12345"})
        # Optional reference absent: null.
        r = book(booking_date=day.isoformat(), booking_time="09:00")
        self.assertEqual(r.status, 201, r)
        self.assertIsNone(r.json()["details"]["external_reference_id"])
        self.assertEqual(r.json()["details"]["duration_minutes"], 30)

    def test_partner_booking_blocks_widget(self):
        day = future_date(17)
        self.assertEqual(book(booking_date=day.isoformat(), booking_time="11:00").status, 201)
        r = server.post("/api/v1/bookings", booking_body(utc_instant(day, "11:00")))
        self.assertEqual((r.status, r.json()["error"]["reason"]), (409, "conflict"))

    def test_auth(self):
        day = future_date(18).isoformat()
        self.assertEqual(book(key="nope", booking_date=day, booking_time="10:00").json(),
                         {"detail": "Invalid API key"})
        r = server.post("/api/calendar/external-booking",
                        {"agent_id": AGENT, "participant_name": "X", "booking_date": day,
                         "booking_time": "10:00"})
        self.assertEqual(r.status, 401)

    def test_rules(self):
        soon = server_now().astimezone(ZONE) + timedelta(minutes=61)
        r = book(booking_date=soon.date().isoformat(), booking_time=soon.strftime("%H:%M"))
        self.assertIn(r.status, (400,), r)
        self.assertIn(r.json()["detail"], ["Bookings must be made at least 2 hours in advance",
                                            "Cannot book in the past"])
        far = today_local().fromordinal(today_local().toordinal() + 95)
        r = book(booking_date=far.isoformat(), booking_time="10:00")
        self.assertEqual((r.status, r.json()), (400, {"detail": "Cannot book more than 90 days in advance"}))
        day = future_date(19).isoformat()
        r = book(booking_date=day, booking_time="03:00")
        self.assertEqual((r.status, r.json()), (409, {"detail": f"Time slot 03:00 on {day} is not available"}))
        r = book(booking_date=day, booking_time="17:45", duration_minutes=30)
        self.assertEqual(r.status, 409, "must end inside working hours")
        r = book(agent_id="unknown-agent", booking_date=day, booking_time="10:00")
        self.assertEqual((r.status, r.json()), (404, {"detail": "Business hours not found for agent unknown-agent"}))

    def test_validation_422(self):
        day = future_date(19).isoformat()
        cases = [
            ({"booking_date": "12/05/2025", "booking_time": "14:30"}, "booking_date"),
            ({"booking_date": day, "booking_time": "25:00"}, "booking_time"),
            ({"booking_date": day, "booking_time": "14:30", "duration_minutes": "45"}, "duration_minutes"),
            ({"booking_date": day, "booking_time": "14:30", "duration_minutes": 45.5}, "duration_minutes"),
            ({"booking_date": day, "booking_time": "14:30", "duration_minutes": 0}, "duration_minutes"),
            ({"booking_date": day, "booking_time": "14:30", "participant_name": ""}, "participant_name"),
            ({"booking_date": day, "booking_time": "14:30", "participant_name": "x" * 256}, "participant_name"),
            ({"booking_date": day, "booking_time": "14:30", "participant_email": "nope"}, "participant_email"),
            ({"booking_date": day, "booking_time": "14:30", "participant_phone": "1" * 51}, "participant_phone"),
            ({"booking_time": "14:30"}, "booking_date"),
        ]
        for fields, loc in cases:
            r = book(**fields)
            self.assertEqual(r.status, 422, (fields, r))
            detail = r.json()["detail"]
            self.assertIn(["body", loc], [d["loc"] for d in detail], r)
        r = server.post("/api/calendar/external-booking", "{oops", {"X-API-Key": API_KEY})
        self.assertEqual(r.status, 422)
        self.assertIsInstance(r.json()["detail"], list)


class NoKeyConfigured(unittest.TestCase):
    def test_closed_not_open(self):
        closed = Server(api_key=None).start()
        try:
            r = closed.get(f"/api/calendar/free-slots/{AGENT}?start_date={future_date(1)}"
                           f"&end_date={future_date(2)}", {"X-API-Key": ""})
            self.assertEqual((r.status, r.json()), (401, {"detail": "Invalid API key"}))
            r = closed.post("/api/calendar/external-booking",
                            {"agent_id": AGENT, "participant_name": "X", "api_key": "anything",
                             "booking_date": future_date(3).isoformat(), "booking_time": "10:00"})
            self.assertEqual(r.status, 401)
            self.assertEqual(closed.get("/api/calendar/appointments",
                                        {"X-API-Key": "anything"}).status, 401)
        finally:
            closed.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
