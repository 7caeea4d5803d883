"""Connected calendars and video meetings (issue 11, docs/integrations.md), against the
local fake providers of calendar_fakes.py: busy times from subscribed ICS feeds and from
Google and Microsoft calendars connected through OAuth with PKCE become occupancy (gone
from the widget snapshot, refused at booking); a provider that is down or revokes its
grant never blocks a booking; tokens are sealed at rest; Jitsi rooms; the secret ICS
feeds of the schedule. Runs against SQLite, or PostgreSQL with SLOTBOOK_TEST_POSTGRES=1."""

import json
import os
import sqlite3
import tempfile
import time
import unittest
import urllib.parse

from calendar_fakes import FakeGoogle, FakeMicrosoft, FakeZoom, IcsHost
from harness import FIXTURE, POSTGRES, Server, booking_body, snapshot_busy, wait_until
from notify_fakes import MailServer

SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # base64 of 32 test bytes
JITSI = "https://meet.example.org"

# A weekly hour on Tuesdays at 10:00 in Chicago (11:00 in the clinic's New York), four
# times from 2027-01-12; the second one moved to 19:00 in London (14:00 in New York).
RECURRING_ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//calendar//EN",
    "BEGIN:VEVENT", "UID:weekly-1@test", "DTSTAMP:20270101T000000Z",
    "DTSTART;TZID=America/Chicago:20270112T100000",
    "DTEND;TZID=America/Chicago:20270112T110000",
    "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Hospital rounds", "END:VEVENT",
    "BEGIN:VEVENT", "UID:weekly-1@test", "DTSTAMP:20270101T000000Z",
    "RECURRENCE-ID;TZID=America/Chicago:20270119T100000",
    "DTSTART;TZID=Europe/London:20270119T190000",
    "DTEND;TZID=Europe/London:20270119T200000", "SUMMARY:Hospital rounds (moved)",
    "END:VEVENT",
    "END:VCALENDAR", ""])


def clinic_file(ics_urls=(), extra_types=()):
    """The test clinic with dr-a subscribed to `ics_urls`, a Jitsi video type, and dr-a's
    private address (which the widget must never see)."""
    with open(FIXTURE) as f:
        config = json.load(f)
    config["appointment_types"].append(
        {"id": "video-consult", "name": "Video consultation", "duration_minutes": 30,
         "video": "jitsi"})
    config["appointment_types"].extend(extra_types)
    for p in config["practitioners"]:
        if p["id"] == "dr-a":
            p["appointment_types"] += ["video-consult"] + [t["id"] for t in extra_types]
            p["email"] = "dr.a@private.example"
            if ics_urls:
                p["ics_urls"] = list(ics_urls)
    fd, path = tempfile.mkstemp(suffix=".json", prefix="calendar-clinic-")
    with os.fdopen(fd, "w") as f:
        json.dump(config, f)
    return path


def start_server(clinic, extra=(), env=None, db=None):
    args = ["--rate-limit", "0", "--calendar-sync-seconds", "1", "--allow-private-feeds",
            "--jitsi-url", JITSI, "--public-url", "https://clinic.example.org",
            "--delivery-backoff", "0.2"] + list(extra)
    environment = {"SLOTBOOK_SECRET_KEY": SECRET_KEY}
    environment.update(env or {})
    return Server(db=db, clinics=(clinic,), args=args, env=environment).start()


def busy_list(server, practitioner="dr-a"):
    snapshot = server.get("/api/v1/clinics/testclinic/snapshot").json()
    return [(b["start"], b["end"]) for b in snapshot_busy(snapshot) if b["practitioner_id"] == practitioner]


def busy_of(server, practitioner="dr-a"):
    return set(busy_list(server, practitioner))


def book(server, start, **kw):
    return server.post("/api/v1/bookings", booking_body(start, **kw))


def status(server, practitioner="dr-a"):
    r = server.staff("GET", f"/api/calendar/status?practitioner_id={practitioner}")
    assert r.status == 200, r
    return r.json()


class IcsSubscriptions(unittest.TestCase):
    def setUp(self):
        self.ics = IcsHost().start()
        self.ics.put("/rounds.ics", RECURRING_ICS)
        self.clinic = clinic_file([self.ics.url_for("/rounds.ics")])
        self.server = start_server(self.clinic)

    def tearDown(self):
        self.server.stop()
        self.ics.stop()
        os.unlink(self.clinic)

    def test_recurring_event_with_an_exception_in_another_zone_is_busy(self):
        weekly = ("2027-01-12T16:00:00Z", "2027-01-12T17:00:00Z")
        moved = ("2027-01-19T19:00:00Z", "2027-01-19T20:00:00Z")
        busy = wait_until(lambda: busy_of(self.server) if weekly in busy_of(self.server) else None,
                          what="the feed's busy times in the snapshot")
        self.assertIn(moved, busy)
        self.assertIn(("2027-01-26T16:00:00Z", "2027-01-26T17:00:00Z"), busy)
        self.assertNotIn(("2027-01-19T16:00:00Z", "2027-01-19T17:00:00Z"), busy)  # moved away
        refused = book(self.server, "2027-01-12T16:00:00Z")
        self.assertEqual(refused.status, 409, refused)
        self.assertEqual(refused.json()["error"]["reason"], "conflict")
        self.assertEqual(book(self.server, "2027-01-19T19:00:00Z").status, 409)
        self.assertEqual(book(self.server, "2027-01-19T16:00:00Z").status, 201)
        # Dr. B has no feed: the same time is free for them.
        self.assertEqual(book(self.server, "2027-01-12T16:00:00Z", practitioner="dr-b").status,
                         201)
        s = status(self.server)
        self.assertFalse(s["connected"])  # no Google or Microsoft calendar
        [feed] = s["connections"]
        self.assertEqual(feed["provider"], "ics")
        self.assertIsNotNone(feed["last_sync"])
        self.assertIsNone(feed["last_error"])
        self.assertEqual(feed["source_host"], urllib.parse.urlsplit(self.ics.url).netloc)

    def test_a_feed_that_goes_down_keeps_its_last_busy_times_and_never_blocks_booking(self):
        weekly = ("2027-01-12T16:00:00Z", "2027-01-12T17:00:00Z")
        wait_until(lambda: weekly in busy_of(self.server), what="the first sync")
        self.ics.down()
        wait_until(lambda: status(self.server)["connections"][0]["last_error"],
                   what="a failed sync in the status")
        self.assertIn(weekly, busy_of(self.server))
        self.assertEqual(book(self.server, "2027-01-12T18:00:00Z").status, 201)
        self.assertEqual(book(self.server, "2027-01-12T16:00:00Z").status, 409)
        s = status(self.server)["connections"][0]
        self.assertGreaterEqual(s["sync_age_seconds"], 0)
        self.ics.up()
        wait_until(lambda: status(self.server)["connections"][0]["last_error"] is None,
                   what="the feed syncing again")

    def test_the_snapshot_shows_no_feed_url_or_private_address(self):
        body = self.server.get("/api/v1/clinics/testclinic/snapshot").body.decode()
        self.assertNotIn("ics_urls", body)
        self.assertNotIn("rounds.ics", body)
        self.assertNotIn("dr.a@private.example", body)


class IcsFeedChanges(unittest.TestCase):
    def test_a_feed_removed_from_the_configuration_takes_its_busy_times_with_it(self):
        ics = IcsHost().start()
        ics.put("/rounds.ics", RECURRING_ICS)
        clinic = clinic_file([ics.url_for("/rounds.ics")])
        server = start_server(clinic)
        try:
            weekly = ("2027-01-12T16:00:00Z", "2027-01-12T17:00:00Z")
            wait_until(lambda: weekly in busy_of(server), what="the first sync")
            r = server.staff("GET", "/api/calendar/clinic")
            config = r.json()["clinic"]
            for p in config["practitioners"]:
                p.pop("ics_urls", None)
            self.assertEqual(server.staff("PUT", "/api/calendar/clinic", config).status, 200)
            wait_until(lambda: weekly not in busy_of(server), what="the busy times going")
            self.assertEqual(status(server)["connections"], [])
        finally:
            server.stop()
            ics.stop()
            os.unlink(clinic)


class VideoAndFeeds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clinic = clinic_file()
        cls.server = start_server(cls.clinic)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        os.unlink(cls.clinic)

    def test_a_jitsi_room_is_in_the_answer_and_the_ics(self):
        r = book(self.server, "2027-01-13T15:00:00Z", type_="video-consult")
        self.assertEqual(r.status, 201, r)
        meeting = r.json()["booking"]["meeting"]
        self.assertEqual(meeting["provider"], "jitsi")
        url = meeting["join_url"]
        self.assertTrue(url.startswith(JITSI + "/slotbook-"), url)
        self.assertEqual(len(url.rsplit("-", 1)[1]), 32)  # 128 random bits in hex
        ics = self.server.get(r.json()["booking"]["ics_url"]).body.decode()
        unfolded = ics.replace("\r\n ", "")
        self.assertIn("LOCATION:" + url, unfolded)
        self.assertIn("URL:" + url, unfolded)
        other = book(self.server, "2027-01-13T16:00:00Z", type_="video-consult")
        self.assertNotEqual(other.json()["booking"]["meeting"]["join_url"], url)

    def test_an_in_person_booking_has_no_meeting(self):
        r = book(self.server, "2027-01-13T17:00:00Z")
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("meeting", r.json()["booking"])

    def test_seed_003_availability_by_date_lists_every_grid_start(self):
        self.assertEqual(book(self.server, "2027-01-20T15:00:00Z").status, 201)  # 10:00 AM
        r = self.server.staff("GET", "/api/practitioners/dr-a/availability?date=2027-01-20")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual((body["practitionerId"], body["date"]), ("dr-a", "2027-01-20"))
        slots = {s["time"]: s["available"] for s in body["timeSlots"]}
        self.assertEqual(body["timeSlots"][0], {"time": "08:00 AM", "available": True})
        self.assertFalse(slots["10:00 AM"])
        self.assertFalse(slots["10:30 AM"])  # the 10-minute buffer after 10:00
        self.assertTrue(slots["11:00 AM"])
        self.assertIn("05:30 PM", slots)
        bad = self.server.staff("GET", "/api/practitioners/dr-a/availability?date=20-01-2027")
        self.assertEqual(bad.status, 400, bad)
        self.assertEqual(self.server.staff("GET", "/api/practitioners/nobody/availability"
                                                  "?date=2027-01-20").status, 404)

    def test_secret_feeds_of_a_practitioner_and_the_clinic(self):
        b = book(self.server, "2027-01-14T15:00:00Z", name="Feed Patient").json()["booking"]
        r = self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar-feed")
        self.assertEqual(r.status, 201, r)
        url = urllib.parse.urlsplit(r.json()["feed_url"])
        self.assertEqual(url.netloc, "clinic.example.org")
        feed = self.server.get(url.path + "?" + url.query)
        self.assertEqual(feed.status, 200, feed)
        self.assertTrue(feed.header("Content-Type").startswith("text/calendar"))
        text = feed.body.decode().replace("\r\n ", "")
        self.assertIn("UID:" + b["id"] + "@slotbook", text)
        self.assertIn("Feed Patient", text)
        self.assertIn("X-WR-CALNAME:", text)
        # Only dr-a's: a booking of dr-b is not in it.
        other = book(self.server, "2027-01-14T15:00:00Z", practitioner="dr-b").json()["booking"]
        self.assertNotIn(other["id"], self.server.get(url.path + "?" + url.query).body.decode())
        self.assertEqual(self.server.get(url.path + "?token=wrong").status, 404)
        self.assertEqual(self.server.get("/api/v1/practitioners/dr-b/calendar.ics?" + url.query)
                         .status, 404)
        # Rotating makes the old URL stop working.
        rotated = self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar-feed").json()
        self.assertEqual(self.server.get(url.path + "?" + url.query).status, 404)
        new = urllib.parse.urlsplit(rotated["feed_url"])
        self.assertEqual(self.server.get(new.path + "?" + new.query).status, 200)
        clinic_feed = self.server.staff("POST", "/api/v1/clinics/testclinic/calendar-feed").json()
        whole = urllib.parse.urlsplit(clinic_feed["feed_url"])
        text = self.server.get(whole.path + "?" + whole.query).body.decode()
        self.assertIn(b["id"], text)
        self.assertIn(other["id"], text)
        self.assertEqual(self.server.request("POST", "/api/v1/clinics/testclinic/calendar-feed")
                         .status, 401)


def plain_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def connect(server, fake, practitioner="dr-a", provider="google"):
    """Staff ask for the auth URL, the practitioner consents at the fake, and the
    provider's redirect lands on the server's callback page."""
    r = server.staff("GET", f"/api/calendar/auth-url?practitioner_id={practitioner}"
                            f"&provider={provider}")
    assert r.status == 200, r
    location = urllib.parse.urlsplit(fake.consent(r.json()["auth_url"]))
    assert location.path == "/calendar/oauth/callback", location
    page = server.get(location.path + "?" + location.query)
    assert page.status == 200, (page, page.body)
    return r.json()


def events_for(fake, account, booking_id):
    return [e for e in fake.events(account)
            if booking_id in json.dumps(e.get("extendedProperties", {})) or
            e.get("transactionId") == "slotbook-" + booking_id]


def staff_move(server, booking_id, date, time_):
    r = server.staff("PATCH", f"/api/calendar/appointments/{booking_id}",
                     {"date": date, "time": time_})
    assert r.status == 200, r
    return r


VIDEO_TYPES = [{"id": "meet-consult", "name": "Meet consultation", "duration_minutes": 30,
                "video": "google_meet"},
               {"id": "teams-consult", "name": "Teams consultation", "duration_minutes": 30,
                "video": "teams"},
               {"id": "zoom-consult", "name": "Zoom consultation", "duration_minutes": 30,
                "video": "zoom"}]


class GoogleCalendar(unittest.TestCase):
    ACCOUNT = "doctor@gmail.com"

    def setUp(self):
        self.google = FakeGoogle(token_lifetime=5).start()  # short: the server must refresh
        self.clinic = clinic_file(extra_types=VIDEO_TYPES)
        self.server = start_server(self.clinic, extra=self.google.flags(), env={
            "GOOGLE_CLIENT_ID": self.google.client_id,
            "GOOGLE_CLIENT_SECRET": self.google.client_secret})

    def tearDown(self):
        self.server.stop()
        self.google.stop()
        os.unlink(self.clinic)

    def test_connect_with_pkce_then_busy_times_are_occupancy(self):
        self.google.add_event(self.ACCOUNT, "2027-01-13T15:00:00Z", "2027-01-13T16:00:00Z",
                              summary="Dentist")
        self.google.add_event(self.ACCOUNT, "2027-01-13T17:00:00Z", "2027-01-13T18:00:00Z",
                              transparent=True)
        started = connect(self.server, self.google)
        auth = urllib.parse.parse_qs(urllib.parse.urlsplit(started["auth_url"]).query)
        self.assertEqual(auth["code_challenge_method"], ["S256"])
        self.assertEqual(auth["access_type"], ["offline"])
        self.assertEqual(auth["redirect_uri"],
                         ["https://clinic.example.org/calendar/oauth/callback"])
        token_request = self.google.wait_for(
            lambda r: r["path"] == "/token" and r["form"] and
            r["form"].get("grant_type") == "authorization_code", what="the code exchange")
        self.assertEqual(token_request["status"], 200)  # the fake checked the verifier
        s = status(self.server)
        self.assertTrue(s["connected"], s)
        self.assertEqual((s["email"], s["provider"]), (self.ACCOUNT, "google"))
        self.assertIsNotNone(s["connected_at"])
        busy = wait_until(lambda: ("2027-01-13T15:00:00Z", "2027-01-13T16:00:00Z") in
                          busy_of(self.server), what="Google's busy time in the snapshot")
        self.assertTrue(busy)
        self.assertNotIn(("2027-01-13T17:00:00Z", "2027-01-13T18:00:00Z"), busy_of(self.server))
        refused = book(self.server, "2027-01-13T15:00:00Z")
        self.assertEqual((refused.status, refused.json()["error"]["reason"]), (409, "conflict"))
        self.assertEqual(book(self.server, "2027-01-13T17:00:00Z").status, 201)
        # The 5-second access tokens were refreshed, not used past their life.
        self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar/sync")
        self.assertGreaterEqual(self.google.refreshes[self.ACCOUNT], 1)
        self.assertFalse([r for r in self.google.received()
                          if r["path"].startswith("/calendar/") and r["status"] == 401])

    def test_tokens_are_not_stored_in_plaintext(self):
        if POSTGRES:
            self.skipTest("reads the SQLite file")
        connect(self.server, self.google)
        grants = [r for r in self.google.received() if r["path"] == "/token"]
        self.assertTrue(grants)
        with open(self.server.db, "rb") as f:
            raw = f.read()
        for name in ("-wal",):
            if os.path.exists(self.server.db + name):
                raw += open(self.server.db + name, "rb").read()
        self.assertIn(b"calendar_connections", raw)
        for token in self.google.tokens.all_tokens() if hasattr(self.google.tokens, "all_tokens") \
                else []:
            self.assertNotIn(token.encode(), raw)
        self.assertNotIn(b"ya29.", raw)
        self.assertNotIn(b"1//", raw)

    def test_a_booking_is_written_once_moved_and_deleted(self):
        connect(self.server, self.google)
        self.google.fail_next("POST", r"/calendar/v3/calendars/[^/]+/events$", 503)
        b = book(self.server, "2027-01-14T15:00:00Z", name="Calendar Patient").json()["booking"]
        [event] = wait_until(lambda: events_for(self.google, self.ACCOUNT, b["id"]),
                             what="the booking's event in Google")
        self.assertIn("Calendar Patient", event["summary"])
        attempts = self.google.matching("POST", r"/calendar/v3/calendars/[^/]+/events$")
        self.assertGreaterEqual(len(attempts), 2)  # the 503, then the one that worked
        # slotbook's own event is not busy time of its own: the booking's occupancy (with
        # its 10-minute buffer) is all the snapshot shows.
        self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar/sync")
        self.assertNotIn(("2027-01-14T15:00:00Z", "2027-01-14T15:30:00Z"), busy_of(self.server))
        staff_move(self.server, b["id"], "2027-01-14", "13:00")
        wait_until(lambda: self.google.event(self.ACCOUNT, event["id"])["start"]["dateTime"]
                   .startswith("2027-01-14T13:00:00-05:00"), what="the event moved")
        self.assertEqual(len(events_for(self.google, self.ACCOUNT, b["id"])), 1)
        r = self.server.staff("DELETE", f"/api/calendar/appointments/{b['id']}")
        self.assertEqual(r.status, 200, r)
        wait_until(lambda: self.google.event(self.ACCOUNT, event["id"])["status"] == "cancelled",
                   what="the event deleted")
        d = self.server.staff("GET", f"/api/v1/deliveries?booking_id={b['id']}&channel=calendar")
        self.assertTrue(all(x["status"] == "sent" for x in d.json()["deliveries"]), d.json())

    def test_a_meet_link_comes_back_to_the_booking(self):
        connect(self.server, self.google)
        r = book(self.server, "2027-01-15T15:00:00Z", type_="meet-consult")
        self.assertEqual(r.status, 201, r)
        b = r.json()["booking"]
        self.assertEqual(b["meeting"], {"provider": "google_meet", "join_url": None})
        appointment = wait_until(
            lambda: (lambda a: a if a["meeting"]["join_url"] else None)(
                self.server.staff("GET", f"/api/calendar/appointments/{b['id']}")
                .json()["appointment"]), what="the Meet link on the booking")
        self.assertTrue(appointment["meeting"]["join_url"].startswith("https://meet.google.com/"))
        ics = self.server.get(b["ics_url"]).body.decode().replace("\r\n ", "")
        self.assertIn("URL:" + appointment["meeting"]["join_url"], ics)

    def test_seed_001_sync_booking_and_the_events_of_both_calendars(self):
        personal = self.google.add_event(self.ACCOUNT, "2027-01-13T19:00:00Z",
                                         "2027-01-13T20:00:00Z", summary="School run",
                                         location="Elm Street")
        connect(self.server, self.google)
        b = book(self.server, "2027-01-13T15:00:00Z", type_="meet-consult").json()["booking"]
        r = self.server.staff("POST", "/calendar/sync-booking",
                              {"booking_id": b["id"], "calendar_type": "google",
                               "access_token": "ignored", "timezone": "America/New_York"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json()), {"event_id", "meeting_link", "status"})
        self.assertEqual(r.json()["status"], "confirmed")
        self.assertTrue(r.json()["meeting_link"].startswith("https://meet.google.com/"))
        self.assertEqual(len(events_for(self.google, self.ACCOUNT, b["id"])), 1)
        missing = self.server.staff("POST", "/calendar/sync-booking",
                                    {"booking_id": "b_nope", "calendar_type": "google"})
        self.assertEqual((missing.status, missing.json()), (404, {"detail": "Booking not found"}))
        listed = self.server.staff(
            "GET", "/api/calendar/events?start_date=2027-01-13&end_date=2027-01-13").json()
        self.assertTrue(listed["success"])
        ours = [e for e in listed["events"] if e["id"] == b["id"]]
        theirs = [e for e in listed["events"] if e["id"] == personal]
        self.assertEqual(len(ours), 1)
        self.assertEqual(ours[0]["hangout_link"], r.json()["meeting_link"])
        self.assertEqual([(e["summary"], e["location"]) for e in theirs],
                         [("School run", "Elm Street")])
        self.assertEqual(len(listed["events"]), 2)  # the booking's Google copy is not a third

    def test_seed_003_meet_and_calendar_event_for_an_existing_booking(self):
        connect(self.server, self.google)
        b = book(self.server, "2027-01-15T17:00:00Z").json()["booking"]
        r = self.server.staff("POST", "/api/create-google-meet", {
            "appointmentId": b["id"], "hostEmail": "dr.a@private.example",
            "guestEmail": "pat@example.com", "summary": "Consultation", "description": "",
            "startDateTime": "2027-01-15T12:00:00", "duration": 30})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json()), {"meetingId", "meetingUrl", "eventId"})
        self.assertTrue(r.json()["meetingUrl"].startswith("https://meet.google.com/"))
        self.assertTrue(r.json()["meetingUrl"].endswith(r.json()["meetingId"]))
        event = self.google.event(self.ACCOUNT, r.json()["eventId"])
        self.assertEqual(event["hangoutLink"], r.json()["meetingUrl"])
        other = book(self.server, "2027-01-15T18:00:00Z").json()["booking"]
        e = self.server.staff("POST", "/api/create-calendar-event", {
            "appointmentId": other["id"], "userEmail": "pat@example.com", "title": "Visit",
            "date": "2027-01-15", "time": "13:00:00", "duration": 30})
        self.assertEqual((e.status, e.json()["success"]), (200, True), e)
        self.assertEqual(self.google.event(self.ACCOUNT, e.json()["eventId"])["id"],
                         e.json()["eventId"])
        missing = self.server.staff("POST", "/api/create-google-meet", {"appointmentId": "b_x"})
        self.assertEqual(missing.status, 404, missing)

    def test_a_revoked_grant_breaks_the_connection_and_booking_goes_on(self):
        connect(self.server, self.google)
        self.google.revoke(self.ACCOUNT)
        self.google.expire_tokens(self.ACCOUNT)
        self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar/sync")
        s = wait_until(lambda: (lambda x: x if x["status"] == "broken" else None)(
            status(self.server)), what="the connection marked broken")
        self.assertFalse(s["connected"])
        self.assertIn("connect", s["connections"][0]["last_error"])
        self.assertEqual(book(self.server, "2027-01-14T16:00:00Z").status, 201)

    def test_a_provider_down_for_the_whole_test_never_blocks_a_booking(self):
        connect(self.server, self.google)
        self.google.down()
        started = time.monotonic()
        for hour in ("14", "15", "16"):
            self.assertEqual(book(self.server, f"2027-01-18T{hour}:00:00Z").status, 201)
        self.assertLess(time.monotonic() - started, 15)
        self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar/sync")
        s = status(self.server)
        self.assertTrue(s["connections"][0]["last_error"])
        self.google.up()

    def test_a_state_works_once_and_only_for_its_own_authorization(self):
        r = self.server.staff("GET", "/api/calendar/auth-url?practitioner_id=dr-a").json()
        location = urllib.parse.urlsplit(self.google.consent(r["auth_url"]))
        code = urllib.parse.parse_qs(location.query)["code"][0]
        bad = self.server.staff("POST", "/api/calendar/auth-callback",
                                {"code": code, "state": "forged"})
        self.assertEqual(bad.status, 400, bad)
        self.assertEqual(bad.json()["error"], "Failed to authenticate with Google")
        self.assertIn("details", bad.json())
        ok = self.server.staff("POST", "/api/calendar/auth-callback",
                               {"code": code, "state": r["state"]})
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(ok.json()["message"], "Calendar connected successfully")
        self.assertEqual(ok.json()["email"], self.ACCOUNT)
        again = self.server.staff("POST", "/api/calendar/auth-callback",
                                  {"code": code, "state": r["state"]})
        self.assertEqual(again.status, 400, again)
        gone = self.server.staff("DELETE", "/api/calendar/disconnect?practitioner_id=dr-a")
        self.assertEqual(gone.json(), {**gone.json(), "success": True,
                                       "message": "Calendar disconnected"})
        self.assertFalse(status(self.server)["connected"])


class WithoutSecretKey(unittest.TestCase):
    def test_connecting_is_refused_without_slotbook_secret_key(self):
        google = FakeGoogle().start()
        clinic = clinic_file()
        server = start_server(clinic, extra=google.flags(), env={
            "SLOTBOOK_SECRET_KEY": "", "GOOGLE_CLIENT_ID": google.client_id,
            "GOOGLE_CLIENT_SECRET": google.client_secret})
        try:
            r = server.staff("GET", "/api/calendar/auth-url?practitioner_id=dr-a")
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.json()["code"], "secret_key_required")
            self.assertIn("SLOTBOOK_SECRET_KEY", r.json()["details"])
        finally:
            server.stop()
            google.stop()
            os.unlink(clinic)


class MicrosoftCalendar(unittest.TestCase):
    ACCOUNT = "doctor@hospital.example"

    def setUp(self):
        self.microsoft = FakeMicrosoft().start()
        self.clinic = clinic_file(extra_types=VIDEO_TYPES)
        self.server = start_server(self.clinic, extra=self.microsoft.flags(), env={
            "MICROSOFT_CLIENT_ID": self.microsoft.client_id,
            "MICROSOFT_CLIENT_SECRET": self.microsoft.client_secret})

    def tearDown(self):
        self.server.stop()
        self.microsoft.stop()
        os.unlink(self.clinic)

    def test_seed_001_connect_busy_times_and_a_teams_meeting(self):
        self.microsoft.add_event(self.ACCOUNT, "2027-01-13T15:00:00Z", "2027-01-13T16:00:00Z")
        self.microsoft.add_event(self.ACCOUNT, "2027-01-13T17:00:00Z", "2027-01-13T18:00:00Z",
                                 show_as="free")
        r = self.server.staff("GET", "/calendar/outlook/auth-url?practitioner_id=dr-a"
                                     "&redirect_uri=https://app.example/outlook-callback")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json()), {"auth_url", "state"})
        location = urllib.parse.urlsplit(self.microsoft.consent(r.json()["auth_url"]))
        self.assertEqual(location.netloc, "app.example")
        code = urllib.parse.parse_qs(location.query)["code"][0]
        exchanged = self.server.staff("POST", "/calendar/outlook/exchange-token",
                                      {"code": code, "state": r.json()["state"]})
        self.assertEqual(exchanged.status, 200, exchanged)
        self.assertLessEqual({"access_token", "refresh_token", "expires_in", "token_type"},
                             set(exchanged.json()))
        self.assertEqual(exchanged.json()["token_type"], "Bearer")
        self.assertIsNone(exchanged.json()["refresh_token"])  # never leaves the server
        s = status(self.server)
        self.assertEqual((s["provider"], s["email"], s["connected"]),
                         ("microsoft", self.ACCOUNT, True))
        wait_until(lambda: ("2027-01-13T15:00:00Z", "2027-01-13T16:00:00Z") in
                   busy_of(self.server), what="Outlook's busy time")
        self.assertNotIn(("2027-01-13T17:00:00Z", "2027-01-13T18:00:00Z"), busy_of(self.server))
        self.assertEqual(book(self.server, "2027-01-13T15:00:00Z").status, 409)
        b = book(self.server, "2027-01-14T15:00:00Z", type_="teams-consult").json()["booking"]
        [event] = wait_until(lambda: events_for(self.microsoft, self.ACCOUNT, b["id"]),
                             what="the booking's event in Outlook")
        self.assertTrue(event["isOnlineMeeting"])
        link = wait_until(lambda: self.server.staff(
            "GET", f"/api/calendar/appointments/{b['id']}").json()["appointment"]["meeting"]
            ["join_url"], what="the Teams link on the booking")
        self.assertTrue(link.startswith("https://teams.microsoft.com/"), link)
        # Its own event is not imported back as busy time: only the booking occupies it.
        self.server.staff("POST", "/api/v1/practitioners/dr-a/calendar/sync")
        self.assertEqual(busy_list(self.server).count(("2027-01-14T15:00:00Z",
                                                       "2027-01-14T15:30:00Z")), 1)
        self.server.staff("DELETE", f"/api/calendar/appointments/{b['id']}")
        wait_until(lambda: not events_for(self.microsoft, self.ACCOUNT, b["id"]),
                   what="the Outlook event deleted")


class ZoomMeetings(unittest.TestCase):
    def test_a_zoom_link_follows_by_email_and_is_in_the_ics(self):
        zoom = FakeZoom().start()
        zoom.add_user("dr.a@private.example")  # the practitioner's address is their Zoom user
        mail = MailServer().start()
        clinic = clinic_file(extra_types=VIDEO_TYPES)
        server = start_server(clinic, extra=zoom.flags() + [
            "--smtp-url", f"smtp://127.0.0.1:{mail.port}",
            "--mail-from", "Test Clinic <bookings@clinic.example.org>"], env={
            "ZOOM_ACCOUNT_ID": zoom.account_id, "ZOOM_CLIENT_ID": zoom.client_id,
            "ZOOM_CLIENT_SECRET": zoom.client_secret})
        try:
            zoom.fail_next("POST", r"/v2/users/.*/meetings", 429, retry_after=1)
            r = book(server, "2027-01-14T15:00:00Z", type_="zoom-consult",
                     email="video@example.com")
            self.assertEqual(r.status, 201, r)
            b = r.json()["booking"]
            self.assertEqual(b["meeting"], {"provider": "zoom", "join_url": None})
            [meeting] = wait_until(lambda: zoom.meetings(), what="the Zoom meeting")
            self.assertEqual(meeting["duration"], 30)
            ics = wait_until(lambda: (lambda t: t if meeting["join_url"] in t else None)(
                server.get(b["ics_url"]).body.decode().replace("\r\n ", "")),
                what="the join link in the .ics")
            self.assertIn("LOCATION:" + meeting["join_url"], ics)
            linked = mail.wait_for(lambda m: "video@example.com" in str(m["To"]) and
                                   meeting["join_url"] in plain_text(m),
                                   what="an email with the Zoom link")
            self.assertTrue(linked)
            # The host's link is the practitioner's alone.
            self.assertNotIn(meeting["start_url"], "".join(plain_text(x) for x in mail.parsed()))
            # A move moves the meeting; a cancellation deletes it.
            staff_move(server, b["id"], "2027-01-14", "13:00")
            wait_until(lambda: zoom.meetings() and
                       zoom.meetings()[0]["start_time"].startswith("2027-01-14T18:00:00"),
                       what="the meeting moved")
            server.staff("DELETE", f"/api/calendar/appointments/{b['id']}")
            wait_until(lambda: not zoom.meetings(), what="the meeting deleted")
            self.assertEqual(len(zoom.meetings(include_deleted=True)), 1)  # never two
            # Seed 003: a meeting for a booking made in person.
            in_person = book(server, "2027-01-15T15:00:00Z").json()["booking"]
            made = server.staff("POST", "/api/create-zoom-meeting", {
                "appointmentId": in_person["id"], "hostEmail": "dr.a@private.example",
                "guestEmail": "pat@example.com", "topic": "Consultation", "agenda": "",
                "startTime": "2027-01-15T10:00:00", "durationMinutes": 30})
            self.assertEqual(made.status, 200, made)
            self.assertEqual(set(made.json()), {"id", "join_url", "password", "host_url"})
            self.assertEqual(zoom.meeting(made.json()["id"])["join_url"], made.json()["join_url"])
            appointment = server.staff("GET", f"/api/calendar/appointments/{in_person['id']}")
            self.assertEqual(appointment.json()["appointment"]["meeting"],
                             {"provider": "zoom", "join_url": made.json()["join_url"]})
            time.sleep(1)  # the outbox job that follows finds the meeting made: no second one
            self.assertEqual(len(zoom.meetings()), 1)
        finally:
            server.stop()
            zoom.stop()
            mail.stop()
            os.unlink(clinic)


if __name__ == "__main__":
    unittest.main(verbosity=2)
