"""Self-check of calendar_fakes.py, with urllib only and no booking-server: each fake end to
end the way a client following the providers' documentation would use it (consent, code
exchange with PKCE S256, an API call, an expired token refused with 401, a refresh), and the
refusals the fakes must make (a wrong code_verifier, a duplicate Google event id, a repeated
Graph transactionId, bad Zoom credentials), failure injection with Retry-After, down/refuse,
and conditional GETs of an ICS feed."""

import base64
import hashlib
import json
import secrets
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from calendar_fakes import (FakeGoogle, FakeMicrosoft, FakeZoom, IcsHost, decode_jwt_payload)

REDIRECT = "https://clinic.example.org/api/calendar/oauth/callback"
G = "https://www.googleapis.com/auth/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, url, body=None, headers=None, token=None, form=None):
    """(status, headers with lower-case names, parsed JSON or raw bytes)."""
    headers = dict(headers or {})
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        response = OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        raw = response.read()
        status = response.status if hasattr(response, "status") else response.code
        got = {k.lower(): v for k, v in response.headers.items()}
    try:
        return status, got, json.loads(raw) if raw else None
    except ValueError:
        return status, got, raw


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


class GoogleTest(unittest.TestCase):
    def setUp(self):
        self.google = FakeGoogle(client_id="cid", client_secret="csecret",
                                 token_lifetime=2).start()

    def tearDown(self):
        self.google.stop()
        self.assertEqual(self.google.errors, [])

    def auth_url(self, challenge, **extra):
        params = {"response_type": "code", "client_id": "cid", "redirect_uri": REDIRECT,
                  "scope": f"openid email {G}calendar.freebusy {G}calendar.events",
                  "state": "st4te", "code_challenge": challenge,
                  "code_challenge_method": "S256", "access_type": "offline"}
        params.update(extra)
        return self.google.url + "/o/oauth2/v2/auth?" + urllib.parse.urlencode(params)

    def connect(self, **extra):
        verifier, challenge = pkce()
        location = self.google.consent(self.auth_url(challenge, **extra))
        self.assertTrue(location.startswith(REDIRECT + "?"), location)
        q = query_of(location)
        self.assertEqual(q["state"], "st4te")
        status, _, token = call("POST", self.google.url + "/token", form={
            "grant_type": "authorization_code", "code": q["code"], "client_id": "cid",
            "client_secret": "csecret", "redirect_uri": REDIRECT, "code_verifier": verifier})
        self.assertEqual(status, 200, token)
        return token

    def test_consent_token_api_expiry_and_refresh(self):
        token = self.connect()
        self.assertEqual(token["token_type"], "Bearer")
        self.assertEqual(token["expires_in"], 2)
        claims = decode_jwt_payload(token["id_token"])
        self.assertEqual((claims["email"], claims["aud"], claims["iss"]),
                         ("doctor@gmail.com", "cid", "https://accounts.google.com"))
        self.google.add_event("doctor@gmail.com", "2027-01-12T15:00:00+00:00",
                              "2027-01-12T16:00:00+00:00")
        self.google.add_event("doctor@gmail.com", "2027-01-12T15:30:00Z", "2027-01-12T17:00:00Z")
        self.google.add_event("doctor@gmail.com", "2027-01-12T18:00:00Z", "2027-01-12T19:00:00Z",
                              transparent=True)
        self.google.add_event("doctor@gmail.com", "2027-01-13", "2027-01-14", all_day=True)
        query = {"timeMin": "2027-01-12T00:00:00Z", "timeMax": "2027-01-13T16:30:00-05:00",
                 "items": [{"id": "primary"}, {"id": "someone@else.example"}]}
        status, _, fb = call("POST", self.google.url + "/calendar/v3/freeBusy", query,
                             token=token["access_token"])
        self.assertEqual(status, 200, fb)
        self.assertEqual(fb["calendars"]["primary"]["busy"], [
            {"start": "2027-01-12T15:00:00Z", "end": "2027-01-12T17:00:00Z"},
            {"start": "2027-01-13T05:00:00Z", "end": "2027-01-13T21:30:00Z"}])
        self.assertEqual(fb["calendars"]["someone@else.example"]["errors"][0]["reason"],
                         "notFound")
        status, headers, body = call("POST", self.google.url + "/calendar/v3/freeBusy", query)
        self.assertEqual((status, headers["www-authenticate"]), (401, "Bearer"))
        self.assertEqual(body["error"]["status"], "UNAUTHENTICATED")
        time.sleep(2.2)  # the access token's lifetime
        status, _, _ = call("POST", self.google.url + "/calendar/v3/freeBusy", query,
                            token=token["access_token"])
        self.assertEqual(status, 401)
        status, _, fresh = call("POST", self.google.url + "/token", form={
            "grant_type": "refresh_token", "refresh_token": token["refresh_token"],
            "client_id": "cid", "client_secret": "csecret"})
        self.assertEqual(status, 200, fresh)
        self.assertNotIn("refresh_token", fresh)  # Google keeps the refresh token
        self.assertEqual(self.google.refreshes["doctor@gmail.com"], 1)
        status, _, _ = call("POST", self.google.url + "/calendar/v3/freeBusy", query,
                            token=fresh["access_token"])
        self.assertEqual(status, 200)
        status, _, body = call("POST", self.google.url + "/token", form={
            "grant_type": "refresh_token", "refresh_token": token["refresh_token"],
            "client_id": "cid", "client_secret": "wrong"})
        self.assertEqual((status, body["error"]), (401, "invalid_client"))
        self.google.revoke("doctor@gmail.com")
        status, _, body = call("POST", self.google.url + "/token", form={
            "grant_type": "refresh_token", "refresh_token": token["refresh_token"],
            "client_id": "cid", "client_secret": "csecret"})
        self.assertEqual((status, body["error"]), (400, "invalid_grant"))
        self.assertEqual(body["error_description"], "Token has been expired or revoked.")

    def test_a_wrong_code_verifier_and_bad_authorization_requests_are_refused(self):
        verifier, challenge = pkce()
        code = query_of(self.google.consent(self.auth_url(challenge)))["code"]
        form = {"grant_type": "authorization_code", "code": code, "client_id": "cid",
                "client_secret": "csecret", "redirect_uri": REDIRECT,
                "code_verifier": pkce()[0]}
        status, _, body = call("POST", self.google.url + "/token", form=form)
        self.assertEqual((status, body["error"]), (400, "invalid_grant"))
        status, _, body = call("POST", self.google.url + "/token",
                               body=dict(form, code_verifier=verifier))  # JSON, not a form
        self.assertEqual((status, body["error"]), (400, "invalid_request"))
        status, _, body = call("POST", self.google.url + "/token",
                               form=dict(form, code_verifier=verifier))
        self.assertEqual(status, 200, body)
        status, _, body = call("POST", self.google.url + "/token",
                               form=dict(form, code_verifier=verifier))
        self.assertEqual((status, body["error"]), (400, "invalid_grant"))  # single use
        with self.assertRaisesRegex(AssertionError, "access_type"):
            self.google.consent(self.auth_url(challenge, access_type="online"))
        with self.assertRaisesRegex(AssertionError, "S256"):
            self.google.approve(self.auth_url(challenge, code_challenge_method="plain"))
        with self.assertRaisesRegex(AssertionError, "calendar.events"):
            self.google.approve(self.auth_url(challenge, scope=G + "calendar.freebusy"))
        # A second consent without prompt=consent gets no new refresh token, as at Google.
        verifier, challenge = pkce()
        for prompt, has_refresh in ((None, False), ("consent", True)):
            extra = {"prompt": prompt} if prompt else {}
            code = query_of(self.google.approve(self.auth_url(challenge, **extra)))["code"]
            status, _, body = call("POST", self.google.url + "/token", form=dict(
                form, code=code, code_verifier=verifier))
            self.assertEqual(status, 200, body)
            self.assertEqual("refresh_token" in body, has_refresh, prompt)

    def test_events_ids_conferences_deletion_and_pages(self):
        token = self.connect()["access_token"]
        events = self.google.url + "/calendar/v3/calendars/primary/events"
        event = {"id": "slotbook0123456789abcdefuv", "summary": "Appointment",
                 "start": {"dateTime": "2027-01-12T10:00:00", "timeZone": "America/New_York"},
                 "end": {"dateTime": "2027-01-12T10:30:00-05:00"},
                 "conferenceData": {"createRequest": {
                     "requestId": "req-1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}}}
        status, _, created = call("POST", events + "?conferenceDataVersion=1&sendUpdates=none",
                                  event, token=token)
        self.assertEqual(status, 200, created)
        self.assertRegex(created["hangoutLink"], r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-"
                                                 r"[a-z]{3}$")
        self.assertEqual(created["conferenceData"]["entryPoints"][0]["uri"],
                         created["hangoutLink"])
        self.assertEqual(created["start"]["dateTime"], "2027-01-12T10:00:00-05:00")
        self.assertIn(("POST", created["id"], "none"), self.google.send_updates)
        status, _, body = call("POST", events, event, token=token)
        self.assertEqual((status, body["error"]["errors"][0]["reason"]), (409, "duplicate"))
        status, _, body = call("POST", events, dict(event, id="Has-Capitals"), token=token)
        self.assertEqual((status, body["error"]["message"]), (400, "Invalid resource id value."))
        plain = dict(event, id="slotbookplain0")
        status, _, body = call("POST", events, plain, token=token)
        self.assertEqual(status, 200, body)
        self.assertNotIn("hangoutLink", body)  # no conferenceDataVersion=1: ignored
        status, _, body = call("POST", events, dict(plain, id=None, end={
            "dateTime": "2027-01-12T09:00:00-05:00"}), token=token)
        self.assertEqual(status, 400, body)
        status, _, body = call("POST", events, dict(plain, id=None, start={
            "dateTime": "2027-01-12T10:00:00"}), token=token)
        self.assertEqual((status, body["error"]["message"]),
                         (400, "Missing time zone definition for start time."))
        one = events + "/" + created["id"]
        status, _, body = call("PATCH", one, {"summary": "Moved",
                                              "end": {"dateTime": "2027-01-12T16:00:00Z"}},
                               token=token)
        self.assertEqual((status, body["summary"], body["sequence"]), (200, "Moved", 1))
        status, _, body = call("GET", events + "?orderBy=startTime", token=token)
        self.assertEqual(status, 400, body)
        status, _, page = call("GET", events + "?singleEvents=true&orderBy=startTime&maxResults=1&"
                               "timeMin=2027-01-12T00:00:00Z", token=token)
        self.assertEqual((status, len(page["items"])), (200, 1), page)
        status, _, rest = call("GET", events + "?singleEvents=true&orderBy=startTime&maxResults=1"
                               "&timeMin=2027-01-12T00:00:00Z&pageToken=" +
                               page["nextPageToken"], token=token)
        self.assertEqual((status, len(rest["items"])), (200, 1), rest)
        self.assertNotIn("nextPageToken", rest)
        self.assertEqual(call("DELETE", one, token=token)[0], 204)
        self.assertEqual(call("DELETE", one, token=token)[0], 410)
        self.assertEqual(call("PATCH", one, {"summary": "x"}, token=token)[0], 410)
        self.assertEqual(call("PATCH", events + "/unknownid", {"summary": "x"},
                              token=token)[0], 404)
        status, _, listing = call("GET", events, token=token)
        self.assertEqual([e["id"] for e in listing["items"]], ["slotbookplain0"])
        self.assertEqual(self.google.event("doctor@gmail.com", created["id"])["status"],
                         "cancelled")
        # The token lacks a calendar-wide scope: calendars.get is refused, as at Google.
        status, _, body = call("GET", self.google.url + "/calendar/v3/calendars/primary",
                               token=token)
        self.assertEqual((status, body["error"]["errors"][0]["reason"]),
                         (403, "insufficientPermissions"))

    def test_fail_next_with_retry_after_then_normal_again(self):
        token = self.connect()["access_token"]
        url = self.google.url + "/calendar/v3/freeBusy"
        query = {"timeMin": "2027-01-12T00:00:00Z", "timeMax": "2027-01-13T00:00:00Z",
                 "items": [{"id": "primary"}]}
        self.google.fail_next("POST", r"/freeBusy$", 429, count=2, retry_after=7)
        for _ in range(2):
            status, headers, body = call("POST", url, query, token=token)
            self.assertEqual((status, headers["retry-after"]), (429, "7"))
            self.assertEqual(body["error"]["errors"][0]["reason"], "rateLimitExceeded")
        self.assertEqual(call("POST", url, query, token=token)[0], 200)
        self.google.down()
        self.assertEqual(call("POST", url, query, token=token)[0], 503)
        self.google.up()
        self.assertEqual(call("POST", url, query, token=token)[0], 200)
        seen = self.google.wait_for(lambda r: r["path"] == "/calendar/v3/freeBusy" and
                                    r["status"] == 503, timeout=1, what="a 503")
        self.assertEqual(seen["json"]["items"], [{"id": "primary"}])


class MicrosoftTest(unittest.TestCase):
    def setUp(self):
        self.ms = FakeMicrosoft(client_id="mcid", client_secret="msecret").start()

    def tearDown(self):
        self.ms.stop()
        self.assertEqual(self.ms.errors, [])

    def auth_url(self, challenge):
        return self.ms.url + "/common/oauth2/v2.0/authorize?" + urllib.parse.urlencode({
            "client_id": "mcid", "response_type": "code", "redirect_uri": REDIRECT,
            "response_mode": "query", "state": "s",
            "scope": "openid email offline_access User.Read "
                     "https://graph.microsoft.com/Calendars.ReadWrite",
            "code_challenge": challenge, "code_challenge_method": "S256"})

    def token_form(self, code, verifier):
        return {"client_id": "mcid", "scope": "offline_access Calendars.ReadWrite", "code": code,
                "redirect_uri": REDIRECT, "grant_type": "authorization_code",
                "code_verifier": verifier, "client_secret": "msecret"}

    def test_flow_calendar_view_pages_idempotent_create_and_refresh(self):
        verifier, challenge = pkce()
        q = query_of(self.ms.consent(self.auth_url(challenge)))
        token_url = self.ms.url + "/common/oauth2/v2.0/token"
        status, _, body = call("POST", token_url, form=self.token_form(q["code"], pkce()[0]))
        self.assertEqual((status, body["error"], body["error_codes"]),
                         (400, "invalid_grant", [501481]))
        status, _, token = call("POST", token_url, form=self.token_form(q["code"], verifier))
        self.assertEqual(status, 200, token)
        self.assertEqual(decode_jwt_payload(token["id_token"])["email"],
                         "doctor@hospital.example")
        access = token["access_token"]
        status, _, me = call("GET", self.ms.url + "/v1.0/me", token=access)
        self.assertEqual((status, me["mail"]), (200, "doctor@hospital.example"))
        for hour in (14, 15, 16):
            self.ms.add_event("doctor@hospital.example", f"2027-01-12T{hour}:00:00Z",
                              f"2027-01-12T{hour}:30:00Z", show_as="free" if hour == 16 else "busy")
        view = self.ms.url + "/v1.0/me/calendarView"
        status, _, body = call("GET", view, token=access)
        self.assertEqual((status, body["error"]["code"]), (400, "ErrorInvalidParameter"))
        url = view + "?startDateTime=2027-01-12T00:00:00&endDateTime=2027-01-13T00:00:00&$top=2"
        seen = []
        while url:
            status, headers, page = call("GET", url, token=access,
                                         headers={"Prefer": 'outlook.timezone="UTC"'})
            self.assertEqual(status, 200, page)
            self.assertEqual(headers["preference-applied"], 'outlook.timezone="UTC"')
            seen += page["value"]
            url = page.get("@odata.nextLink")
        self.assertEqual([(e["start"]["dateTime"], e["showAs"]) for e in seen], [
            ("2027-01-12T14:00:00.0000000", "busy"), ("2027-01-12T15:00:00.0000000", "busy"),
            ("2027-01-12T16:00:00.0000000", "free")])
        self.assertEqual(seen[0]["start"]["timeZone"], "UTC")
        event = {"subject": "Appointment", "transactionId": "booking-42",
                 "start": {"dateTime": "2027-01-14T10:00:00", "timeZone": "America/New_York"},
                 "end": {"dateTime": "2027-01-14T10:30:00", "timeZone": "Eastern Standard Time"},
                 "isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness"}
        status, _, first = call("POST", self.ms.url + "/v1.0/me/events", event, token=access)
        self.assertEqual(status, 201, first)
        self.assertTrue(first["onlineMeeting"]["joinUrl"].startswith(
            "https://teams.microsoft.com/l/meetup-join/"))
        status, _, again = call("POST", self.ms.url + "/v1.0/me/events", event, token=access)
        self.assertEqual((status, again["id"]), (201, first["id"]))
        self.assertEqual(len(self.ms.events("doctor@hospital.example")), 4)
        self.assertEqual(self.ms.event("doctor@hospital.example", first["id"])["start"],
                         {"dateTime": "2027-01-14T15:00:00.0000000", "timeZone": "UTC"})
        one = self.ms.url + "/v1.0/me/events/" + urllib.parse.quote(first["id"], safe="")
        status, _, patched = call("PATCH", one, {"subject": "Moved"}, token=access)
        self.assertEqual((status, patched["subject"]), (200, "Moved"))
        self.assertEqual(call("DELETE", one, token=access)[0], 204)
        status, _, body = call("DELETE", one, token=access)
        self.assertEqual((status, body["error"]["code"]), (404, "ErrorItemNotFound"))
        self.ms.expire_tokens()
        status, headers, body = call("GET", self.ms.url + "/v1.0/me", token=access)
        self.assertEqual((status, body["error"]["code"]), (401, "InvalidAuthenticationToken"))
        self.assertIn("www-authenticate", headers)
        status, _, fresh = call("POST", token_url, form={
            "client_id": "mcid", "client_secret": "msecret", "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"], "scope": "offline_access Calendars.ReadWrite"})
        self.assertEqual(status, 200, fresh)
        self.assertNotEqual(fresh["refresh_token"], token["refresh_token"])  # rotated
        self.assertEqual(self.ms.refreshes["doctor@hospital.example"], 1)
        self.assertEqual(call("GET", self.ms.url + "/v1.0/me", token=fresh["access_token"])[0],
                         200)
        status, _, body = call("POST", token_url, form={
            "client_id": "mcid", "client_secret": "nope", "grant_type": "refresh_token",
            "refresh_token": fresh["refresh_token"]})
        self.assertEqual((status, body["error"]), (401, "invalid_client"))
        self.ms.revoke("doctor@hospital.example")
        status, _, body = call("POST", token_url, form={
            "client_id": "mcid", "client_secret": "msecret", "grant_type": "refresh_token",
            "refresh_token": fresh["refresh_token"]})
        self.assertEqual((status, body["error"]), (400, "invalid_grant"))


class ZoomTest(unittest.TestCase):
    def setUp(self):
        self.zoom = FakeZoom(account_id="acc", client_id="zid", client_secret="zsecret").start()

    def tearDown(self):
        self.zoom.stop()
        self.assertEqual(self.zoom.errors, [])

    def token(self, secret="zsecret"):
        basic = base64.b64encode(f"zid:{secret}".encode()).decode()
        return call("POST", self.zoom.url + "/oauth/token?grant_type=account_credentials&"
                    "account_id=acc", headers={"Authorization": "Basic " + basic})

    def test_token_create_get_patch_delete(self):
        status, _, body = self.token("wrong")
        self.assertEqual((status, body["error"]), (401, "invalid_client"))
        status, _, token = self.token()
        self.assertEqual((status, token["token_type"]), (200, "bearer"))
        access = token["access_token"]
        create = self.zoom.url + "/v2/users/me/meetings"
        meeting = {"topic": "Video consultation", "type": 2, "start_time": "2027-01-12T15:00:00Z",
                   "duration": 30, "timezone": "America/New_York", "agenda": "",
                   "settings": {"join_before_host": False}}
        status, _, body = call("POST", create, meeting)
        self.assertEqual((status, body["code"]), (401, 124))
        status, _, body = call("POST", create, dict(meeting, duration="30"), token=access)
        self.assertEqual((status, body["code"]), (400, 300))
        status, _, made = call("POST", create, meeting, token=access)
        self.assertEqual(status, 201, made)
        self.assertTrue(10**7 <= made["id"] < 10**11)
        self.assertTrue(made["join_url"].startswith(f"https://zoom.us/j/{made['id']}?pwd="))
        self.assertEqual(made["start_time"], "2027-01-12T15:00:00Z")
        self.assertEqual(call("POST", self.zoom.url + "/v2/users/nobody@x.example/meetings",
                              meeting, token=access)[2]["code"], 1001)
        one = f"{self.zoom.url}/v2/meetings/{made['id']}"
        self.assertEqual(call("PATCH", one, {"start_time": "2027-01-12T11:00:00"},
                              token=access)[0], 204)
        status, _, body = call("GET", one, token=access)
        self.assertEqual((status, body["start_time"]), (200, "2027-01-12T16:00:00Z"))
        self.assertEqual(call("DELETE", one, token=access)[0], 204)
        status, _, body = call("GET", one, token=access)
        self.assertEqual((status, body["code"], body["message"]),
                         (404, 3001, f"Meeting does not exist: {made['id']}."))
        self.assertEqual(self.zoom.meetings(), [])
        self.zoom.fail_next("POST", "^/oauth/token$", 503, retry_after=1)
        status, headers, _ = self.token()
        self.assertEqual((status, headers["retry-after"]), (503, "1"))
        self.assertEqual(self.token()[0], 200)


class IcsHostTest(unittest.TestCase):
    def test_etag_304_down_and_refuse(self):
        ics = IcsHost().start()
        try:
            ics.put("/feed.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            url = ics.url_for("/feed.ics")
            status, headers, body = call("GET", url)
            self.assertEqual(status, 200)
            self.assertTrue(headers["content-type"].startswith("text/calendar"))
            etag = headers["etag"]
            status, _, body = call("GET", url, headers={"If-None-Match": etag})
            self.assertEqual((status, body), (304, None))
            ics.put("/feed.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
            status, headers, _ = call("GET", url, headers={"If-None-Match": etag})
            self.assertEqual(status, 200)
            self.assertNotEqual(headers["etag"], etag)
            self.assertEqual(ics.fetches["/feed.ics"], 3)
            self.assertEqual(call("GET", ics.url_for("/other.ics"))[0], 404)
            ics.down()
            self.assertEqual(call("GET", url)[0], 503)
            ics.up()
            ics.refuse()
            with self.assertRaises(urllib.error.URLError):
                call("GET", url)
            ics.up()
            self.assertEqual(call("GET", url)[0], 200)  # the same port again
            self.assertEqual(ics.errors, [])
        finally:
            ics.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
