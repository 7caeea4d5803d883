"""Patients and systems hear about bookings (docs/notifications.md): email through a real
SMTP server on loopback (aiosmtpd), SMS to a local Twilio stand-in, signed webhooks to a
local receiver, reminders on the server's (faked) clock, and delivery that survives a
relay that is down and a server killed with kill -9. Needs Debian's python3-aiosmtpd
and python3-icalendar (run with /usr/bin/python3)."""

import json
import os
import re
import tempfile
import time
import unittest
from datetime import datetime, timedelta, timezone

import icalendar

from harness import (FAKE_START, FIXTURE, ZONE, POSTGRES, Server, booking_body, future_date,
                     server_now, utc_instant, wait_until)
from notify_fakes import (HttpReceiver, MailServer, twilio_form,
                          verify_standard_webhook)

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-test-token"
os.environ["TWILIO_ACCOUNT_SID"] = ACCOUNT_SID
os.environ["TWILIO_AUTH_TOKEN"] = AUTH_TOKEN
PUBLIC_URL = "https://book.clinic.example"
DESK = "desk@clinic.example.org"


def clinic_file(clinic_fields=None, **changes):
    """The fixture clinic with `changes` (and `clinic_fields` in its "clinic") merged in, as
    a temp file."""
    with open(FIXTURE) as f:
        config = json.load(f)
    config.update(changes)
    config["clinic"].update(clinic_fields or {})
    path = os.path.join(tempfile.mkdtemp(prefix="slotbook-clinic-"), "clinic.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def localized_types():
    """The fixture's types, the consultation named in English and Spanish."""
    with open(FIXTURE) as f:
        types = json.load(f)["appointment_types"]
    types[0]["name"] = {"en": "Consultation", "es": "Consulta"}
    types[0]["min_change_notice_minutes"] = 1440  # a change policy of its own
    return types


NOTIFYING_CLINIC = clinic_file(
    clinic_fields={"phone": "+1 617 555 0100"}, country="US", notifications={"clinic_email": DESK},
    reminders=[{"before_minutes": 1440, "channels": ["email", "sms"]}],
    appointment_types=localized_types(),
    questions=[{"id": "reason", "label": {"en": "Reason for visit", "es": "Motivo"},
                "type": "text"}])


def start_server(mail_port, sms=None, db=None, extra=(), fake_start=FAKE_START,
                 clinics=(NOTIFYING_CLINIC,)):
    args = ["--rate-limit", "0", "--smtp-url", f"smtp://127.0.0.1:{mail_port}",
            "--mail-from", "Test Clinic <bookings@clinic.example.org>",
            "--public-url", PUBLIC_URL, "--delivery-backoff", "0.2", "--allow-http-webhooks"]
    if sms:
        args += ["--sms-url", sms.url, "--sms-from", "+15550100"]
    return Server(db=db, clinics=clinics, args=args + list(extra), fake_start=fake_start).start()


def book(server, day, hh, **kw):
    r = server.post("/api/v1/bookings", booking_body(utc_instant(day, hh), **kw))
    assert r.status == 201, r
    return r.json()["booking"]


def to(address):
    return lambda msg: address in str(msg["To"])


def parts(msg):
    return [p for p in msg.walk() if not p.is_multipart()]


def part(msg, content_type):
    for p in parts(msg):
        if p.get_content_type() == content_type:
            return p
    raise AssertionError(f"no {content_type} part in {[p.get_content_type() for p in parts(msg)]}")


def invite(msg):
    cal = icalendar.Calendar.from_ical(part(msg, "text/calendar").get_content())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return cal, events[0]


def deliveries(server, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    r = server.staff("GET", "/api/v1/deliveries" + ("?" + q if q else ""))
    assert r.status == 200, r
    return r.json()["deliveries"]


class Email(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = MailServer().start()
        cls.server = start_server(cls.mail.port)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.mail.stop()

    def test_confirmation_has_text_html_and_an_invite_with_a_working_manage_link(self):
        day = future_date(3)
        b = book(self.server, day, "10:00", email="ada@example.com", name="Ada Lovelace",
                 answers={"reason": "Knee pain"})
        msg = self.mail.wait_for(to("ada@example.com"), what="the confirmation")
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        self.assertEqual([p.get_content_type() for p in parts(msg)],
                         ["text/plain", "text/html", "text/calendar"])
        self.assertEqual(part(msg, "text/calendar").get_param("method"), "REQUEST")
        self.assertRegex(msg["Message-ID"], r"^<dlv_[0-9a-f]{24}@clinic\.example\.org>$")
        self.assertIsNotNone(msg["Date"])
        self.assertIn("Test Clinic", str(msg["From"]))
        text = part(msg, "text/plain").get_content()
        for fact in ["Test Clinic", "Dr. A", "Consultation", "10:00 AM", "America/New_York",
                     b["confirmation_number"]]:
            self.assertIn(fact, text)
        self.assertIn("Dr. A", part(msg, "text/html").get_content())
        # The consultation's change policy: online until a day before, then the phone.
        for content_type in ("text/plain", "text/html"):
            self.assertRegex(part(msg, content_type).get_content(),
                             r"You can cancel or reschedule online until \w+day, January \d+, "
                             r"2027, 10:00\sAM\. After that, please call the clinic at "
                             r"\+1 617 555 0100\.")
        cal, event = invite(msg)
        self.assertEqual(str(cal["METHOD"]), "REQUEST")
        self.assertEqual(str(event["UID"]), b["id"] + "@slotbook")
        self.assertEqual(int(event["SEQUENCE"]), 0)
        self.assertEqual(event.decoded("DTSTART"),
                         datetime.strptime(b["start"], "%Y-%m-%dT%H:%M:%SZ")
                         .replace(tzinfo=timezone.utc))
        self.assertIn("ada@example.com", str(event["ATTENDEE"]))
        # The link opens the booking: public origin, id and the patient's token.
        link = re.search(re.escape(PUBLIC_URL) + r"/manage\?booking=(b_[0-9a-f]+)&token=([\w-]+)",
                         text)
        self.assertIsNotNone(link, text)
        self.assertEqual(link.group(1), b["id"])
        r = self.server.get(f"/api/v1/bookings/{b['id']}?token={link.group(2)}")
        self.assertEqual(r.status, 200, r)
        # The front desk hears of it too, without the invite.
        desk = self.mail.wait_for(lambda m: to(DESK)(m) and b["confirmation_number"] in
                                  part(m, "text/plain").get_content(), what="the desk's copy")
        self.assertEqual([p.get_content_type() for p in parts(desk)], ["text/plain", "text/html"])
        # With the patient's answers to the clinic's questions.
        self.assertIn("Reason for visit: Knee pain", part(desk, "text/plain").get_content())
        self.assertIn("Knee pain", part(desk, "text/html").get_content())
        # The manage token is the patient's alone.
        self.assertNotIn(link.group(2), desk.as_string())

    def test_spanish_booking_gets_spanish_mail(self):
        book(self.server, future_date(3), "11:00", email="lucia@example.com",
             patient={"name": "Lucía", "email": "lucia@example.com", "language": "es"})
        msg = self.mail.wait_for(to("lucia@example.com"), what="the Spanish confirmation")
        self.assertIn("confirmada", str(msg["Subject"]).lower())
        text = part(msg, "text/plain").get_content()
        self.assertIn("Lucía", text)
        self.assertRegex(text, r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo)")
        self.assertRegex(text, r"\bConsulta\b")  # the type's Spanish name, not "Consultation"

    def test_patient_fields_cannot_add_headers(self):
        evil = 'Eve "Q" Müller\r\nBcc: attacker@evil.example\r\nSubject: pwned'
        book(self.server, future_date(3), "12:00", name=evil, email="eve@example.com")
        msg = self.mail.wait_for(to("eve@example.com"), what="the confirmation")
        self.assertIsNone(msg["Bcc"])
        self.assertEqual(len(msg.get_all("Subject")), 1)
        self.assertNotIn("pwned", str(msg["Subject"]))
        display = msg["To"].addresses[0].display_name
        self.assertIn("Müller", display)
        self.assertNotIn("\n", display)
        self.assertNotIn("\r", display)
        raw = next(m[2] for m in self.mail.messages if "eve@example.com" in m[1])
        self.assertNotRegex(raw, rb"(?m)^Bcc:")
        # Each message went to its one recipient (the patient, the desk), never the attacker.
        for _, rcpt, data in self.mail.messages:
            if b"attacker" in data:
                self.assertIn(rcpt, [["eve@example.com"], [DESK]])

    def test_reschedule_and_cancel_update_the_same_invite(self):
        day = future_date(4)
        b = book(self.server, day, "09:00", email="moe@example.com")
        token = b["manage_token"]
        self.mail.wait_for(to("moe@example.com"), what="the confirmation")
        r = self.server.post(f"/api/v1/bookings/{b['id']}/reschedule?token={token}",
                             {"start": utc_instant(day, "14:00")})
        self.assertEqual(r.status, 200, r)
        moved = self.mail.wait_for(lambda m: to("moe@example.com")(m) and
                                   int(invite(m)[1]["SEQUENCE"]) == 1, what="the reschedule")
        self.assertIn("2:00 PM", part(moved, "text/plain").get_content())
        self.assertIn("9:00 AM", part(moved, "text/plain").get_content())  # the old time
        cal, event = invite(moved)
        self.assertEqual((str(cal["METHOD"]), str(event["UID"])), ("REQUEST", b["id"] + "@slotbook"))
        new_start = datetime.strptime(utc_instant(day, "14:00"), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc)
        self.assertEqual(event.decoded("DTSTART"), new_start)  # the new time, 30 minutes long
        self.assertEqual(event.decoded("DTEND"), new_start + timedelta(minutes=30))
        r = self.server.post(f"/api/v1/bookings/{b['id']}/cancel?token={token}", {})
        self.assertEqual(r.status, 200, r)
        gone = self.mail.wait_for(lambda m: to("moe@example.com")(m) and
                                  int(invite(m)[1]["SEQUENCE"]) == 2, what="the cancellation")
        self.assertEqual(part(gone, "text/calendar").get_param("method"), "CANCEL")
        cal, event = invite(gone)
        self.assertEqual((str(cal["METHOD"]), str(event["STATUS"])), ("CANCEL", "CANCELLED"))
        # The .ics endpoint agrees on UID and SEQUENCE.
        ics = self.server.get(f"/api/v1/bookings/{b['id']}.ics?token={token}").body.decode()
        self.assertIn("SEQUENCE:2", ics)
        # Its reminder was cancelled with it, never sent.
        reminders = deliveries(self.server, booking_id=b["id"], channel="email")
        self.assertTrue(all(d["status"] == "cancelled" for d in reminders
                            if d["purpose"] == "reminder"), reminders)

    def test_remind_now_sends_and_records_a_reminder(self):
        b = book(self.server, future_date(5), "09:30", email="rita@example.com")
        r = self.server.staff("PATCH", f"/api/calendar/appointments/{b['id']}/remind")
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json()["reminder_sent"], True)
        msg = self.mail.wait_for(lambda m: to("rita@example.com")(m) and
                                 "reminder" in str(m["Subject"]).lower(), what="the reminder")
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        self.assertEqual([p.get_content_type() for p in parts(msg)],
                         ["text/plain", "text/html", "text/calendar"])
        self.assertIn("Dr. A", part(msg, "text/plain").get_content())
        self.assertIn("Dr. A", part(msg, "text/html").get_content())
        cal, event = invite(msg)
        self.assertEqual((str(cal["METHOD"]), str(event["UID"])), ("REQUEST", b["id"] + "@slotbook"))
        self.assertEqual(event.decoded("DTSTART"), datetime.strptime(
            b["start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc))
        appointment = wait_until(
            lambda: (lambda a: a if a["reminder_sent"] else None)(
                self.server.staff("GET", f"/api/calendar/appointments/{b['id']}")
                .json()["appointment"]), what="reminder_sent")
        self.assertIsNotNone(appointment["reminder_sent_at"])

    def test_staff_resend_the_confirmation_as_the_booking_is_now(self):
        b = book(self.server, future_date(5), "11:00", email="rene@example.com")
        self.mail.wait_for(to("rene@example.com"), what="the confirmation")
        day = future_date(6)
        moved = self.server.staff("PATCH", f"/api/calendar/appointments/{b['id']}",
                                  {"date": day.isoformat(), "time": "14:00"})
        self.assertEqual(moved.status, 200, moved)
        r = self.server.staff("POST", f"/api/v1/appointments/{b['id']}/resend-confirmation")
        self.assertEqual((r.status, r.json()["queued"], r.json()["channels"]), (200, 1, ["email"]))
        resent = wait_until(lambda: [d for d in deliveries(self.server, booking_id=b["id"])
                                     if d["purpose"] == "booking.created" and d["status"] == "sent"
                                     and d["recipient"] == "patient"][1:],
                            what="the second confirmation")
        self.assertEqual(resent[0]["channel"], "email")
        confirmations = wait_until(
            lambda: (lambda found: found if len(found) == 2 else None)(
                [m for m in self.mail.parsed() if to("rene@example.com")(m) and
                 str(m["Subject"]).startswith("Appointment confirmed")]),
            what="a second confirmation email")
        _, event = invite(confirmations[1])
        self.assertTrue(event.decoded("dtstart").astimezone(ZONE).isoformat()
                        .startswith(day.isoformat() + "T14:00"), event.decoded("dtstart"))
        self.assertEqual(int(event["SEQUENCE"]), 1)  # the moved booking's
        cancelled = self.server.staff("DELETE", f"/api/calendar/appointments/{b['id']}", {})
        self.assertEqual(cancelled.status, 200)
        again = self.server.staff("POST", f"/api/v1/appointments/{b['id']}/resend-confirmation")
        self.assertEqual((again.status, again.json()["code"]), (400, "invalid_state"))

    def test_deliveries_api_lists_filters_and_refuses_to_retry_a_sent_one(self):
        b = book(self.server, future_date(6), "10:00", email="dora@example.com")
        self.mail.wait_for(to("dora@example.com"))
        sent = wait_until(lambda: [d for d in deliveries(self.server, booking_id=b["id"],
                                                         status="sent")
                                   if d["recipient"] == "patient"], what="a sent delivery")
        d = sent[0]
        self.assertEqual((d["channel"], d["recipient"], d["attempts"]), ("email", "patient", 1))
        self.assertRegex(d["id"], r"^dlv_[0-9a-f]{24}$")
        self.assertIsNotNone(d["sent_at"])
        r = self.server.staff("POST", f"/api/v1/deliveries/{d['id']}/retry")
        self.assertEqual((r.status, r.json()["code"]), (400, "delivery_not_retryable"), r)
        self.assertEqual(self.server.staff("POST", "/api/v1/deliveries/dlv_nope/retry").status, 404)
        r = self.server.staff("GET", "/api/v1/deliveries?status=bogus")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.server.get("/api/v1/deliveries").status, 401)


class RelayDown(unittest.TestCase):
    def test_mail_waits_for_the_relay_and_arrives_once(self):
        mail = MailServer()  # not started: the relay is down at booking time
        server = start_server(mail.port)
        try:
            b = book(server, future_date(3), "10:00", email="late@example.com")
            retried = wait_until(lambda: [d for d in deliveries(server, booking_id=b["id"])
                                          if d["purpose"] == "booking.created" and
                                          d["attempts"] >= 2], what="a retried delivery")
            self.assertEqual(retried[0]["status"], "pending")
            self.assertIsNotNone(retried[0]["last_error"])
            mail.start()
            mail.wait_for(to("late@example.com"), what="the delayed confirmation")
            time.sleep(2)  # more retries would have come by now
            self.assertEqual(len([m for m in mail.messages if "late@example.com" in m[1]]), 1)
            d = wait_until(lambda: [d for d in deliveries(server, booking_id=b["id"], status="sent")
                                    if d["purpose"] == "booking.created"], what="sent")[0]
            self.assertIsNone(d["last_error"])
        finally:
            server.stop()
            mail.stop()

    def test_failed_after_the_last_attempt_and_retried_by_staff(self):
        mail = MailServer()
        server = start_server(mail.port, extra=["--delivery-attempts", "2"])
        try:
            b = book(server, future_date(3), "11:00", email="fail@example.com")
            failed = wait_until(lambda: [d for d in deliveries(server, booking_id=b["id"],
                                                               status="failed")
                                         if d["recipient"] == "patient"],
                                what="a failed delivery")[0]
            self.assertEqual(failed["attempts"], 2)
            mail.start()
            r = server.staff("POST", f"/api/v1/deliveries/{failed['id']}/retry")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["delivery"]["status"], "pending")
            mail.wait_for(to("fail@example.com"), what="the retried confirmation")
        finally:
            server.stop()
            mail.stop()

    def test_kill_nine_with_mail_pending_delivers_after_restart_none_twice(self):
        mail = MailServer()
        server = start_server(mail.port)
        patients = [f"k{i}@example.com" for i in range(4)]
        for i, address in enumerate(patients):
            book(server, future_date(3), f"{13 + i}:00", email=address)
        wait_until(lambda: len([d for d in deliveries(server) if d["attempts"] >= 1 and
                                d["purpose"] == "booking.created"]) >= 4, what="attempts")
        server.kill()
        mail.start()
        # A delivery the killed process was sending keeps its lease: SQLite frees it when
        # the file is opened again, PostgreSQL when it lapses. The restart comes a little
        # more than a lease later, as a real restart after a crash would.
        restarted = start_server(mail.port, db=server.db,
                                 fake_start=server_now() + timedelta(seconds=61))
        try:
            for address in patients:
                mail.wait_for(to(address), what=f"the confirmation to {address}")
            time.sleep(2)
            ids = [str(m["X-Slotbook-Delivery"]) for m in mail.parsed()]
            self.assertEqual(len(ids), len(set(ids)), ids)
        finally:
            restarted.stop()
            mail.stop()


class Webhooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = MailServer().start()
        cls.server = start_server(cls.mail.port)
        cls.receiver = HttpReceiver().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.receiver.stop()
        cls.mail.stop()

    def subscribe(self, events, path="/hook"):
        r = self.server.staff("POST", "/api/v1/webhooks",
                              {"url": self.receiver.url + path, "events": events,
                               "description": "test receiver"})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_signed_deliveries_for_subscribed_events_only(self):
        created = self.subscribe(["booking.created", "booking.cancelled"], "/all")
        self.assertRegex(created["secret"], r"^whsec_[A-Za-z0-9+/]{32}$")
        self.assertRegex(created["id"], r"^wh_[0-9a-f]{24}$")
        listed = self.server.staff("GET", "/api/v1/webhooks").json()["webhooks"]
        self.assertIn(created["id"], [w["id"] for w in listed])
        self.assertNotIn("secret", json.dumps(listed))
        only_cancel = self.subscribe(["booking.cancelled"], "/cancelled")

        b = book(self.server, future_date(3), "10:00", email="hook@example.com",
                 answers={"reason": "Follow-up of a fall"},
                 referral={"source": "findadoc", "booking_referral": "ref-7"})
        r = self.receiver.wait_for(lambda r: r["path"] == "/all", what="booking.created")
        body = verify_standard_webhook(created["secret"], r["headers"], r["body"],
                                       now=int(server_now().timestamp()))
        self.assertEqual(body["type"], "booking.created")
        self.assertEqual(body["data"]["booking"]["id"], b["id"])
        self.assertEqual(body["data"]["booking"]["patient_email"], "hook@example.com")
        self.assertEqual([(a["id"], a["label"], a["value"]) for a in body["data"]["booking"]["answers"]],
                         [("reason", "Reason for visit", "Follow-up of a fall")])
        # A deep link's referrer, credited (docs/smart-scheduling-links.md).
        self.assertEqual(body["data"]["booking"]["referral"],
                         {"source": "findadoc", "booking_referral": "ref-7"})
        self.assertNotIn(b["manage_token"], r["body"].decode())
        self.assertNotIn("manage_token", r["body"].decode())
        self.assertRegex(r["headers"]["webhook-id"], r"^dlv_")
        with self.assertRaises(ValueError):  # another secret does not verify
            verify_standard_webhook(only_cancel["secret"], r["headers"], r["body"])
        self.assertEqual([x for x in self.receiver.received() if x["path"] == "/cancelled"], [])

        self.server.post(f"/api/v1/bookings/{b['id']}/cancel?token={b['manage_token']}", {})
        r = self.receiver.wait_for(lambda r: r["path"] == "/cancelled", what="booking.cancelled")
        body = verify_standard_webhook(only_cancel["secret"], r["headers"], r["body"])
        self.assertEqual((body["type"], body["data"]["booking"]["status"]),
                         ("booking.cancelled", "cancelled"))

        self.assertEqual(self.server.staff("DELETE", f"/api/v1/webhooks/{only_cancel['id']}").status,
                         200)
        self.assertEqual(self.server.staff("GET", f"/api/v1/webhooks/{only_cancel['id']}").status,
                         404)
        seen = len(self.receiver.received())
        b2 = book(self.server, future_date(3), "11:00", email="hook2@example.com")
        self.server.post(f"/api/v1/bookings/{b2['id']}/cancel?token={b2['manage_token']}", {})
        self.receiver.wait_for(lambda r: b2["id"].encode() in r["body"] and
                               b"booking.cancelled" in r["body"], what="the second cancel")
        time.sleep(1)
        late = [x for x in self.receiver.received()[seen:] if x["path"] == "/cancelled"]
        self.assertEqual(late, [])

    def test_per_clinic_subscriptions_patch_and_the_previous_state(self):
        r = self.server.staff("POST", "/api/v1/webhooks", {
            "url": self.receiver.url + "/other", "events": ["booking.created"],
            "clinic_id": "no-such-clinic"})
        self.assertEqual((r.status, r.json()["code"]), (404, "clinic_not_found"), r)
        mine = self.subscribe(["booking.rescheduled"], "/mine")
        r = self.server.staff("PATCH", f"/api/v1/webhooks/{mine['id']}", {"enabled": False})
        self.assertEqual((r.status, r.json()["webhook"]["enabled"]), (200, False), r)
        day = future_date(5)
        b = book(self.server, day, "10:00", email="prev@example.com")
        move = f"/api/v1/bookings/{b['id']}/reschedule?token={b['manage_token']}"
        self.assertEqual(self.server.post(move, {"start": utc_instant(day, "11:00")}).status, 200)
        time.sleep(1)
        self.assertEqual([x for x in self.receiver.received() if x["path"] == "/mine"], [])
        r = self.server.staff("PATCH", f"/api/v1/webhooks/{mine['id']}",
                              {"enabled": True, "description": "back"})
        self.assertEqual((r.json()["webhook"]["enabled"], r.json()["webhook"]["description"]),
                         (True, "back"))
        self.assertEqual(self.server.post(move, {"start": utc_instant(day, "12:00")}).status, 200)
        hit = self.receiver.wait_for(lambda r: r["path"] == "/mine", what="booking.rescheduled")
        body = verify_standard_webhook(mine["secret"], hit["headers"], hit["body"])
        self.assertEqual(body["data"]["booking"]["start"], utc_instant(day, "12:00"))
        self.assertEqual(body["data"]["previous"]["start"], utc_instant(day, "11:00"))
        r = self.server.staff("PATCH", f"/api/v1/webhooks/{mine['id']}", {"events": ["nope"]})
        self.assertEqual((r.status, r.json()["code"]), (400, "invalid_webhook"), r)
        self.server.staff("DELETE", f"/api/v1/webhooks/{mine['id']}")

    def test_failing_receiver_is_retried_with_the_same_id(self):
        receiver = HttpReceiver(status=500).start()
        try:
            r = self.server.staff("POST", "/api/v1/webhooks",
                                  {"url": receiver.url + "/flaky", "events": ["booking.created"]})
            secret = r.json()["secret"]
            book(self.server, future_date(4), "10:00", email="flaky@example.com")
            wait_until(lambda: len(receiver.received()) >= 2, what="a second attempt")
            receiver.status = 204
            wait_until(lambda: any(d["channel"] == "webhook" and d["status"] == "sent" and
                                   d["recipient"] == r.json()["id"]
                                   for d in deliveries(self.server)), what="a sent webhook")
            ids = {x["headers"]["webhook-id"] for x in receiver.received()}
            self.assertEqual(len(ids), 1, ids)
            for x in receiver.received():
                verify_standard_webhook(secret, x["headers"], x["body"])
            self.server.staff("DELETE", f"/api/v1/webhooks/{r.json()['id']}")
        finally:
            receiver.stop()

    def test_bad_subscriptions_are_refused(self):
        for body, field in [({"url": "ftp://example.org/x", "events": ["booking.created"]}, "url"),
                            ({"url": self.receiver.url, "events": ["booking.exploded"]}, "events"),
                            ({"url": self.receiver.url, "events": []}, "events"),
                            ({"events": ["booking.created"]}, "url")]:
            r = self.server.staff("POST", "/api/v1/webhooks", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertIn(field, r.json()["details"] + json.dumps(r.json().get("fields", {})))


class WebhookDisabled(unittest.TestCase):
    def test_a_receiver_failing_for_three_days_is_disabled(self):
        mail = MailServer().start()
        receiver = HttpReceiver(status=503).start()
        # Two attempts: the delivery runs out of them long before the three days.
        server = start_server(mail.port, extra=["--delivery-attempts", "2"])
        try:
            r = server.staff("POST", "/api/v1/webhooks",
                             {"url": receiver.url + "/down", "events": ["booking.created"]})
            hook = r.json()["id"]
            book(server, future_date(3), "10:00", email="down@example.com")
            failing = wait_until(lambda: (lambda w: w if w["failing_since"] else None)(
                server.staff("GET", f"/api/v1/webhooks/{hook}").json()["webhook"]),
                what="failing_since")
            self.assertIs(failing["enabled"], True)
            self.assertEqual(failing["last_error"], "HTTP 503")
            # Out of attempts, it waits for one more at the end of the three days (a claimed
            # attempt counts while it runs: wait for the second one's outcome).
            end = (datetime.strptime(failing["failing_since"], "%Y-%m-%dT%H:%M:%SZ")
                   + timedelta(hours=72)).strftime("%Y-%m-%dT%H:%M:%SZ")
            [last] = wait_until(lambda: [d for d in deliveries(server, channel="webhook")
                                         if d["attempts"] == 2 and d["next_attempt_at"] == end],
                                what="the last try at the 72-hour mark")
            self.assertEqual(last["status"], "pending")
            server.stop()
            # Three days later it still fails, with no new event: disabled at that try, and
            # nothing more is sent to it.
            server = start_server(mail.port, db=server.db, extra=["--delivery-attempts", "2"],
                                  fake_start=FAKE_START + timedelta(days=3, minutes=1))
            disabled = wait_until(lambda: (lambda w: w if not w["enabled"] else None)(
                server.staff("GET", f"/api/v1/webhooks/{hook}").json()["webhook"]),
                what="the webhook disabled")
            self.assertIsNotNone(disabled["disabled_at"])
            seen = len(receiver.received())
            book(server, future_date(6), "10:00", email="later@example.com")
            time.sleep(1.5)
            self.assertEqual(len(receiver.received()), seen)
        finally:
            server.stop()
            receiver.stop()
            mail.stop()


class Templates(unittest.TestCase):
    def test_a_clinic_overrides_a_template(self):
        root = tempfile.mkdtemp(prefix="slotbook-templates-")
        os.makedirs(os.path.join(root, "testclinic", "en"))
        with open(os.path.join(root, "testclinic", "en", "booking_confirmed.subject"), "w") as f:
            f.write("See you {{date_short}}, {{patient_name}}!")
        mail = MailServer().start()
        server = start_server(mail.port, extra=["--templates", root])
        try:
            book(server, future_date(3), "10:00", email="own@example.com", name="Olga")
            msg = mail.wait_for(to("own@example.com"), what="the confirmation")
            self.assertRegex(str(msg["Subject"]), r"^See you \w{3}, \w{3} \d+, Olga!$")
            self.assertIn("Dr. A", part(msg, "text/plain").get_content())  # the rest built in
        finally:
            server.stop()
            mail.stop()
        with open(os.path.join(root, "testclinic", "en", "booking_confirmed.txt"), "w") as f:
            f.write("{{#unclosed}}")
        broken = Server(args=["--templates", root])
        with self.assertRaises(RuntimeError) as failed:
            broken.start()
        self.assertIn("booking_confirmed.txt", str(failed.exception))


@unittest.skipUnless(POSTGRES, "several processes share a PostgreSQL database")
class SeveralProcesses(unittest.TestCase):
    def test_three_processes_deliver_each_message_once(self):
        mail = MailServer().start()
        receiver = HttpReceiver(status=204).start()
        first = start_server(mail.port)
        servers = [first] + [start_server(mail.port, db=first.db) for _ in range(2)]
        try:
            r = first.staff("POST", "/api/v1/webhooks",
                            {"url": receiver.url + "/all", "events": ["booking.created"]})
            self.assertEqual(r.status, 201, r)
            count = 18
            for i in range(count):  # each process books some; all deliver
                server = servers[i % 3]
                day = future_date(3 + i // 9)
                book(server, day, f"{8 + i % 9}:00", email=f"p{i}@example.com")
            wait_until(lambda: len([m for m in mail.messages if m[1][0].startswith("p")]) >= count
                       and len(receiver.received()) >= count, timeout=30, what="every message")
            time.sleep(2)
            patient_mail = [str(m["X-Slotbook-Delivery"]) for m in mail.parsed()
                            if str(m["To"]).find("@example.com") >= 0]
            self.assertEqual(len(patient_mail), count)
            self.assertEqual(len(set(patient_mail)), count)
            hook_ids = [x["headers"]["webhook-id"] for x in receiver.received()]
            self.assertEqual(len(hook_ids), count)
            self.assertEqual(len(set(hook_ids)), count)
        finally:
            for server in servers:
                server.stop()
            receiver.stop()
            mail.stop()


class WebhookForgery(unittest.TestCase):
    def test_private_and_plain_http_urls_are_refused_without_the_test_flag(self):
        server = Server(args=["--rate-limit", "0"]).start()
        try:
            for url in ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://10.1.2.3/x",
                        "https://169.254.169.254/latest", "https://[::1]/x",
                        "http://example.org/hook"]:
                r = server.staff("POST", "/api/v1/webhooks",
                                 {"url": url, "events": ["booking.created"]})
                self.assertEqual((r.status, r.json()["code"]), (400, "invalid_webhook"), (url, r))
        finally:
            server.stop()


class Sms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = MailServer().start()
        cls.twilio = HttpReceiver(status=201, reply=b'{"sid": "SM0123", "status": "queued"}').start()
        cls.server = start_server(cls.mail.port, sms=cls.twilio)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.twilio.stop()
        cls.mail.stop()

    def test_opted_in_patient_gets_a_short_text_in_e164(self):
        b = book(self.server, future_date(3), "10:00",
                 patient={"name": "Sam", "email": "sam@example.com", "phone": "(202) 555-0143",
                          "sms_opt_in": True})
        r = self.twilio.wait_for(lambda r: b"%2B12025550143" in r["body"], what="the SMS")
        form = twilio_form(r, ACCOUNT_SID, AUTH_TOKEN)
        self.assertEqual((form["To"], form["From"]), ("+12025550143", "+15550100"))
        self.assertIn("Test Clinic", form["Body"])
        self.assertLessEqual(len(form["Body"]), 160, form["Body"])  # one GSM-7 segment
        self.assertTrue(all(ord(c) < 128 for c in form["Body"]), form["Body"])
        # The short link leads to the booking's manage page with its token.
        link = re.search(re.escape(PUBLIC_URL) + r"(/m\?t=[\w-]+)", form["Body"])
        self.assertIsNotNone(link, form["Body"])
        r = self.server.get(link.group(1))
        self.assertEqual(r.status, 302, r)
        self.assertEqual(r.header("Location"),
                         f"/manage?booking={b['id']}&token={b['manage_token']}")
        self.assertEqual(self.server.get("/m?t=not-a-token").status, 404)
        sent = wait_until(lambda: [d for d in deliveries(self.server, booking_id=b["id"],
                                                         channel="sms") if d["status"] == "sent"],
                          what="a sent SMS")
        self.assertEqual(sent[0]["receipt"], "SM0123")

    def test_no_text_without_consent_and_sms_sent_says_so(self):
        day = future_date(4)
        body = {"date": day.isoformat(), "time": "10:00", "appointment_type": "consultation",
                "practitioner_id": "dr-a", "patient_name": "Staff Booked",
                "patient_phone": "202-555-0188"}
        r = self.server.staff("POST", "/api/calendar/appointments", body)
        self.assertEqual((r.status, r.json()["sms_sent"]), (201, False), r)
        r = self.server.staff("POST", "/api/calendar/appointments",
                              dict(body, time="11:00", sms_opt_in=True))
        self.assertEqual((r.status, r.json()["sms_sent"]), (201, True), r)
        self.twilio.wait_for(lambda r: b"%2B12025550188" in r["body"], what="the staff SMS")
        texts = [x for x in self.twilio.received() if b"%2B12025550188" in x["body"]]
        self.assertEqual(len(texts), 1)  # the first booking, without consent, got none

    def test_a_sender_that_is_not_e164_stops_the_server_at_start(self):
        for sender in ("5550100", "+0155501", "+1 555 0100", "Clinic"):
            with self.assertRaisesRegex(RuntimeError, "not an E.164 number", msg=sender):
                Server(args=["--sms-url", self.twilio.url, "--sms-from", sender]).start()

    def test_a_number_that_cannot_be_texted_is_a_field_error(self):
        r = self.server.post("/api/v1/bookings", booking_body(
            utc_instant(future_date(5), "10:00"),
            patient={"name": "Nope", "email": "n@example.com", "phone": "555 0100",
                     "sms_opt_in": True}))
        self.assertEqual(r.status, 422, r)
        self.assertIn("patient.phone", json.dumps(r.json()))
        r = self.server.staff("POST", "/api/calendar/appointments", {
            "date": future_date(5).isoformat(), "time": "11:00", "appointment_type": "consultation",
            "patient_name": "Nope", "patient_phone": "12", "sms_opt_in": True})
        self.assertEqual((r.status, list(r.json()["fields"])), (400, ["patient_phone"]), r)


class Reminders(unittest.TestCase):
    def test_reminder_goes_at_its_time_moves_with_the_booking_and_never_twice(self):
        mail = MailServer().start()
        twilio = HttpReceiver(status=201, reply=b'{"sid": "SM9"}').start()
        hooks = HttpReceiver(status=204).start()
        server = start_server(mail.port, sms=twilio)
        try:
            r = server.staff("POST", "/api/v1/webhooks",
                             {"url": hooks.url + "/reminders", "events": ["booking.reminder_sent"]})
            self.assertEqual(r.status, 201, r)
            # Starts in about 3 days: reminders due 24 h before. One within a day: none.
            day = future_date(3)
            b = book(server, day, "10:00", patient={"name": "Rem", "email": "rem@example.com",
                                                    "phone": "+1 202 555 0199", "sms_opt_in": True})
            # The servers' clock starts on a Monday at 09:00 in the clinic's zone.
            soon = book(server, future_date(0), "17:00", email="soon@example.com")
            pending = wait_until(lambda: [d for d in deliveries(server, booking_id=b["id"])
                                          if d["purpose"] == "reminder"], what="reminders")
            self.assertEqual(sorted(d["channel"] for d in pending), ["email", "sms"])
            due = pending[0]["next_attempt_at"]
            start = datetime.strptime(b["start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            self.assertEqual(datetime.strptime(due, "%Y-%m-%dT%H:%M:%SZ")
                             .replace(tzinfo=timezone.utc), start - timedelta(days=1))
            wait_until(lambda: deliveries(server, booking_id=soon["id"]), what="its confirmation")
            self.assertEqual([d for d in deliveries(server, booking_id=soon["id"])
                              if d["purpose"] == "reminder"], [])
            # Moved by an hour: the reminders move with it.
            r = server.post(f"/api/v1/bookings/{b['id']}/reschedule?token={b['manage_token']}",
                            {"start": utc_instant(day, "11:00")})
            self.assertEqual(r.status, 200, r)
            states = wait_until(lambda: (lambda ds: ds if len(ds) == 4 else None)(
                [d for d in deliveries(server, booking_id=b["id"]) if d["purpose"] == "reminder"]),
                what="new reminders")
            self.assertEqual(sorted(d["status"] for d in states),
                             ["cancelled", "cancelled", "pending", "pending"])
            server.stop()

            # The clock reaches the new due time: both reminders go, once.
            new_due = start + timedelta(hours=1) - timedelta(days=1)
            server = start_server(mail.port, sms=twilio, db=server.db,
                                  fake_start=new_due + timedelta(seconds=2))
            msg = mail.wait_for(lambda m: to("rem@example.com")(m) and
                                "reminder" in str(m["Subject"]).lower(), what="the reminder")
            self.assertIn("11:00 AM", part(msg, "text/plain").get_content())
            twilio.wait_for(lambda r: b"%2B12025550199" in r["body"] and b"Reminder" in r["body"],
                            what="the reminder SMS")
            appointment = wait_until(lambda: (lambda a: a if a["reminder_sent"] else None)(
                server.staff("GET", f"/api/calendar/appointments/{b['id']}").json()["appointment"]),
                what="reminder_sent")
            self.assertIsNotNone(appointment["reminder_sent_at"])
            server.stop()
            server = start_server(mail.port, sms=twilio, db=server.db,
                                  fake_start=new_due + timedelta(seconds=30))
            time.sleep(1.5)
            reminders = [m for m in mail.parsed() if to("rem@example.com")(m) and
                         "reminder" in str(m["Subject"]).lower()]
            self.assertEqual(len(reminders), 1)
            # Its email and its SMS are one reminder: one booking.reminder_sent (delivered at
            # least once: a repeat across the restarts keeps its webhook-id).
            wait_until(hooks.received, what="the booking.reminder_sent webhook")
            told = {h["headers"]["webhook-id"]: json.loads(h["body"]) for h in hooks.received()}
            self.assertEqual([(t["type"], t["data"]["booking"]["id"]) for t in told.values()],
                             [("booking.reminder_sent", b["id"])])
        finally:
            server.stop()
            twilio.stop()
            hooks.stop()
            mail.stop()

    def test_no_reminder_for_a_start_in_the_past(self):
        mail = MailServer().start()
        server = start_server(mail.port)
        try:
            b = book(server, future_date(3), "10:00", email="past@example.com")
            start = datetime.strptime(b["start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            server.stop()
            # The server was down through the reminder's time and the appointment itself.
            server = start_server(mail.port, db=server.db, fake_start=start + timedelta(hours=1))
            reminder = wait_until(lambda: [d for d in deliveries(server, booking_id=b["id"])
                                           if d["purpose"] == "reminder" and
                                           d["status"] != "pending"], what="the reminder settled")
            self.assertEqual(reminder[0]["status"], "cancelled")
            # Nor one asked for by staff now.
            r = server.staff("PATCH", f"/api/calendar/appointments/{b['id']}/remind")
            self.assertEqual(r.status, 400, r)
            self.assertIn("already started", r.body.decode())
            self.assertEqual([m for m in mail.parsed() if "reminder" in str(m["Subject"]).lower()],
                             [])
        finally:
            server.stop()
            mail.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
