"""Staff accounts (docs/staff-app.md, docs/api.md "Staff accounts"): the `user` and `key`
subcommands, sign-in with sessions, CSRF and Origin checks, roles, named API keys, and the
audit log. The security properties are tested from outside, as an attacker would meet them."""

import json
import os
import sqlite3
import subprocess
import time
import unittest
from datetime import timedelta

import pg_cluster
from harness import (API_KEY, FAKE_START, Server, binary, booking_body, db_bytes, db_rows,
                     future_date, is_postgres, utc_instant)

ADMIN = ("admin@example.org", "admin password 1")
DESK = ("Desk@Example.org", "front desk password")
DOCTOR = ("dr-a@example.org", "doctor password 1")


def cli(db, *args, stdin=""):
    return subprocess.run([binary(), *args, "--db", db], input=stdin, capture_output=True,
                          text=True, timeout=60)


def db_execute(db, sql):
    """Runs one statement that changes `db` (no parameters: the tests' own literals)."""
    if is_postgres(db):
        pg_cluster.run_psql(db, sql + ";\n")
        return
    conn = sqlite3.connect(db, timeout=10)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def make_users(db):
    for (email, password), role, extra in ((ADMIN, "admin", []),
                                           (DESK, "front_desk", ["--clinic", "testclinic"]),
                                           (DOCTOR, "practitioner",
                                            ["--clinic", "testclinic", "--practitioner", "dr-a"])):
        done = cli(db, "user", "add", "--email", email, "--role", role, *extra,
                   stdin=password + "\n")
        assert done.returncode == 0, done.stderr


class Browser:
    """A cookie jar and the CSRF token, as the staff app keeps them."""

    def __init__(self, server, origin=None):
        self.server = server
        self.origin = origin or f"http://127.0.0.1:{server.port}"
        self.cookie = None
        self.csrf = None

    def sign_in(self, email, password, origin=None):
        headers = {"Origin": origin or self.origin}
        if self.cookie:
            headers["Cookie"] = f"slotbook_session={self.cookie}"
        r = self.server.request("POST", "/api/v1/session", {"email": email, "password": password},
                                headers)
        if r.status == 200:
            self.cookie = cookie_value(r)
            self.csrf = r.json()["csrf_token"]
        return r

    def call(self, method, path, body=None, csrf=True, origin=True, headers=None):
        hdrs = {"Cookie": f"slotbook_session={self.cookie}"} if self.cookie else {}
        if csrf and self.csrf:
            hdrs["X-CSRF-Token"] = self.csrf
        if origin:
            hdrs["Origin"] = self.origin if origin is True else origin
        hdrs.update(headers or {})
        return self.server.request(method, path, body, hdrs)


def cookie_value(response):
    cookie = response.header("Set-Cookie") or ""
    first = cookie.split(";")[0]
    return first.split("=", 1)[1] if first.startswith("slotbook_session=") else None


class Base(unittest.TestCase):
    def setUp(self):
        self.server = Server(args=["--rate-limit", "0", "--allow-http-webhooks"])
        make_users(self.server.db)
        self.server.start()
        self.addCleanup(self.server.stop)

    def signed_in(self, who):
        browser = Browser(self.server)
        r = browser.sign_in(*who)
        self.assertEqual(r.status, 200, r)
        return browser

    def book(self, day_offset=10, hh="10:00", practitioner="dr-a"):
        day = future_date(day_offset, weekday=2)
        r = self.server.post("/api/v1/bookings",
                             booking_body(utc_instant(day, hh), practitioner=practitioner))
        self.assertEqual(r.status, 201, r)
        return r.json()["booking"]


class CommandLine(unittest.TestCase):
    def test_users_and_keys(self):
        db = Server().db
        self.assertEqual(cli(db, "user", "add", "--email", "a@example.org", "--role", "admin",
                             stdin="too short\n").returncode, 1)
        done = cli(db, "user", "add", "--email", "A@Example.org", "--role", "admin",
                   stdin="long enough password\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        again = cli(db, "user", "add", "--email", "a@example.org", "--role", "front_desk",
                    stdin="another long password\n")
        self.assertEqual(again.returncode, 1)
        self.assertIn("email_taken", again.stderr)
        bad = cli(db, "user", "add", "--email", "p@example.org", "--role", "practitioner",
                  stdin="long enough password\n")
        self.assertEqual(bad.returncode, 1)  # a practitioner names whose schedule
        listed = cli(db, "user", "list").stdout
        self.assertIn("a@example.org\tadmin", listed)
        self.assertNotIn("argon2", listed)
        key = cli(db, "key", "add", "--name", "EHR")
        self.assertEqual(key.returncode, 0, key.stderr)
        secret = key.stdout.strip()
        self.assertTrue(secret.startswith("sk_") and len(secret) > 40, secret)
        key_id = key.stderr.split()[2]
        self.assertIn(key_id + "\tEHR\t" + secret[:10] + "...", cli(db, "key", "list").stdout)
        self.assertNotIn(secret, cli(db, "key", "list").stdout)
        self.assertEqual(cli(db, "key", "revoke", "--id", key_id).returncode, 0)
        self.assertIn("revoked", cli(db, "key", "list").stdout)
        self.assertEqual(cli(db, "user", "disable", "--email", "a@example.org").returncode, 0)
        self.assertIn("disabled", cli(db, "user", "list").stdout)
        # At rest: an Argon2id hash, never the password; the key's hash, never the key.
        rows = db_rows(db, "SELECT password_hash FROM staff_users")
        self.assertTrue(rows[0][0].startswith("$argon2id$"), rows)
        at_rest = db_bytes(db)
        self.assertNotIn(b"long enough password", at_rest)
        self.assertNotIn(secret.encode(), at_rest)


class SignIn(Base):
    def test_wrong_password_and_unknown_user_answer_the_same(self):
        browser = Browser(self.server)
        wrong = browser.sign_in(ADMIN[0], "not the password")
        unknown = browser.sign_in("nobody@example.org", "not the password")
        self.assertEqual((wrong.status, wrong.body), (unknown.status, unknown.body))
        self.assertEqual(wrong.status, 401)
        self.assertEqual(wrong.json()["code"], "invalid_credentials")
        self.assertIsNone(wrong.header("Set-Cookie"))
        self.assertIsNone(unknown.header("Set-Cookie"))

    def test_brute_force_is_slowed(self):
        browser = Browser(self.server)
        for _ in range(5):
            self.assertEqual(browser.sign_in(DESK[0], "guess").status, 401)
        # Now every attempt waits, the right password included, and the wait grows.
        blocked = browser.sign_in(DESK[0], DESK[1])
        self.assertEqual(blocked.status, 429, blocked)
        self.assertEqual(blocked.json()["code"], "too_many_attempts")
        wait = int(blocked.header("Retry-After"))
        self.assertGreaterEqual(wait, 1)
        time.sleep(wait + 0.2)
        self.assertEqual(browser.sign_in(DESK[0], "guess again").status, 401)
        second = browser.sign_in(DESK[0], DESK[1])
        self.assertEqual(second.status, 429)
        self.assertGreater(int(second.header("Retry-After")), wait)
        # Another account from the same address is not locked by these failures.
        self.assertEqual(Browser(self.server).sign_in(*ADMIN).status, 200)
        time.sleep(int(second.header("Retry-After")) + 0.2)
        self.assertEqual(browser.sign_in(*DESK).status, 200)

    def test_cookie_flags(self):
        r = Browser(self.server).sign_in(*ADMIN)
        self.assertEqual(r.status, 200, r)
        cookie = r.header("Set-Cookie")
        attributes = [a.strip() for a in cookie.split(";")]
        self.assertIn("HttpOnly", attributes)
        self.assertIn("SameSite=Strict", attributes)
        self.assertIn("Path=/", attributes)
        self.assertNotIn("Secure", attributes)  # plain http here
        self.assertGreaterEqual(len(cookie_value(r)), 43)  # 256 bits, base64url
        user = r.json()["user"]
        self.assertEqual((user["email"], user["role"], user["clinic_id"]),
                         (ADMIN[0], "admin", None))

    def test_secure_cookie_behind_https(self):
        server = Server(args=["--public-url", "https://clinic.example.org"])
        make_users(server.db)
        server.start()
        self.addCleanup(server.stop)
        r = Browser(server, origin="https://clinic.example.org").sign_in(*ADMIN)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Secure", [a.strip() for a in r.header("Set-Cookie").split(";")])

    def test_session_id_changes_at_sign_in(self):
        browser = Browser(self.server)
        browser.cookie = "planted-by-an-attacker-0123456789abcdefghijkl"
        r = browser.sign_in(*DESK)
        self.assertEqual(r.status, 200)
        self.assertNotEqual(browser.cookie, "planted-by-an-attacker-0123456789abcdefghijkl")
        first = browser.cookie
        # Signing in again ends the session the browser had.
        self.assertEqual(browser.sign_in(*DESK).status, 200)
        self.assertNotEqual(browser.cookie, first)
        old = Browser(self.server)
        old.cookie = first
        self.assertEqual(old.call("GET", "/api/v1/session").status, 401)
        self.assertEqual(browser.call("GET", "/api/v1/session").status, 200)

    def test_sign_in_from_another_origin_is_refused(self):
        r = Browser(self.server).sign_in(*ADMIN, origin="https://evil.example")
        self.assertEqual((r.status, r.json()["code"]), (403, "csrf_failed"))
        self.assertIsNone(r.header("Set-Cookie"))
        # A program (no Origin at all) signs in; its writes still need token and Origin.
        r = self.server.post("/api/v1/session", {"email": ADMIN[0], "password": ADMIN[1]})
        self.assertEqual(r.status, 200, r)


class Csrf(Base):
    def test_cookie_writes_need_the_token_and_this_origin(self):
        browser = self.signed_in(DESK)
        booking = self.book()
        path = f"/api/calendar/appointments/{booking['id']}"
        no_token = browser.call("DELETE", path, {"reason": "x"}, csrf=False)
        self.assertEqual((no_token.status, no_token.json()["code"]), (403, "csrf_failed"))
        wrong_token = browser.call("DELETE", path, {"reason": "x"},
                                   headers={"X-CSRF-Token": "forged"})
        self.assertEqual(wrong_token.status, 403)
        foreign = browser.call("DELETE", path, {"reason": "x"}, origin="https://evil.example")
        self.assertEqual((foreign.status, foreign.json()["code"]), (403, "csrf_failed"))
        no_origin = browser.call("DELETE", path, {"reason": "x"}, origin=False)
        self.assertEqual(no_origin.status, 403)
        # Nothing was cancelled by any of them.
        still = browser.call("GET", path)
        self.assertEqual(still.json()["appointment"]["status"], "confirmed")
        ok = browser.call("DELETE", path, {"reason": "patient called"})
        self.assertEqual(ok.status, 200, ok)
        # Reads need no token; API keys need neither token nor Origin (no cookie at all).
        self.assertEqual(browser.call("GET", path, csrf=False, origin=False).status, 200)

    def test_staff_app_headers(self):
        r = self.server.get("/staff")
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("default-src 'none'", csp)
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))
        api = self.server.request("GET", "/api/v1/session", headers={"Origin": "https://evil.example"})
        self.assertIsNone(api.header("Access-Control-Allow-Origin"))


class Sessions(Base):
    def test_sign_out_and_sign_out_everywhere(self):
        first, second = self.signed_in(DESK), self.signed_in(DESK)
        self.assertEqual(first.call("DELETE", "/api/v1/session").status, 200)
        self.assertEqual(first.call("GET", "/api/calendar/appointments").status, 401)
        self.assertEqual(second.call("GET", "/api/calendar/appointments").status, 200)
        third = self.signed_in(DESK)
        r = third.call("POST", "/api/v1/session/sign-out-everywhere")
        self.assertEqual((r.status, r.json()["sessions_ended"]), (200, 2))
        for browser in (second, third):
            self.assertEqual(browser.call("GET", "/api/v1/session").status, 401)

    def test_disabled_user_is_signed_out(self):
        browser = self.signed_in(DESK)
        self.assertEqual(cli(self.server.db, "user", "disable", "--email", DESK[0]).returncode, 0)
        self.assertEqual(browser.call("GET", "/api/calendar/appointments").status, 401)
        self.assertEqual(Browser(self.server).sign_in(*DESK).status, 401)

    def test_absolute_lifetime(self):
        browser = self.signed_in(DESK)
        # A session past its seventh day, however recently used, is over.
        db_execute(self.server.db, "UPDATE staff_sessions SET expires_at = created_at")
        self.assertEqual(browser.call("GET", "/api/v1/session").status, 401)
        self.assertEqual(browser.call("GET", "/api/calendar/appointments").status, 401)


class IdleTimeout(unittest.TestCase):
    def test_idle_sessions_end(self):
        server = Server()
        make_users(server.db)
        server.start()
        browser = Browser(server)
        self.assertEqual(browser.sign_in(*DESK).status, 200)
        cookie = browser.cookie
        server.stop()
        # The same database, 7 hours later: still signed in. Then 8 more idle hours: not.
        later = Server(db=server.db, fake_start=FAKE_START + timedelta(hours=7))
        later.start()
        browser.server = later
        self.assertEqual(browser.call("GET", "/api/v1/session").status, 200)
        later.stop()
        idle = Server(db=server.db, fake_start=FAKE_START + timedelta(hours=15, minutes=5))
        idle.start()
        self.addCleanup(idle.stop)
        browser.server = idle
        browser.cookie = cookie
        self.assertEqual(browser.call("GET", "/api/v1/session").status, 401)


class Roles(Base):
    def test_front_desk_runs_bookings_not_settings(self):
        desk = self.signed_in(DESK)
        booking = self.book()
        self.assertEqual(desk.call("GET", "/api/calendar/appointments").status, 200)
        day = future_date(12, weekday=3)
        made = desk.call("POST", "/api/calendar/appointments",
                         {"patient_name": "Phone Caller", "date": day.isoformat(), "time": "11:00",
                          "appointment_type": "consultation", "practitioner_id": "any"})
        self.assertEqual(made.status, 201, made)
        for method, path, body in (("PUT", "/api/calendar/clinic", {"clinic": {"id": "testclinic"}}),
                                   ("GET", "/api/v1/keys", None),
                                   ("POST", "/api/v1/keys", {"name": "mine"}),
                                   ("GET", "/api/v1/audit", None),
                                   ("GET", "/api/v1/webhooks", None),
                                   ("GET", "/api/v1/deliveries", None)):
            r = desk.call(method, path, body)
            self.assertEqual((r.status, r.json()["code"]), (403, "forbidden"), (method, path, r))
        # Their clinic's configuration reads without what settings keep to themselves.
        clinic = desk.call("GET", "/api/calendar/clinic").json()["clinic"]
        self.assertEqual(clinic["clinic"]["id"], "testclinic")
        history = desk.call("GET", f"/api/calendar/appointments/{booking['id']}/history")
        self.assertEqual(history.status, 200, history)

    def test_practitioner_sees_only_their_own(self):
        mine, theirs = self.book(practitioner="dr-a"), self.book(hh="11:00", practitioner="dr-b")
        doctor = self.signed_in(DOCTOR)
        listed = doctor.call("GET", "/api/calendar/appointments?days=60").json()["appointments"]
        self.assertEqual([a["id"] for a in listed], [mine["id"]])
        self.assertEqual(doctor.call("GET", f"/api/calendar/appointments/{theirs['id']}").status,
                         404)
        day = future_date(10, weekday=2)
        schedule = doctor.call("GET", f"/api/v1/schedule?start_date={day}&end_date={day}").json()
        self.assertEqual([a["practitioner_id"] for a in schedule["appointments"]], ["dr-a"])
        r = doctor.call("DELETE", f"/api/calendar/appointments/{mine['id']}", {"reason": "x"})
        self.assertEqual(r.status, 403)
        status = doctor.call("GET", "/api/calendar/status?practitioner_id=dr-a")
        self.assertEqual(status.status, 200, status)
        other = doctor.call("GET", "/api/calendar/status?practitioner_id=dr-b")
        self.assertEqual(other.status, 403)


class ApiKeys(Base):
    def test_named_keys(self):
        admin = self.signed_in(ADMIN)
        created = admin.call("POST", "/api/v1/keys", {"name": "EHR sync", "clinic_id": "testclinic"})
        self.assertEqual(created.status, 201, created)
        secret, key = created.json()["secret"], created.json()["key"]
        self.assertEqual((key["name"], key["clinic_id"], key["last_used_at"]),
                         ("EHR sync", "testclinic", None))
        listed = admin.call("GET", "/api/v1/keys").json()["keys"]
        self.assertNotIn(secret, json.dumps(listed))
        # The key works for the staff API and the partner protocol, and is recorded as used.
        r = self.server.get("/api/calendar/appointments", {"X-API-Key": secret})
        self.assertEqual(r.status, 200, r)
        day = future_date(10)
        r = self.server.get(f"/api/calendar/free-slots/dr-a?start_date={day}&end_date={day}",
                            {"X-API-Key": secret})
        self.assertEqual(r.status, 200, r)
        used = admin.call("GET", "/api/v1/keys").json()["keys"][0]
        self.assertIsNotNone(used["last_used_at"])
        # A key cannot make keys; the bootstrap key still works.
        self.assertEqual(self.server.post("/api/v1/keys", {"name": "more"},
                                          {"X-API-Key": secret}).status, 403)
        self.assertEqual(self.server.staff("GET", "/api/calendar/appointments").status, 200)
        # Revoked: refused at once, on every dialect.
        self.assertEqual(admin.call("DELETE", f"/api/v1/keys/{key['id']}").status, 200)
        self.assertEqual(self.server.get("/api/calendar/appointments",
                                         {"X-API-Key": secret}).status, 401)
        r = self.server.get(f"/api/calendar/free-slots/dr-a?start_date={day}&end_date={day}",
                            {"X-API-Key": secret})
        self.assertEqual((r.status, r.json()), (401, {"detail": "Invalid API key"}))
        self.assertNotIn(secret.encode(), db_bytes(self.server.db))


class Audit(Base):
    def test_who_changed_what(self):
        booking = self.book()
        desk = self.signed_in(DESK)
        path = f"/api/calendar/appointments/{booking['id']}"
        day = future_date(11, weekday=4)
        moved = desk.call("PATCH", path, {"date": day.isoformat(), "time": "09:00"})
        self.assertEqual(moved.status, 200, moved)
        self.assertEqual(desk.call("DELETE", path, {"reason": "called in"}).status, 200)
        history = desk.call("GET", path + "/history").json()["entries"]
        self.assertEqual([e["action"] for e in history],
                         ["booking.cancelled", "booking.rescheduled", "booking.created"])
        cancelled, rescheduled, created = history
        self.assertEqual(created["actor"]["type"], "patient")
        self.assertEqual((rescheduled["actor"]["type"], rescheduled["actor"]["name"]),
                         ("user", DESK[0].lower()))
        self.assertEqual(rescheduled["before"]["start"], booking["start"])
        self.assertEqual(rescheduled["after"]["start"], utc_instant(day, "09:00"))
        self.assertEqual((cancelled["before"]["status"], cancelled["after"]["status"]),
                         ("confirmed", "cancelled"))
        self.assertEqual(cancelled["after"]["cancel_reason"], "called in")
        self.assertNotIn("pat@example.com", json.dumps(history))  # no contact details
        # A setting changed by an admin, with the configuration before and after.
        admin = self.signed_in(ADMIN)
        config = admin.call("GET", "/api/calendar/clinic").json()["clinic"]
        config["rules"]["min_notice_minutes"] = 30
        self.assertEqual(admin.call("PUT", "/api/calendar/clinic", config).status, 200)
        entries = admin.call("GET", "/api/v1/audit?limit=2").json()
        latest = entries["entries"][0]
        self.assertEqual((latest["action"], latest["target_type"], latest["actor"]["name"]),
                         ("clinic.config_changed", "clinic", ADMIN[0]))
        self.assertEqual(latest["before"]["rules"].get("min_notice_minutes", 120), 120)
        self.assertEqual(latest["after"]["rules"]["min_notice_minutes"], 30)
        older = admin.call("GET", f"/api/v1/audit?before={entries['next_before']}").json()
        self.assertTrue(all(e["id"] < entries["next_before"] for e in older["entries"]))
        # Webhooks are settings too: made and deleted, never with their secret.
        hook = admin.call("POST", "/api/v1/webhooks",
                          {"url": "http://127.0.0.1:9/slotbook", "events": ["booking.created"]})
        self.assertEqual(hook.status, 201, hook)
        self.assertEqual(admin.call("DELETE", f"/api/v1/webhooks/{hook.json()['id']}").status, 200)
        hooks = admin.call("GET", f"/api/v1/audit?target_id={hook.json()['id']}").json()["entries"]
        self.assertEqual([e["action"] for e in hooks], ["webhook.deleted", "webhook.created"])
        self.assertNotIn(hook.json()["secret"], json.dumps(hooks))
        # The staff API with the bootstrap key reads it too.
        self.assertEqual(self.server.staff("GET", "/api/v1/audit").status, 200)


class StaffAppReads(Base):
    def test_schedule_search_preview_resend(self):
        booking = self.book()
        desk = self.signed_in(DESK)
        day = future_date(10, weekday=2)
        r = desk.call("GET", f"/api/v1/schedule?start_date={day}&end_date={day + timedelta(days=6)}")
        self.assertEqual(r.status, 200, r)
        found = r.json()["appointments"]
        self.assertEqual([a["id"] for a in found], [booking["id"]])
        self.assertLess(found[0]["occupancy_start"], found[0]["occupancy_end"])
        etag = r.header("ETag")
        again = desk.call("GET", f"/api/v1/schedule?start_date={day}&end_date={day + timedelta(days=6)}",
                          headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        too_long = desk.call("GET", f"/api/v1/schedule?start_date={day}&end_date={day + timedelta(days=40)}")
        self.assertEqual(too_long.status, 400)
        for q in ("pat patient", "PAT@EXAMPLE", "0100", booking["confirmation_number"].lower()):
            hits = desk.call("GET", f"/api/v1/appointments/search?q={q.replace(' ', '%20')}")
            self.assertEqual([a["id"] for a in hits.json()["appointments"]], [booking["id"]], q)
        self.assertEqual(desk.call("GET", "/api/v1/appointments/search?q=zz%25").json()["appointments"], [])
        # No mail or SMS configured: nothing to send again, and the answer says so.
        resent = desk.call("POST", f"/api/v1/appointments/{booking['id']}/resend-confirmation")
        self.assertEqual((resent.status, resent.json()["queued"]), (200, 0), resent)
        # The dry run names the booking new hours would leave outside, and stores nothing.
        admin = self.signed_in(ADMIN)
        config = admin.call("GET", "/api/calendar/clinic").json()["clinic"]
        weekday = day.strftime("%A").lower()
        for p in config["practitioners"]:
            if p["id"] == "dr-a":
                p["weekly_hours"][weekday] = [{"start": "13:00", "end": "17:00"}]
        preview = admin.call("PUT", "/api/calendar/clinic?dry_run=true", config).json()
        self.assertEqual((preview["dry_run"], preview["valid"]), (True, True), preview)
        self.assertEqual([a["id"] for a in preview["outside_hours"]], [booking["id"]])
        stored = admin.call("GET", "/api/calendar/clinic").json()["clinic"]
        self.assertNotEqual(stored["practitioners"][0]["weekly_hours"].get(weekday),
                            [{"start": "13:00", "end": "17:00"}])
        config["appointment_types"][0]["duration_minutes"] = 0
        bad = admin.call("PUT", "/api/calendar/clinic?dry_run=true", config).json()
        self.assertEqual((bad["valid"], bad["code"]), (False, "invalid_clinic_config"), bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)
