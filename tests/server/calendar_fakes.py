"""Local stand-ins for the calendar and video providers booking-server talks to, checking
requests the way the providers document them. Standard library only; each fake is an HTTP
server on 127.0.0.1 and a free port (`start()` returns the fake, `.url` is its origin,
`flags()` the server's command-line arguments that point at it, `stop()`).

- FakeGoogle: OAuth 2.0 for web server apps (authorization code with PKCE S256,
  access_type=offline, refresh tokens only on first consent or with prompt=consent, like
  Google), OpenID userinfo, token revocation, and Calendar API v3: calendars.get,
  freeBusy.query, events list/insert/get/patch/update/delete (client-specified base32hex
  ids, 409 on a duplicate, 410 on a deleted event, Meet links with conferenceDataVersion=1,
  pagination, orderBy=startTime only with singleEvents=true, 410 fullSyncRequired for any
  syncToken). Scopes are enforced per method (403 insufficientPermissions).
- FakeMicrosoft: identity platform v2.0 (authorization code with PKCE S256, rotating refresh
  tokens, AADSTS error codes) and Graph v1.0: /me (needs a User.* scope), calendarView
  (startDateTime and endDateTime required, default page size 10 as Graph's, $top, $skip,
  $select, @odata.nextLink, Prefer: outlook.timezone and odata.maxpagesize), events
  create/get/patch/delete (transactionId idempotency, Teams links, IANA and common Windows
  zone names).
- FakeZoom: Server-to-Server OAuth (grant_type=account_credentials, Basic client auth, no
  refresh token, several live tokens at once) and the Meetings API: create for a known user
  ("me" is the host), get, patch (204), delete (204), Zoom's error codes (124, 300, 1001,
  3001).
- IcsHost: serves ICS texts with ETag and Last-Modified, answers 304 to If-None-Match (or
  If-Modified-Since), counts GETs per path.

Common to all:
- `.requests`: every request as a dict {method, path (no query, not unquoted), target (as
  sent), query (name -> last value), query_list (pairs), headers (lower-case names),
  body (bytes), json (parsed JSON object or None), form (dict or None), status (answered)}.
  `received()` copies it; `wait_for(predicate, timeout=20, what=...)` returns the first
  request for which predicate holds; `matching(method, path_regex)` filters.
- `fail_next(method, path_regex, status, count=1, retry_after=None, body=None)`: the next
  `count` requests whose method matches (None or "*" for any) and whose path matches
  `path_regex` (re.search) get `status` (with Retry-After when given; a provider-shaped
  error body unless `body` is given: dict -> JSON, str/bytes -> as is) without being acted
  on. `down()` makes everything answer 503 until `up()`; `refuse()` stops listening (and
  closes open connections) until `up()` listens again on the same port.
- Access tokens are random strings living `token_lifetime` seconds (time.monotonic());
  an API request without `Authorization: Bearer <live token>` gets the provider's 401.
  `revoke(account)` invalidates the account's refresh and access tokens; `expire_tokens()`
  ends the life of access tokens at once (no need to sleep through token_lifetime).
- `clock` (constructor keyword, default time.time) gives the wall-clock seconds written
  into id_tokens (iat, exp) and timestamps; booking-server runs under libfaketime, so a test
  whose server checks id_token exp should pass a clock matching the server's.
- Every wait has a timeout; server threads are daemons and stop with `stop()`.
"""

import base64
import collections
import copy
import email.utils
import hashlib
import http.client
import http.server
import json
import random
import re
import secrets
import socket
import string
import threading
import time
import traceback
import urllib.parse
import uuid
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc

# ---- replies and small helpers ---------------------------------------------------------------


class Reply:
    def __init__(self, status, body=b"", headers=(), content_type=None):
        self.status = status
        self.body = body
        self.headers = list(headers)
        if content_type and body:
            self.headers.append(("Content-Type", content_type))


def json_reply(status, obj, headers=()):
    return Reply(status, json.dumps(obj).encode(), headers, "application/json; charset=UTF-8")


def text_reply(status, text, headers=(), content_type="text/plain; charset=utf-8"):
    return Reply(status, text.encode() if isinstance(text, str) else text, headers, content_type)


class Answer(Exception):
    """Raised anywhere in a route to answer with `reply` at once."""

    def __init__(self, reply):
        super().__init__(reply.status)
        self.reply = reply


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def s256(verifier):
    """RFC 7636 S256: BASE64URL-NOPAD(SHA256(ASCII(code_verifier)))."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")  # RFC 7636 4.1 / 4.2


def unsigned_jwt(payload):
    """A JWT-shaped "header.payload.signature"; the signature is random bytes, not a real one."""
    header = {"alg": "RS256", "kid": "fake-key", "typ": "JWT"}
    return ".".join([b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()),
                     b64url(secrets.token_bytes(32))])


def decode_jwt_payload(token):
    """The payload of a JWT-shaped token, for tests."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


def parse_rfc3339(text):
    """An aware datetime from an RFC 3339 timestamp with its mandatory offset; ValueError
    otherwise."""
    if not isinstance(text, str) or not RFC3339.match(text):
        raise ValueError(f"not an RFC 3339 timestamp with an offset: {text!r}")
    return datetime.fromisoformat(text.upper())


def instant(value, zone=UTC):
    """An aware datetime from an aware datetime, or an ISO 8601 string (naive ones are read
    in `zone`)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("z", "Z"))
    if not isinstance(value, datetime):
        raise TypeError(f"not a datetime: {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def zulu(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zulu_ms(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def merge_spans(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def zone_named(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def header_bearer(headers):
    """The token of an `Authorization: Bearer <token>` header, "" when absent or another
    scheme (RFC 6750: the scheme is case-insensitive)."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def header_basic(headers):
    """(user, password) of an `Authorization: Basic` header, or None. RFC 6749 2.3.1: both
    are form-urlencoded before base64."""
    value = headers.get("authorization", "")
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password)


def is_form(req):
    return req["headers"].get("content-type", "").split(";")[0].strip().lower() == \
        "application/x-www-form-urlencoded"


def is_json(req):
    return req["headers"].get("content-type", "").split(";")[0].strip().lower() == \
        "application/json"


def path_segments(path):
    return [urllib.parse.unquote(s) for s in path.split("/")[1:]]


# ---- tokens --------------------------------------------------------------------------------


class TokenStore:
    """Access tokens (token -> account, scopes, monotonic expiry) and refresh tokens (token ->
    account, scopes) of one fake. Callers hold the fake's lock."""

    def __init__(self, lifetime, access_prefix="", refresh_prefix=""):
        self.lifetime = lifetime
        self.access_prefix = access_prefix
        self.refresh_prefix = refresh_prefix
        self.access = {}
        self.refresh = {}

    def new_access(self, account, scopes):
        token = self.access_prefix + secrets.token_urlsafe(40)
        self.access[token] = {"account": account, "scopes": list(scopes),
                              "expires": time.monotonic() + self.lifetime}
        return token

    def new_refresh(self, account, scopes):
        token = self.refresh_prefix + secrets.token_urlsafe(48)
        self.refresh[token] = {"account": account, "scopes": list(scopes)}
        return token

    def check(self, headers):
        """(entry, None) for a live bearer token, else (None, "missing"|"unknown"|"expired")."""
        token = header_bearer(headers)
        if not token:
            return None, "missing"
        entry = self.access.get(token)
        if entry is None:
            return None, "unknown"
        if time.monotonic() >= entry["expires"]:
            return None, "expired"
        return entry, None

    def revoke(self, account):
        for table in (self.access, self.refresh):
            for token in [t for t, e in table.items() if e["account"] == account]:
                del table[token]

    def expire(self, account=None):
        for entry in self.access.values():
            if account is None or entry["account"] == account:
                entry["expires"] = time.monotonic() - 1

    def has_refresh(self, account):
        return any(e["account"] == account for e in self.refresh.values())


# ---- the HTTP server common to all fakes ----------------------------------------------------


class FakeService:
    """An HTTP/1.1 server on 127.0.0.1 recording every request, with failure injection.
    Subclasses implement route(req) -> Reply and may override failure_reply()."""

    name = "fake"

    def __init__(self, clock=None):
        self.clock = clock or time.time
        self.requests = []
        self.errors = []  # tracebacks of the fake's own bugs (answered 500)
        self._lock = threading.RLock()
        self._failures = []
        self._down = False
        self._server = None
        self._thread = None
        self._connections = set()
        self.port = None

    # -- life cycle

    def start(self):
        self._listen(0)
        return self

    def stop(self):
        self._close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def down(self):
        """Answer 503 to everything until up()."""
        with self._lock:
            self._down = True

    def up(self):
        """Undo down() and refuse()."""
        with self._lock:
            self._down = False
        if self._server is None and self.port is not None:
            self._listen(self.port)

    def refuse(self):
        """Stop listening (connections are refused) and close open ones, until up()."""
        self._close()

    def _listen(self, port):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue for curl
            disable_nagle_algorithm = True
            timeout = 30  # an idle keep-alive connection is dropped, its thread ends

            def setup(self):
                super().setup()
                with fake._lock:
                    fake._connections.add(self.connection)

            def finish(self):
                with fake._lock:
                    fake._connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def handle(self):
                try:
                    super().handle()
                except (ConnectionError, OSError):
                    pass

            def do_GET(self):
                fake._handle(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

            def log_message(self, *args):
                pass

        deadline = time.monotonic() + 10
        while True:
            try:
                server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                if port == 0 or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True, name=f"{self.name}-{self.port}")
        self._thread.start()

    def _close(self):
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=10)

    # -- requests

    def _handle(self, handler):
        try:
            body = self._read_body(handler)
        except (ValueError, OSError):
            handler.close_connection = True
            return
        split = urllib.parse.urlsplit(handler.path)
        pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        req = {"method": handler.command, "path": split.path, "target": handler.path,
               "query": dict(pairs), "query_list": pairs, "headers": headers, "body": body,
               "json": None, "form": None, "status": None, "time": time.monotonic()}
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if body and ctype == "application/x-www-form-urlencoded":
            try:
                req["form"] = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True,
                                                          strict_parsing=True))
            except (ValueError, UnicodeDecodeError):
                req["form"] = None
        if body and (ctype == "application/json" or ctype.endswith("+json")):
            try:
                req["json"] = json.loads(body)
            except ValueError:
                req["json"] = None
        with self._lock:
            self.requests.append(req)
            reply = self._answer(req)
            req["status"] = reply.status
        self._send(handler, reply)

    @staticmethod
    def _read_body(handler):
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(handler.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while handler.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
        length = int(handler.headers.get("Content-Length", "0") or "0")
        return handler.rfile.read(length) if length > 0 else b""

    def _send(self, handler, reply):
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers:
                handler.send_header(name, value)
            if reply.status not in (204, 304) and not 100 <= reply.status < 200:
                handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            if handler.command != "HEAD" and reply.status not in (204, 304):
                handler.wfile.write(reply.body)
            handler.wfile.flush()
        except OSError:
            handler.close_connection = True

    def _answer(self, req):
        if self._down:
            return self.failure_reply(req, 503)
        for failure in self._failures:
            if failure["count"] > 0 and failure["method"] in (None, "*", req["method"]) and \
                    re.search(failure["path"], req["path"]):
                failure["count"] -= 1
                self._failures = [f for f in self._failures if f["count"] > 0]
                reply = self.failure_reply(req, failure["status"])
                if failure["body"] is not None:
                    body = failure["body"]
                    if isinstance(body, (dict, list)):
                        reply = json_reply(failure["status"], body)
                    else:
                        reply = text_reply(failure["status"], body)
                if failure["retry_after"] is not None:
                    reply.headers.append(("Retry-After", str(failure["retry_after"])))
                return reply
        try:
            return self.route(req)
        except Answer as answer:
            return answer.reply
        except Exception:  # a bug of the fake itself: visible to the test
            self.errors.append(traceback.format_exc())
            return text_reply(500, "fake failed:\n" + self.errors[-1])

    def route(self, req):
        raise NotImplementedError

    def failure_reply(self, req, status):
        """The body an injected failure or down() answers with: the provider's shape."""
        return text_reply(status, http.client.responses.get(status, "error"))

    # -- failure injection and assertions

    def fail_next(self, method, path_regex, status, count=1, retry_after=None, body=None):
        with self._lock:
            self._failures.append({"method": method.upper() if method else None,
                                   "path": path_regex, "status": status, "count": count,
                                   "retry_after": retry_after, "body": body})

    def clear_failures(self):
        with self._lock:
            self._failures = []

    def received(self):
        with self._lock:
            return list(self.requests)

    def matching(self, method=None, path_regex=""):
        return [r for r in self.received()
                if method in (None, "*", r["method"]) and re.search(path_regex, r["path"])]

    def wait_for(self, predicate, timeout=20, what="a request"):
        deadline = time.monotonic() + timeout
        while True:
            for r in self.received():
                if r["status"] is not None and predicate(r):
                    return r
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        seen = [f"{r['method']} {r['path']} -> {r['status']}" for r in self.received()][-20:]
        raise AssertionError(f"{self.name}: no {what} within {timeout}s; last requests: {seen}")

    # -- helpers for subclasses

    def _consent_get(self, auth_url):
        """GET auth_url on this fake without following the redirect: the Location."""
        split = urllib.parse.urlsplit(auth_url)
        target = split.path + ("?" + split.query if split.query else "")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", target)
            response = conn.getresponse()
            body = response.read()
            if response.status != 302:
                raise AssertionError(f"{self.name} refused the authorization request "
                                     f"({response.status}): {body.decode(errors='replace')}")
            return response.getheader("Location")
        finally:
            conn.close()

    def _now_iso(self):
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _redirect_with(redirect_uri, params):
    joiner = "&" if urllib.parse.urlsplit(redirect_uri).query else "?"
    return redirect_uri + joiner + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def _split_scopes(value):
    return [s for s in (value or "").split(" ") if s]


# ---- Google ------------------------------------------------------------------------------

GOOGLE_SCOPE = "https://www.googleapis.com/auth/"
G_FREEBUSY = GOOGLE_SCOPE + "calendar.freebusy"
G_EVENTS = GOOGLE_SCOPE + "calendar.events"
G_CALENDAR = GOOGLE_SCOPE + "calendar"
# Which granted scopes let a token call which method (Calendar API reference).
G_FREEBUSY_OK = {G_CALENDAR, G_CALENDAR + ".readonly", G_FREEBUSY, G_EVENTS,
                 G_EVENTS + ".readonly", G_EVENTS + ".freebusy"}
G_EVENTS_READ_OK = {G_CALENDAR, G_CALENDAR + ".readonly", G_EVENTS, G_EVENTS + ".readonly",
                    G_EVENTS + ".owned", G_EVENTS + ".owned.readonly"}
G_EVENTS_WRITE_OK = {G_CALENDAR, G_EVENTS, G_EVENTS + ".owned"}
G_CALENDAR_GET_OK = {G_CALENDAR, G_CALENDAR + ".readonly", G_CALENDAR + ".calendars",
                     G_CALENDAR + ".calendars.readonly", G_CALENDAR + ".app.created"}
G_IDENTITY = {"openid", "email", "profile", "https://www.googleapis.com/auth/userinfo.email",
              "https://www.googleapis.com/auth/userinfo.profile"}
G_EMAIL = {"email", "https://www.googleapis.com/auth/userinfo.email"}
GOOGLE_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
BASE32HEX = "0123456789abcdefghijklmnopqrstuv"


def _gerror(status, message, reason, status_name=None, domain="global", extra=None):
    error = {"code": status, "message": message,
             "errors": [{"domain": domain, "reason": reason, "message": message}]}
    if status_name:
        error["status"] = status_name
    error.update(extra or {})
    return json_reply(status, {"error": error})


def _gbad(message, reason="invalid"):
    return Answer(_gerror(400, message, reason, "INVALID_ARGUMENT"))


def _g_not_found():
    return Answer(_gerror(404, "Not Found", "notFound", "NOT_FOUND"))


def _oauth_error(status, error, description, headers=()):
    return json_reply(status, {"error": error, "error_description": description}, headers)


class FakeGoogle(FakeService):
    """Google OAuth 2.0 (accounts.google.com + oauth2.googleapis.com) and Calendar API v3
    (www.googleapis.com) on one origin. See the module docstring; settable attributes:
    `consenting_email` (who consents next), `deny_consent` (the next consents answer
    error=access_denied), `grant_scopes` (None, or the only scopes the user leaves ticked on
    Google's granular consent screen), `redirect_uris` (None accepts any)."""

    name = "FakeGoogle"
    CALENDAR_ZONE = "America/New_York"  # every primary calendar's time zone

    def __init__(self, client_id="google-client-id.apps.googleusercontent.com",
                 client_secret="google-client-secret", token_lifetime=3600, redirect_uris=None,
                 clock=None):
        super().__init__(clock)
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = set(redirect_uris) if redirect_uris else None
        self.tokens = TokenStore(token_lifetime, "ya29.", "1//")
        self.consenting_email = "doctor@gmail.com"
        self.deny_consent = False
        self.grant_scopes = None
        self.refreshes = collections.Counter()  # account -> refresh_token grants answered
        self.send_updates = []  # (method, event id, sendUpdates value or None)
        self.revocations = []  # tokens given to /revoke
        self._codes = {}
        self._accounts = {}
        self._page_tokens = {}
        self._zone = ZoneInfo(self.CALENDAR_ZONE)

    @property
    def token_lifetime(self):
        return self.tokens.lifetime

    def flags(self):
        return ["--google-auth-url", f"{self.url}/o/oauth2/v2/auth",
                "--google-token-url", f"{self.url}/token", "--google-api-url", self.url]

    # -- accounts and test helpers

    def _account(self, email):
        email = email.lower()
        if email not in self._accounts:
            self._accounts[email] = {"email": email, "sub": str(random.randrange(10**20, 10**21)),
                                     "events": collections.OrderedDict()}
        return self._accounts[email]

    def revoke(self, account):
        with self._lock:
            self.tokens.revoke(account.lower())

    def expire_tokens(self, account=None):
        with self._lock:
            self.tokens.expire(account.lower() if account else None)

    def add_event(self, account, start, end, summary="Busy", transparent=False,
                  status="confirmed", all_day=False, **fields):
        """A personal event in `account`'s primary calendar; start/end are aware datetimes or
        ISO strings (dates when all_day). Other event fields may be given (description,
        location, id...). Returns the event id."""
        with self._lock:
            acct = self._account(account)
            if all_day:
                when = ({"date": as_date(start).isoformat()}, {"date": as_date(end).isoformat()})
            else:
                when = ({"dateTime": instant(start).isoformat()},
                        {"dateTime": instant(end).isoformat()})
            resource = dict(fields, summary=summary, start=when[0], end=when[1], status=status)
            if transparent:
                resource["transparency"] = "transparent"
            event = self._new_event(acct, resource, conference_version=0)
            return event["id"]

    def events(self, account):
        """Every stored event of the account (cancelled ones too), as Google shows them."""
        with self._lock:
            return [self._render(e) for e in self._account(account)["events"].values()]

    def event(self, account, event_id):
        with self._lock:
            e = self._account(account)["events"].get(event_id)
            return self._render(e) if e else None

    # -- OAuth

    def _check_authorization(self, q):
        """(redirect Location) for a valid authorization request; raises ValueError naming
        the problem otherwise. Remembers the code."""
        def need(name):
            if not q.get(name):
                raise ValueError(f"Required parameter is missing: {name}")
            return q[name]

        if need("client_id") != self.client_id:
            raise ValueError("Error 401: invalid_client. The OAuth client was not found.")
        redirect_uri = need("redirect_uri")
        split = urllib.parse.urlsplit(redirect_uri)
        if split.scheme not in ("http", "https") or not split.netloc or split.fragment:
            raise ValueError(f"Error 400: invalid_request. Invalid redirect_uri: {redirect_uri}")
        if self.redirect_uris is not None and redirect_uri not in self.redirect_uris:
            raise ValueError(f"Error 400: redirect_uri_mismatch. {redirect_uri} is not registered")
        if need("response_type") != "code":
            raise ValueError(f"Error 400: unsupported_response_type: {q['response_type']}")
        scopes = _split_scopes(need("scope"))
        for required in (G_FREEBUSY, G_EVENTS):
            if required not in scopes:
                raise ValueError(f"scope lacks {required} (space-separated scopes: {q['scope']!r})")
        state = need("state")
        challenge = need("code_challenge")
        if q.get("code_challenge_method") != "S256":
            raise ValueError("code_challenge_method must be S256, got "
                             f"{q.get('code_challenge_method')!r}")
        if not PKCE_VALUE.match(challenge):
            raise ValueError("Error 400: invalid_request. Invalid code_challenge.")
        if q.get("access_type") != "offline":
            raise ValueError("access_type=offline is required (no refresh token otherwise), got "
                             f"{q.get('access_type')!r}")
        if self.deny_consent:
            return _redirect_with(redirect_uri, {"error": "access_denied", "state": state})
        granted = [s for s in scopes
                   if self.grant_scopes is None or s in self.grant_scopes or s in G_IDENTITY]
        account = self.consenting_email.lower()
        self._account(account)
        code = "4/0A" + secrets.token_urlsafe(40)
        self._codes[code] = {"redirect_uri": redirect_uri, "code_challenge": challenge,
                             "client_id": q["client_id"], "account": account, "scopes": granted,
                             "expires": time.monotonic() + 600, "used": False,
                             "prompt": _split_scopes(q.get("prompt"))}
        return _redirect_with(redirect_uri, {"state": state, "code": code,
                                             "scope": " ".join(granted), "authuser": "0",
                                             "prompt": "consent"})

    def approve(self, auth_url):
        """The redirect Location for auth_url, checked as GET /o/oauth2/v2/auth would, without
        HTTP (not recorded); AssertionError naming the problem when refused."""
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(auth_url).query))
        with self._lock:
            try:
                return self._check_authorization(q)
            except ValueError as problem:
                raise AssertionError(f"Google refuses the authorization request: {problem}")

    def consent(self, auth_url):
        """The user consenting: a real GET of auth_url on this fake (recorded), the redirect
        not followed. Returns the Location (redirect_uri?state=...&code=...)."""
        return self._consent_get(auth_url)

    def _client_credentials(self, req, form):
        basic = header_basic(req["headers"])
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if client_id != self.client_id or secret != self.client_secret:
            raise Answer(_oauth_error(401, "invalid_client", "Unauthorized"))

    def _token(self, req):
        if not is_form(req) or req["form"] is None:
            raise Answer(_oauth_error(400, "invalid_request",
                                      "Content-Type must be application/x-www-form-urlencoded"))
        form = req["form"]
        grant = form.get("grant_type")
        if not grant:
            raise Answer(_oauth_error(400, "invalid_request", "Missing required parameter: "
                                      "grant_type"))
        if grant not in ("authorization_code", "refresh_token"):
            raise Answer(_oauth_error(400, "unsupported_grant_type",
                                      f"Invalid grant_type: {grant}"))
        self._client_credentials(req, form)
        if grant == "authorization_code":
            return self._redeem_code(form)
        refresh = form.get("refresh_token")
        if not refresh:
            raise Answer(_oauth_error(400, "invalid_request",
                                      "Missing required parameter: refresh_token"))
        entry = self.tokens.refresh.get(refresh)
        if entry is None:
            raise Answer(_oauth_error(400, "invalid_grant", "Token has been expired or revoked."))
        self.refreshes[entry["account"]] += 1
        return json_reply(200, self._token_body(entry["account"], entry["scopes"], None))

    def _redeem_code(self, form):
        for name in ("code", "redirect_uri"):
            if not form.get(name):
                raise Answer(_oauth_error(400, "invalid_request",
                                          f"Missing required parameter: {name}"))
        entry = self._codes.get(form["code"])
        if entry is None or entry["used"] or time.monotonic() > entry["expires"]:
            raise Answer(_oauth_error(400, "invalid_grant", "Bad Request"))
        if entry["client_id"] != form.get("client_id", self.client_id):
            raise Answer(_oauth_error(400, "invalid_grant", "Bad Request"))
        if form["redirect_uri"] != entry["redirect_uri"]:
            raise Answer(_oauth_error(400, "redirect_uri_mismatch", "Bad Request"))
        verifier = form.get("code_verifier")
        if not verifier:
            raise Answer(_oauth_error(400, "invalid_grant", "Missing code verifier."))
        if not PKCE_VALUE.match(verifier) or s256(verifier) != entry["code_challenge"]:
            raise Answer(_oauth_error(400, "invalid_grant", "Invalid code verifier."))
        entry["used"] = True
        account = entry["account"]
        # Google returns a refresh token on the first authorization of a grant, or when the
        # user was prompted to consent again (prompt=consent); not on a silent re-approval.
        refresh = None
        if "consent" in entry["prompt"] or not self.tokens.has_refresh(account):
            refresh = self.tokens.new_refresh(account, entry["scopes"])
        return json_reply(200, self._token_body(account, entry["scopes"], refresh))

    def _token_body(self, account, scopes, refresh):
        body = {"access_token": self.tokens.new_access(account, scopes),
                "expires_in": int(self.tokens.lifetime), "scope": " ".join(scopes),
                "token_type": "Bearer"}
        if refresh:
            body["refresh_token"] = refresh
        if G_IDENTITY & set(scopes):  # "only returned if your request included an identity
            now = int(self.clock())      # scope, such as openid, profile, or email"
            claims = {"iss": "https://accounts.google.com", "azp": self.client_id,
                      "aud": self.client_id, "sub": self._account(account)["sub"],
                      "iat": now, "exp": now + 3600}
            if G_EMAIL & set(scopes):
                claims.update(email=account, email_verified=True)
            body["id_token"] = unsigned_jwt(claims)
        return body

    def _revoke(self, req):
        token = (req["form"] or {}).get("token") or req["query"].get("token")
        account = None
        for table in (self.tokens.refresh, self.tokens.access):
            if token in table:
                account = table[token]["account"]
        self.revocations.append(token)
        if account is None:
            return _oauth_error(400, "invalid_token", "Token expired or revoked")
        self.tokens.revoke(account)  # revoking either token ends the whole grant
        return json_reply(200, {})

    # -- API

    def _auth(self, req, allowed):
        entry, problem = self.tokens.check(req["headers"])
        if entry is None:
            error = {"code": 401, "message": "Request had invalid authentication credentials.",
                     "errors": [{"domain": "global", "reason": "authError",
                                 "message": "Invalid Credentials", "location": "Authorization",
                                 "locationType": "header"}],
                     "status": "UNAUTHENTICATED"}
            challenge = "Bearer" if problem == "missing" else \
                'Bearer realm="https://accounts.google.com/", error="invalid_token"'
            raise Answer(json_reply(401, {"error": error}, [("WWW-Authenticate", challenge)]))
        if allowed and not allowed & set(entry["scopes"]):
            raise Answer(_gerror(403, "Request had insufficient authentication scopes.",
                                 "insufficientPermissions", "PERMISSION_DENIED",
                                 extra={"details": [{
                                     "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                     "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                                     "domain": "googleapis.com"}]}))
        return self._account(entry["account"]), entry

    def _own_calendar(self, acct, calendar_id):
        if calendar_id == "primary" or calendar_id.lower() == acct["email"]:
            return acct
        raise _g_not_found()

    def route(self, req):
        method, path = req["method"], req["path"]
        if path == "/o/oauth2/v2/auth" and method == "GET":
            try:
                location = self._check_authorization(req["query"])
            except ValueError as problem:
                return text_reply(400, f"Access blocked: this app's request is invalid.\n\n"
                                  f"{problem}\n")
            return Reply(302, b"", [("Location", location)])
        if path == "/token" and method == "POST":
            return self._token(req)
        if path == "/revoke" and method == "POST":
            return self._revoke(req)
        if path in ("/oauth2/v3/userinfo", "/v1/userinfo") and method == "GET":
            acct, entry = self._auth(req, G_IDENTITY)
            body = {"sub": acct["sub"]}
            if G_EMAIL & set(entry["scopes"]):
                body.update(email=acct["email"], email_verified=True)
            return json_reply(200, body)
        seg = path_segments(path)
        if seg[:2] != ["calendar", "v3"]:
            return _gerror(404, "Not Found", "notFound", "NOT_FOUND")
        seg = seg[2:]
        if seg == ["freeBusy"] and method == "POST":
            return self._freebusy(req)
        if len(seg) == 2 and seg[0] == "calendars" and method == "GET":
            acct, _ = self._auth(req, G_CALENDAR_GET_OK)
            self._own_calendar(acct, seg[1])
            return json_reply(200, {"kind": "calendar#calendar", "etag": '"fake"',
                                    "id": acct["email"], "summary": acct["email"],
                                    "timeZone": self.CALENDAR_ZONE,
                                    "conferenceProperties": {"allowedConferenceSolutionTypes":
                                                             ["hangoutsMeet"]}})
        if len(seg) >= 3 and seg[0] == "calendars" and seg[2] == "events":
            if len(seg) == 3 and method == "GET":
                return self._list(req, seg[1])
            if len(seg) == 3 and method == "POST":
                return self._insert(req, seg[1])
            if len(seg) == 4 and method in ("GET", "PATCH", "PUT", "DELETE"):
                return self._one(req, seg[1], seg[3])
        return _gerror(404, "Not Found", "notFound", "NOT_FOUND")

    def failure_reply(self, req, status):
        if req["path"] in ("/token", "/revoke"):
            error = "temporarily_unavailable" if status >= 500 else "invalid_request"
            return _oauth_error(status, error, http.client.responses.get(status, "error"))
        reasons = {429: ("rateLimitExceeded", "usageLimits", "RESOURCE_EXHAUSTED",
                         "Rate Limit Exceeded"),
                   403: ("rateLimitExceeded", "usageLimits", "PERMISSION_DENIED",
                         "Rate Limit Exceeded"),
                   500: ("backendError", "global", "INTERNAL", "Backend Error"),
                   503: ("backendError", "global", "UNAVAILABLE",
                         "The service is currently unavailable.")}
        reason, domain, name, message = reasons.get(
            status, ("backendError", "global", "UNKNOWN", http.client.responses.get(status, "")))
        return _gerror(status, message, reason, name, domain)

    def _json_body(self, req):
        if not is_json(req) or not isinstance(req["json"], dict):
            raise Answer(_gerror(400, "Parse Error", "parseError", "INVALID_ARGUMENT"))
        return req["json"]

    def _freebusy(self, req):
        acct, _ = self._auth(req, G_FREEBUSY_OK)
        body = self._json_body(req)
        try:
            tmin, tmax = parse_rfc3339(body.get("timeMin")), parse_rfc3339(body.get("timeMax"))
        except ValueError:
            raise _gbad("Bad Request", "badRequest")
        if tmax < tmin:
            raise _gbad("The specified time range is empty.", "timeRangeEmpty")
        items = body.get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(
                i.get("id"), str) for i in items):
            raise _gbad("Missing items.", "required")
        if len(items) > 50:
            raise _gbad("Too many calendars requested.", "tooManyCalendarsRequested")
        calendars = {}
        for item in items:
            cid = item["id"]
            if cid != "primary" and cid.lower() != acct["email"]:
                calendars[cid] = {"errors": [{"domain": "global", "reason": "notFound"}],
                                  "busy": []}
                continue
            spans = [(max(e["_start"], tmin), min(e["_end"], tmax))
                     for e in acct["events"].values()
                     if e["status"] != "cancelled" and e.get("transparency") != "transparent"
                     and e["_start"] < tmax and e["_end"] > tmin]
            calendars[cid] = {"busy": [{"start": zulu(s), "end": zulu(e)}
                                       for s, e in merge_spans(spans) if s < e]}
        return json_reply(200, {"kind": "calendar#freeBusy", "timeMin": zulu_ms(tmin),
                                "timeMax": zulu_ms(tmax), "calendars": calendars})

    def _list(self, req, calendar_id):
        acct, _ = self._auth(req, G_EVENTS_READ_OK)
        self._own_calendar(acct, calendar_id)
        q = req["query"]
        if "syncToken" in q:  # not kept: Google's answer to a sync token it no longer honours
            return _gerror(410, "Sync token is no longer valid, a full sync is required.",
                           "fullSyncRequired", "GONE")
        bounds = {}
        for name in ("timeMin", "timeMax"):
            if name in q:
                try:
                    bounds[name] = parse_rfc3339(q[name])
                except ValueError:
                    raise _gbad("Bad Request", "badRequest")
        if "timeMin" in bounds and "timeMax" in bounds and bounds["timeMax"] < bounds["timeMin"]:
            raise _gbad("The specified time range is empty.", "timeRangeEmpty")
        single = q.get("singleEvents", "false").lower() == "true"
        order = q.get("orderBy")
        if order not in (None, "startTime", "updated"):
            raise _gbad(f"Invalid value for orderBy: {order}")
        if order == "startTime" and not single:
            raise _gbad("The requested ordering is not available for the particular query.",
                        "badRequest")
        try:
            page_size = min(int(q.get("maxResults", "250")), 2500)
            if page_size < 1:
                raise ValueError
        except ValueError:
            raise _gbad(f"Invalid value '{q.get('maxResults')}'. Values must be within the "
                        "range: [1, 2500]")
        show_deleted = q.get("showDeleted", "false").lower() == "true"
        items = [e for e in acct["events"].values()
                 if (show_deleted or e["status"] != "cancelled")
                 and ("timeMin" not in bounds or e["_end"] > bounds["timeMin"])
                 and ("timeMax" not in bounds or e["_start"] < bounds["timeMax"])]
        if order == "startTime":
            items.sort(key=lambda e: (e["_start"], e["_seq"]))
        elif order == "updated":
            items.sort(key=lambda e: e["updated"])
        signature = (acct["email"], tuple(sorted((k, v) for k, v in q.items()
                                                 if k != "pageToken")))
        offset = 0
        if "pageToken" in q:
            saved = self._page_tokens.get(q["pageToken"])
            if saved is None or saved[0] != signature:
                raise _gbad("Invalid page token.", "invalid")
            offset = saved[1]
        page = items[offset:offset + page_size]
        body = {"kind": "calendar#events", "etag": '"p3' + secrets.token_hex(8) + '"',
                "summary": acct["email"], "description": "", "updated": self._now_iso(),
                "timeZone": self.CALENDAR_ZONE, "accessRole": "owner",
                "defaultReminders": [{"method": "popup", "minutes": 10}],
                "items": [self._render(e) for e in page]}
        if offset + page_size < len(items):
            token = secrets.token_urlsafe(24)
            self._page_tokens[token] = (signature, offset + page_size)
            body["nextPageToken"] = token
        else:
            body["nextSyncToken"] = secrets.token_urlsafe(16)
        return json_reply(200, body)

    def _when(self, value, which):
        """(normalised EventDateTime, aware instant, all_day) of a request's start or end."""
        if not isinstance(value, dict) or not (value.get("date") or value.get("dateTime")):
            raise _gbad(f"Missing {which} time.", "required")
        if value.get("date") and value.get("dateTime"):
            raise _gbad(f"Invalid {which} time.")
        zone_name = value.get("timeZone")
        zone = zone_named(zone_name) if zone_name else self._zone
        if zone is None:
            raise _gbad(f"Invalid time zone definition for {which} time.", "timeZone")
        if value.get("date"):
            try:
                day = date.fromisoformat(value["date"])
            except (TypeError, ValueError):
                raise _gbad(f"Invalid {which} time.")
            when = {"date": day.isoformat()}
            return when, datetime(day.year, day.month, day.day, tzinfo=zone), True
        text = value["dateTime"]
        try:
            if isinstance(text, str) and RFC3339.match(text):
                moment = parse_rfc3339(text)
            elif isinstance(text, str) and LOCAL_DATETIME.match(text):
                if not zone_name:
                    raise _gbad(f"Missing time zone definition for {which} time.", "required")
                moment = datetime.fromisoformat(text).replace(tzinfo=zone)
            else:
                raise ValueError
        except ValueError:
            raise _gbad(f"Invalid {which} time.")
        when = {"dateTime": moment.isoformat()}
        if zone_name:
            when["timeZone"] = zone_name
        return when, moment, False

    def _apply_times(self, event, resource):
        start, start_at, start_day = self._when(resource.get("start"), "start")
        end, end_at, end_day = self._when(resource.get("end"), "end")
        if start_day != end_day:
            raise _gbad("Invalid start time.")
        if end_at < start_at:
            raise _gbad("The specified time range is empty.", "timeRangeEmpty")
        event.update(start=start, end=end, _start=start_at.astimezone(UTC),
                     _end=end_at.astimezone(UTC))

    def _conference(self, event, data, version):
        """Google: without conferenceDataVersion=1 conference data in a request is ignored."""
        if version < 1 or not isinstance(data, dict):
            return
        create = data.get("createRequest")
        if create is None:
            if "entryPoints" in data or "conferenceSolution" in data:
                event["conferenceData"] = copy.deepcopy(data)
            return
        key = (create.get("conferenceSolutionKey") or {}).get("type")
        if key != "hangoutsMeet":
            raise _gbad("Invalid conference type value.")
        if not create.get("requestId"):
            raise _gbad("Missing conference request id.", "required")
        old = event.get("conferenceData", {}).get("createRequest", {})
        if old.get("requestId") == create["requestId"]:
            return  # the same request again: the same conference
        letters = string.ascii_lowercase
        code = "-".join("".join(random.choice(letters) for _ in range(n)) for n in (3, 4, 3))
        uri = f"https://meet.google.com/{code}"
        event["hangoutLink"] = uri
        event["conferenceData"] = {
            "createRequest": {"requestId": create["requestId"],
                              "conferenceSolutionKey": {"type": "hangoutsMeet"},
                              "status": {"statusCode": "success"}},
            "entryPoints": [{"entryPointType": "video", "uri": uri, "label": uri[8:]}],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet",
                                   "iconUri": "https://fonts.gstatic.com/s/i/productlogos/"
                                              "meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_"
                                              "2x_web_512dp.png"},
            "conferenceId": code}

    WRITABLE = ("summary", "description", "location", "transparency", "visibility",
                "extendedProperties", "attendees", "reminders", "colorId", "source",
                "guestsCanModify", "guestsCanInviteOthers", "guestsCanSeeOtherGuests",
                "anyoneCanAddSelf", "status", "recurrence", "eventType")

    def _new_event(self, acct, resource, conference_version):
        event_id = resource.get("id")
        if event_id is not None:
            if not isinstance(event_id, str) or not GOOGLE_EVENT_ID.match(event_id):
                raise _gbad("Invalid resource id value.")
            if event_id in acct["events"]:
                raise Answer(_gerror(409, "The requested identifier already exists.",
                                     "duplicate", "ALREADY_EXISTS"))
        else:
            event_id = "".join(secrets.choice(BASE32HEX) for _ in range(26))
        now = self._now_iso()
        event = {"kind": "calendar#event", "etag": '"' + str(random.randrange(10**15)) + '"',
                 "id": event_id, "status": "confirmed",
                 "htmlLink": "https://www.google.com/calendar/event?eid=" +
                             b64url(f"{event_id} {acct['email']}".encode()),
                 "created": now, "updated": now,
                 "creator": {"email": acct["email"], "self": True},
                 "organizer": {"email": acct["email"], "self": True},
                 "iCalUID": f"{event_id}@google.com", "sequence": 0,
                 "reminders": {"useDefault": True}, "eventType": "default",
                 "_seq": len(acct["events"])}
        for name in self.WRITABLE:
            if name in resource:
                event[name] = copy.deepcopy(resource[name])
        if event["status"] not in ("confirmed", "tentative", "cancelled"):
            raise _gbad("Invalid value for status.")
        if event.get("transparency", "opaque") not in ("opaque", "transparent"):
            raise _gbad("Invalid value for transparency.")
        self._apply_times(event, resource)
        self._conference(event, resource.get("conferenceData"), conference_version)
        acct["events"][event_id] = event
        return event

    def _render(self, event):
        out = {k: copy.deepcopy(v) for k, v in event.items() if not k.startswith("_")}
        for name, moment in (("start", event["_start"]), ("end", event["_end"])):
            if "dateTime" in out[name]:  # Google answers in the calendar's zone, with offset
                out[name]["dateTime"] = moment.astimezone(self._zone).isoformat()
        return out

    def _query_version(self, req):
        try:
            return int(req["query"].get("conferenceDataVersion", "0"))
        except ValueError:
            raise _gbad("Invalid conferenceDataVersion value.")

    def _send_updates(self, req, method, event_id):
        value = req["query"].get("sendUpdates")
        if value not in (None, "all", "externalOnly", "none"):
            raise _gbad(f"Invalid value for sendUpdates: {value}")
        self.send_updates.append((method, event_id, value))

    def _insert(self, req, calendar_id):
        acct, _ = self._auth(req, G_EVENTS_WRITE_OK)
        self._own_calendar(acct, calendar_id)
        body = self._json_body(req)
        version = self._query_version(req)
        event = self._new_event(acct, body, version)
        self._send_updates(req, "POST", event["id"])
        return json_reply(200, self._render(event))

    def _one(self, req, calendar_id, event_id):
        method = req["method"]
        acct, _ = self._auth(req, G_EVENTS_READ_OK if method == "GET" else G_EVENTS_WRITE_OK)
        self._own_calendar(acct, calendar_id)
        event = acct["events"].get(event_id)
        if event is None:
            raise _g_not_found()
        if method == "GET":
            return json_reply(200, self._render(event))
        if event["status"] == "cancelled":
            raise Answer(_gerror(410, "Resource has been deleted", "deleted", "GONE"))
        if method == "DELETE":
            self._send_updates(req, "DELETE", event_id)
            event["status"] = "cancelled"
            event["updated"] = self._now_iso()
            return Reply(204)
        body = self._json_body(req)
        version = self._query_version(req)
        updated = copy.deepcopy(event)
        if method == "PUT":  # update: the resource replaces the writable fields
            for name in self.WRITABLE:
                updated.pop(name, None)
            if version >= 1:
                updated.pop("conferenceData", None)
                updated.pop("hangoutLink", None)
        for name in self.WRITABLE:
            if name not in body:
                continue
            if isinstance(body[name], dict) and isinstance(updated.get(name), dict) and \
                    method == "PATCH":
                updated[name] = _deep_merge(updated[name], body[name])
            else:
                updated[name] = copy.deepcopy(body[name])
        times = {"start": body.get("start", event["start"]), "end": body.get("end", event["end"])}
        self._apply_times(updated, times)
        self._conference(updated, body.get("conferenceData"), version)
        if (updated["_start"], updated["_end"]) != (event["_start"], event["_end"]):
            updated["sequence"] = event["sequence"] + 1
        updated["updated"] = self._now_iso()
        updated["etag"] = '"' + str(random.randrange(10**15)) + '"'
        acct["events"][event_id] = updated
        self._send_updates(req, method, event_id)
        return json_reply(200, self._render(updated))


def _deep_merge(old, new):
    """Google patch semantics: objects merge field by field, arrays and scalars replace."""
    merged = copy.deepcopy(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


# ---- Microsoft ---------------------------------------------------------------------------

GRAPH_PREFIX = "https://graph.microsoft.com/"
MS_OIDC = {"openid", "profile", "email", "offline_access"}
# Windows zone names Graph accepts besides IANA ones (the common ones; CLDR windowsZones).
WINDOWS_ZONES = {
    "UTC": "UTC", "Coordinated Universal Time": "UTC", "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik", "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris", "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw", "E. Europe Standard Time":
    "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev", "Eastern Standard Time":
    "America/New_York", "Central Standard Time": "America/Chicago", "Mountain Standard Time":
    "America/Denver", "US Mountain Standard Time": "America/Phoenix", "Pacific Standard Time":
    "America/Los_Angeles", "Alaskan Standard Time": "America/Anchorage",
    "Hawaiian Standard Time": "Pacific/Honolulu", "Atlantic Standard Time": "America/Halifax",
    "Tokyo Standard Time": "Asia/Tokyo", "India Standard Time": "Asia/Calcutta",
    "AUS Eastern Standard Time": "Australia/Sydney", "China Standard Time": "Asia/Shanghai"}
SHOW_AS = ("free", "tentative", "busy", "oof", "workingElsewhere", "unknown")


def ms_scope(scope):
    """A scope without Graph's resource prefix, lower-cased (Microsoft compares them so)."""
    s = scope.lower()
    return s[len(GRAPH_PREFIX):] if s.startswith(GRAPH_PREFIX) else s


def ms_zone(name):
    if not isinstance(name, str) or not name:
        return None
    if name in WINDOWS_ZONES:
        return ZoneInfo(WINDOWS_ZONES[name])
    return zone_named(name)


def graph_time(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S") + ".0000000"


def _graph_error(status, code, message, headers=()):
    return json_reply(status, {"error": {"code": code, "message": message, "innerError": {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}}}, headers)


class FakeMicrosoft(FakeService):
    """Microsoft identity platform v2.0 (login.microsoftonline.com/common) and Microsoft Graph
    v1.0 on one origin. Settable: `consenting_email`, `display_name`, `deny_consent`,
    `redirect_uris` (None accepts any), `mailbox_zone` (where all-day events start)."""

    name = "FakeMicrosoft"
    DEFAULT_PAGE = 10  # Graph's page size for events when neither $top nor maxpagesize is set

    def __init__(self, client_id="00000000-0000-4000-8000-00000000c11e",
                 client_secret="microsoft-client-secret", token_lifetime=3600,
                 redirect_uris=None, clock=None):
        super().__init__(clock)
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = set(redirect_uris) if redirect_uris else None
        self.tokens = TokenStore(token_lifetime, "EwB", "M.C5")
        self.consenting_email = "doctor@hospital.example"
        self.display_name = "Dr. Example"
        self.deny_consent = False
        self.mailbox_zone = "America/New_York"
        self.tenant_id = str(uuid.uuid4())
        self.refreshes = collections.Counter()
        self._codes = {}
        self._accounts = {}

    @property
    def token_lifetime(self):
        return self.tokens.lifetime

    def flags(self):
        return ["--microsoft-auth-url", f"{self.url}/common/oauth2/v2.0/authorize",
                "--microsoft-token-url", f"{self.url}/common/oauth2/v2.0/token",
                "--graph-api-url", self.url]

    # -- accounts and test helpers

    def _account(self, email):
        email = email.lower()
        if email not in self._accounts:
            self._accounts[email] = {"email": email, "id": str(uuid.uuid4()),
                                     "displayName": self.display_name,
                                     "events": collections.OrderedDict()}
        return self._accounts[email]

    def revoke(self, account):
        with self._lock:
            self.tokens.revoke(account.lower())

    def expire_tokens(self, account=None):
        with self._lock:
            self.tokens.expire(account.lower() if account else None)

    def add_event(self, account, start, end, subject="Busy", show_as="busy",
                  is_cancelled=False, is_all_day=False, **fields):
        """A personal event; start/end aware datetimes or ISO strings (dates when is_all_day,
        then midnights in `mailbox_zone`). Returns its id."""
        with self._lock:
            acct = self._account(account)
            if is_all_day:
                zone_name = self.mailbox_zone
                zone = ZoneInfo(zone_name)
                s, e = (datetime.combine(as_date(v), datetime.min.time(), zone)
                        for v in (start, end))
            else:
                zone_name = "UTC"
                s, e = instant(start), instant(end)
            resource = dict(fields, subject=subject, showAs=show_as, isAllDay=is_all_day,
                            start={"dateTime": s.astimezone(ZoneInfo(zone_name)).strftime(
                                "%Y-%m-%dT%H:%M:%S"), "timeZone": zone_name},
                            end={"dateTime": e.astimezone(ZoneInfo(zone_name)).strftime(
                                "%Y-%m-%dT%H:%M:%S"), "timeZone": zone_name})
            event = self._new_event(acct, resource)
            event["isCancelled"] = bool(is_cancelled)
            return event["id"]

    def events(self, account):
        """Live (not deleted) events of the account as Graph shows them (times in UTC)."""
        with self._lock:
            return [self._render(e, UTC, "UTC") for e in self._account(account)["events"].values()
                    if not e["_deleted"]]

    def event(self, account, event_id):
        with self._lock:
            e = self._account(account)["events"].get(event_id)
            return self._render(e, UTC, "UTC") if e and not e["_deleted"] else None

    # -- OAuth

    def _check_authorization(self, q):
        def need(name):
            if not q.get(name):
                raise ValueError(f"AADSTS900144: The request body must contain the following "
                                 f"parameter: '{name}'.")
            return q[name]

        if need("client_id") != self.client_id:
            raise ValueError(f"AADSTS700016: Application with identifier '{q['client_id']}' was "
                             "not found in the directory.")
        redirect_uri = need("redirect_uri")
        split = urllib.parse.urlsplit(redirect_uri)
        if split.scheme not in ("http", "https") or not split.netloc or \
                (self.redirect_uris is not None and redirect_uri not in self.redirect_uris):
            raise ValueError("AADSTS50011: The redirect URI specified in the request does not "
                             f"match the redirect URIs configured for the application: "
                             f"{redirect_uri}")
        if need("response_type") != "code":
            raise ValueError(f"AADSTS700054: response_type '{q['response_type']}' is not enabled "
                             "for the application.")
        scopes = _split_scopes(need("scope"))
        normalised = {ms_scope(s) for s in scopes}
        for required in ("offline_access", "calendars.readwrite"):
            if required not in normalised:
                raise ValueError(f"scope lacks {required} (got {q['scope']!r})")
        if q.get("response_mode", "query") != "query":
            raise ValueError(f"response_mode must be query, got {q.get('response_mode')!r}")
        state = need("state")
        challenge = need("code_challenge")
        if q.get("code_challenge_method") != "S256":
            raise ValueError("AADSTS501491: code_challenge_method must be S256, got "
                             f"{q.get('code_challenge_method')!r}")
        if not PKCE_VALUE.match(challenge):
            raise ValueError("AADSTS501491: Invalid size of Code_Challenge parameter.")
        if self.deny_consent:
            return _redirect_with(redirect_uri, {
                "error": "access_denied", "state": state,
                "error_description": "AADSTS65004: User declined to consent to access the app."})
        account = self.consenting_email.lower()
        self._account(account)
        code = "M.C5_BAY." + secrets.token_urlsafe(48)
        self._codes[code] = {"redirect_uri": redirect_uri, "code_challenge": challenge,
                             "client_id": q["client_id"], "account": account, "scopes": scopes,
                             "expires": time.monotonic() + 600, "used": False}
        return _redirect_with(redirect_uri, {"code": code, "state": state,
                                             "session_state": str(uuid.uuid4())})

    def approve(self, auth_url):
        """As FakeGoogle.approve: the Location, without HTTP."""
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(auth_url).query))
        with self._lock:
            try:
                return self._check_authorization(q)
            except ValueError as problem:
                raise AssertionError(f"Microsoft refuses the authorization request: {problem}")

    def consent(self, auth_url):
        """As FakeGoogle.consent: a recorded GET, the Location returned."""
        return self._consent_get(auth_url)

    def _aad(self, status, error, code, description):
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
        return Answer(json_reply(status, {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: "
                                 f"{correlation} Timestamp: {stamp}",
            "error_codes": [code], "timestamp": stamp, "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={code}"}))

    def _token(self, req):
        if not is_form(req) or req["form"] is None:
            raise self._aad(400, "invalid_request", 900144,
                            "The request body must contain the following parameter: "
                            "'grant_type'.")
        form = req["form"]
        basic = header_basic(req["headers"])
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if not client_id:
            raise self._aad(400, "invalid_request", 900144, "The request body must contain the "
                            "following parameter: 'client_id'.")
        if client_id != self.client_id:
            raise self._aad(400, "unauthorized_client", 700016,
                            f"Application with identifier '{client_id}' was not found in the "
                            "directory.")
        grant = form.get("grant_type")
        if not grant:
            raise self._aad(400, "invalid_request", 900144, "The request body must contain the "
                            "following parameter: 'grant_type'.")
        if grant not in ("authorization_code", "refresh_token"):
            raise self._aad(400, "unsupported_grant_type", 70003,
                            f"The app requested an unsupported grant type '{grant}'.")
        if not secret:
            raise self._aad(401, "invalid_client", 7000218, "The request body must contain the "
                            "following parameter: 'client_assertion' or 'client_secret'.")
        if secret != self.client_secret:
            raise self._aad(401, "invalid_client", 7000215, "Invalid client secret provided. "
                            "Ensure the secret being sent in the request is the client secret "
                            "value, not the client secret ID.")
        if grant == "authorization_code":
            return self._redeem_code(form)
        refresh = form.get("refresh_token")
        if not refresh:
            raise self._aad(400, "invalid_request", 900144, "The request body must contain the "
                            "following parameter: 'refresh_token'.")
        entry = self.tokens.refresh.get(refresh)
        if entry is None:
            raise self._aad(400, "invalid_grant", 70008, "The provided authorization code or "
                            "refresh token has expired due to inactivity. Send a new interactive "
                            "authorization request for this user and resource.")
        self._check_scope_subset(form, entry["scopes"])
        self.refreshes[entry["account"]] += 1
        # Microsoft rotates refresh tokens: a new one each time. The old one keeps working
        # here (as it does at Microsoft until its own lifetime ends).
        return json_reply(200, self._token_body(entry["account"], entry["scopes"]))

    def _check_scope_subset(self, form, granted):
        if "scope" not in form:
            return
        asked = {ms_scope(s) for s in _split_scopes(form["scope"])} - MS_OIDC
        if not asked <= {ms_scope(s) for s in granted}:
            raise self._aad(400, "invalid_grant", 65001, "The user or administrator has not "
                            f"consented to use the application with scopes {sorted(asked)}.")

    def _redeem_code(self, form):
        for name in ("code", "redirect_uri"):
            if not form.get(name):
                raise self._aad(400, "invalid_request", 900144, "The request body must contain "
                                f"the following parameter: '{name}'.")
        entry = self._codes.get(form["code"])
        if entry is None:
            raise self._aad(400, "invalid_grant", 9002313, "Invalid request. Request is "
                            "malformed or invalid.")
        if entry["used"]:
            raise self._aad(400, "invalid_grant", 54005, "OAuth2 Authorization code was already "
                            "redeemed, please retry with a new valid code or use an existing "
                            "refresh token.")
        if time.monotonic() > entry["expires"]:
            raise self._aad(400, "invalid_grant", 70008, "The provided authorization code or "
                            "refresh token has expired due to inactivity.")
        if form["redirect_uri"] != entry["redirect_uri"]:
            raise self._aad(400, "invalid_grant", 70000, "The request was denied because one or "
                            "more grants are invalid: the redirect_uri does not match the one "
                            "of the authorization request.")
        verifier = form.get("code_verifier")
        if not verifier:
            raise self._aad(400, "invalid_grant", 50148, "The code_verifier does not match the "
                            "code_challenge supplied in the authorization request for PKCE.")
        if not PKCE_VALUE.match(verifier) or s256(verifier) != entry["code_challenge"]:
            raise self._aad(400, "invalid_grant", 501481, "The Code_Verifier does not match the "
                            "code_challenge supplied in the authorization request.")
        self._check_scope_subset(form, entry["scopes"])
        entry["used"] = True
        return json_reply(200, self._token_body(entry["account"], entry["scopes"]))

    def _token_body(self, account, scopes):
        resource = [GRAPH_PREFIX + ms_scope(s) if ms_scope(s) not in MS_OIDC else None
                    for s in scopes]
        shown = [s for s in resource if s] + [s for s in scopes if ms_scope(s) in
                                              ("openid", "profile", "email")]
        body = {"token_type": "Bearer", "scope": " ".join(shown),
                "expires_in": int(self.tokens.lifetime),
                "ext_expires_in": int(self.tokens.lifetime),
                "access_token": self.tokens.new_access(account, scopes),
                "refresh_token": self.tokens.new_refresh(account, scopes)}
        normalised = {ms_scope(s) for s in scopes}
        if "openid" in normalised:
            acct = self._account(account)
            now = int(self.clock())
            claims = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{self.tenant_id}"
                                           "/v2.0", "sub": b64url(hashlib.sha256(
                                               acct["id"].encode()).digest()),
                      "aud": self.client_id, "exp": now + 3600, "iat": now, "nbf": now,
                      "oid": acct["id"], "tid": self.tenant_id}
            if "profile" in normalised:
                claims.update(name=acct["displayName"], preferred_username=account)
            if "email" in normalised:
                claims["email"] = account
            body["id_token"] = unsigned_jwt(claims)
        return body

    # -- Graph

    def _auth(self, req, allowed):
        entry, problem = self.tokens.check(req["headers"])
        if entry is None:
            message = {"missing": "Access token is empty.",
                       "expired": "Lifetime validation failed, the token is expired.",
                       "unknown": "IDX14100: JWT is not well formed, there are no dots (.)."}
            raise Answer(_graph_error(401, "InvalidAuthenticationToken", message[problem], [
                ("WWW-Authenticate", 'Bearer realm="", authorization_uri="https://login.'
                 'microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-'
                 'c000-000000000000"')]))
        granted = {ms_scope(s) for s in entry["scopes"]}
        if not any(allowed(g) if callable(allowed) else g in allowed for g in granted):
            raise Answer(_graph_error(403, "ErrorAccessDenied", "Access is denied. Check "
                                      "credentials and try again."))
        return self._account(entry["account"])

    def route(self, req):
        method, path = req["method"], req["path"]
        if path == "/common/oauth2/v2.0/authorize" and method == "GET":
            try:
                location = self._check_authorization(req["query"])
            except ValueError as problem:
                return text_reply(400, f"Sign in\n\nSorry, but we're having trouble signing you "
                                  f"in.\n\n{problem}\n")
            return Reply(302, b"", [("Location", location)])
        if path == "/common/oauth2/v2.0/token" and method == "POST":
            return self._token(req)
        seg = path_segments(path)
        if seg[:2] != ["v1.0", "me"]:
            return _graph_error(400, "BadRequest", f"Resource not found for the segment "
                                f"'{seg[1] if len(seg) > 1 else ''}'.")
        seg = seg[2:]
        if seg[:1] == ["calendar"]:
            seg = seg[1:]  # /me/calendar/events and /me/calendar/calendarView: the same here
        if seg == [] and method == "GET":
            acct = self._auth(req, lambda scope: scope.startswith("user."))
            return json_reply(200, {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
                "id": acct["id"], "displayName": acct["displayName"], "mail": acct["email"],
                "userPrincipalName": acct["email"], "givenName": None, "surname": None,
                "businessPhones": [], "jobTitle": None, "mobilePhone": None,
                "officeLocation": None, "preferredLanguage": "en-US"})
        if seg == ["calendarView"] and method == "GET":
            return self._calendar_view(req)
        if seg == ["events"] and method == "POST":
            return self._create(req)
        if len(seg) == 2 and seg[0] == "events" and method in ("GET", "PATCH", "DELETE"):
            return self._one(req, seg[1])
        return _graph_error(400, "BadRequest", "Resource not found for the segment "
                            f"'{'/'.join(seg)}'.")

    def failure_reply(self, req, status):
        if req["path"].endswith("/oauth2/v2.0/token"):
            error = "temporarily_unavailable" if status >= 500 else "invalid_request"
            return json_reply(status, {"error": error, "error_description":
                                       f"AADSTS50000: {http.client.responses.get(status, '')}",
                                       "error_codes": [50000]})
        codes = {429: ("TooManyRequests", "Too many requests, please try again later."),
                 503: ("ServiceNotAvailable", "Service unavailable, please try again later."),
                 504: ("UnknownError", "Gateway timeout."),
                 500: ("InternalServerError", "An internal server error occurred.")}
        code, message = codes.get(status, ("generalException",
                                           http.client.responses.get(status, "error")))
        return _graph_error(status, code, message)

    def _prefer(self, req):
        """The preferences of the Prefer header: name -> value, unquoted."""
        prefs = {}
        for part in req["headers"].get("prefer", "").split(","):
            name, _, value = part.strip().partition("=")
            if name:
                prefs[name.strip().lower()] = value.strip().strip('"')
        return prefs

    def _zone_of(self, req, default_name):
        """(ZoneInfo, name, Preference-Applied header or None) for answers."""
        wanted = self._prefer(req).get("outlook.timezone")
        if wanted:
            zone = ms_zone(wanted)
            if zone is not None:
                return zone, wanted, ("Preference-Applied", f'outlook.timezone="{wanted}"')
        zone = ms_zone(default_name) or UTC
        return zone, default_name, None

    def _param(self, req, name):
        for key, value in req["query"].items():
            if key.lower() == name.lower():
                return value
        return None

    def _calendar_view(self, req):
        acct = self._auth(req, {"calendars.readbasic", "calendars.read", "calendars.readwrite",
                                "calendars.read.shared", "calendars.readwrite.shared"})
        texts = [self._param(req, "startDateTime"), self._param(req, "endDateTime")]
        if not all(texts):
            return _graph_error(400, "ErrorInvalidParameter", "This request requires a time "
                                "window specified by the query string parameters StartDateTime "
                                "and EndDateTime.")
        try:  # an ISO 8601 value; without an offset it is UTC (not the Prefer zone)
            start, end = (instant(t) for t in texts)
        except ValueError:
            return _graph_error(400, "ErrorInvalidParameter", "The parameter 'StartDateTime' or "
                                "'EndDateTime' does not have a valid value.")
        prefer = self._prefer(req)
        try:
            top = self._param(req, "$top")
            skip = int(self._param(req, "$skip") or 0)
            size = int(top) if top is not None else int(prefer.get("odata.maxpagesize",
                                                                    self.DEFAULT_PAGE))
            if size < 1 or skip < 0:
                raise ValueError
        except ValueError:
            return _graph_error(400, "BadRequest", "Invalid $top or $skip value.")
        size = min(size, 1000)
        select = self._param(req, "$select")
        items = sorted((e for e in acct["events"].values()
                        if not e["_deleted"] and e["_start"] < end and e["_end"] > start),
                       key=lambda e: (e["_start"], e["_seq"]))
        zone, zone_name, applied = self._zone_of(req, "UTC")
        page = items[skip:skip + size]
        body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('"
                                  f"{acct['id']}')/calendarView",
                "value": [self._render(e, zone, zone_name, select) for e in page]}
        if skip + size < len(items):
            params = [("startDateTime", texts[0]), ("endDateTime", texts[1])]
            if top is not None:
                params.append(("$top", str(size)))
            if select:
                params.append(("$select", select))
            params.append(("$skip", str(skip + size)))
            body["@odata.nextLink"] = f"{self.url}/v1.0/me/calendarView?" + urllib.parse.urlencode(
                params, quote_via=urllib.parse.quote, safe="$")
        return json_reply(200, body, [applied] if applied else [])

    def _when(self, value, which):
        if not isinstance(value, dict) or not isinstance(value.get("dateTime"), str):
            raise Answer(_graph_error(400, "ErrorInvalidRequest", f"The {which} time is missing "
                                      "or has no dateTime."))
        name = value.get("timeZone")
        zone = ms_zone(name)
        if zone is None:
            raise Answer(_graph_error(400, "TimeZoneNotSupportedException", "A valid TimeZone "
                                      "value must be specified. The following TimeZone value is "
                                      f"not supported: '{name or ''}'."))
        try:
            moment = datetime.fromisoformat(value["dateTime"].replace("z", "Z"))
        except ValueError:
            raise Answer(_graph_error(400, "UnableToDeserializePostBody",
                                      f"Cannot convert the literal '{value['dateTime']}' to the "
                                      "expected type 'Edm.DateTimeOffset'."))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment, name

    def _apply(self, event, body):
        if "start" in body or "end" in body or "_start" not in event:
            start, start_zone = self._when(body.get("start", event.get("_start_in")), "start")
            end, end_zone = self._when(body.get("end", event.get("_end_in")), "end")
            if end < start:
                raise Answer(_graph_error(400, "ErrorInvalidRequest", "Your request can't be "
                                          "completed. The end time must be after the start "
                                          "time."))
            event.update(_start=start.astimezone(UTC), _end=end.astimezone(UTC),
                         _start_in=copy.deepcopy(body.get("start", event.get("_start_in"))),
                         _end_in=copy.deepcopy(body.get("end", event.get("_end_in"))),
                         originalStartTimeZone=start_zone, originalEndTimeZone=end_zone)
        for name in ("subject", "showAs", "isAllDay", "transactionId", "categories",
                     "importance", "sensitivity", "isReminderOn", "reminderMinutesBeforeStart",
                     "attendees", "responseRequested", "allowNewTimeProposals"):
            if name in body:
                event[name] = copy.deepcopy(body[name])
        if event["showAs"] not in SHOW_AS:
            raise Answer(_graph_error(400, "RequestBodyRead", "Cannot convert the literal "
                                      f"'{event['showAs']}' to the expected type "
                                      "'microsoft.graph.freeBusyStatus'."))
        if "body" in body:
            content = body["body"] or {}
            event["body"] = {"contentType": content.get("contentType", "text"),
                             "content": content.get("content", "")}
            preview = re.sub(r"<[^>]*>", " ", event["body"]["content"])
            event["bodyPreview"] = " ".join(preview.split())[:255]
        if "location" in body:
            location = body["location"] or {}
            event["location"] = {"displayName": location.get("displayName", ""),
                                 "locationType": "default", "uniqueIdType": "unknown"}
        if event["isAllDay"]:
            zone = ms_zone(event["originalStartTimeZone"])
            for moment in (event["_start"], event["_end"]):
                local = moment.astimezone(zone)
                if (local.hour, local.minute, local.second) != (0, 0, 0):
                    raise Answer(_graph_error(400, "ErrorPropertyValidationFailure", "At least "
                                              "one property failed validation: all-day events "
                                              "start and end at midnight."))
        if body.get("isOnlineMeeting"):
            provider = body.get("onlineMeetingProvider", "teamsForBusiness")
            if provider not in ("teamsForBusiness", "skypeForBusiness", "skypeForConsumer"):
                raise Answer(_graph_error(400, "ErrorInvalidRequest", "The online meeting "
                                          f"provider '{provider}' is not supported."))
            event["isOnlineMeeting"] = True
            event["onlineMeetingProvider"] = provider
            if not event.get("onlineMeeting"):
                thread = "19%3ameeting_" + b64url(secrets.token_bytes(36)) + "%40thread.v2"
                event["onlineMeeting"] = {"joinUrl": "https://teams.microsoft.com/l/meetup-join/"
                                                     f"{thread}/0?context=%7b%22Tid%22%3a%22"
                                                     f"{self.tenant_id}%22%7d"}
        elif body.get("isOnlineMeeting") is False:
            event.update(isOnlineMeeting=False, onlineMeetingProvider="unknown",
                         onlineMeeting=None)
        event["lastModifiedDateTime"] = self._now_iso()[:-4] + "Z"
        event["changeKey"] = b64url(secrets.token_bytes(12))

    def _new_event(self, acct, body):
        now = self._now_iso()[:-4] + "Z"
        event = {"id": "AAMkA" + secrets.token_urlsafe(96) + "=", "createdDateTime": now,
                 "subject": "", "bodyPreview": "", "body": {"contentType": "html",
                                                             "content": ""},
                 "showAs": "busy", "isAllDay": False, "isCancelled": False,
                 "isOrganizer": True, "isOnlineMeeting": False,
                 "onlineMeetingProvider": "unknown", "onlineMeeting": None,
                 "onlineMeetingUrl": None, "transactionId": None, "categories": [],
                 "type": "singleInstance", "importance": "normal", "sensitivity": "normal",
                 "location": {"displayName": "", "locationType": "default",
                              "uniqueIdType": "unknown"},
                 "organizer": {"emailAddress": {"name": acct["displayName"],
                                                "address": acct["email"]}},
                 "attendees": [], "iCalUId": "040000008200E00074C5B7101A82E008" +
                                             secrets.token_hex(28).upper(),
                 "_deleted": False, "_seq": len(acct["events"])}
        self._apply(event, body)
        event["webLink"] = ("https://outlook.office365.com/owa/?itemid=" +
                            urllib.parse.quote(event["id"], safe="") +
                            "&exvsurl=1&path=/calendar/item")
        acct["events"][event["id"]] = event
        return event

    def _render(self, event, zone, zone_name, select=None):
        out = {k: copy.deepcopy(v) for k, v in event.items() if not k.startswith("_")}
        out["@odata.etag"] = 'W/"' + event["changeKey"] + '"'
        out["start"] = {"dateTime": graph_time(event["_start"], zone), "timeZone": zone_name}
        out["end"] = {"dateTime": graph_time(event["_end"], zone), "timeZone": zone_name}
        if select:
            wanted = {s.strip() for s in select.split(",")} | {"id", "@odata.etag"}
            out = {k: v for k, v in out.items() if k in wanted}
        return out

    def _json_body(self, req):
        if not req["body"]:
            raise Answer(_graph_error(400, "BadRequest", "Empty Payload. JSON content "
                                      "expected."))
        if not is_json(req) or not isinstance(req["json"], dict):
            raise Answer(_graph_error(400, "UnableToDeserializePostBody", "Unable to "
                                      "deserialize the request body as JSON (Content-Type "
                                      "application/json)."))
        return req["json"]

    def _create(self, req):
        acct = self._auth(req, {"calendars.readwrite", "calendars.readwrite.shared"})
        body = self._json_body(req)
        zone_default = (body.get("start") or {}).get("timeZone", "UTC")
        transaction = body.get("transactionId")
        if transaction:  # Graph: a retried POST with the same transactionId makes no duplicate
            for event in acct["events"].values():
                if event["transactionId"] == transaction and not event["_deleted"]:
                    zone, name, applied = self._zone_of(req, event["originalStartTimeZone"])
                    return json_reply(201, self._render(event, zone, name),
                                      [applied] if applied else [])
        for name in ("start", "end"):
            if name not in body:
                raise Answer(_graph_error(400, "ErrorInvalidRequest", f"The {name} time of the "
                                          "event is missing."))
        event = self._new_event(acct, body)
        zone, name, applied = self._zone_of(req, zone_default)
        return json_reply(201, self._render(event, zone, name), [applied] if applied else [])

    def _one(self, req, event_id):
        method = req["method"]
        read = {"calendars.readbasic", "calendars.read", "calendars.readwrite"}
        acct = self._auth(req, read if method == "GET" else {"calendars.readwrite"})
        event = acct["events"].get(event_id)
        if event is None or event["_deleted"]:
            return _graph_error(404, "ErrorItemNotFound", "The specified object was not found in "
                                "the store.")
        if method == "DELETE":
            event["_deleted"] = True
            return Reply(204)
        if method == "PATCH":
            body = self._json_body(req)
            updated = copy.deepcopy(event)
            self._apply(updated, body)
            acct["events"][event_id] = event = updated
        zone, name, applied = self._zone_of(req, event["originalStartTimeZone"])
        return json_reply(200, self._render(event, zone, name), [applied] if applied else [])


# ---- Zoom --------------------------------------------------------------------------------

ZOOM_START = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$")


def _zoom_error(status, code, message, errors=None):
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return Answer(json_reply(status, body))


class FakeZoom(FakeService):
    """Zoom Server-to-Server OAuth (zoom.us/oauth/token) and the Meetings API (api.zoom.us/v2)
    on one origin. The account's users are `host_email` ("me") and those added with
    add_user(); meetings for anyone else get 404 code 1001."""

    name = "FakeZoom"

    def __init__(self, account_id="zoom-account-id", client_id="zoom-client-id",
                 client_secret="zoom-client-secret", token_lifetime=3600,
                 host_email="zoom-host@clinic.example",
                 scopes="meeting:write:admin meeting:read:admin user:read:admin", clock=None):
        super().__init__(clock)
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.host_email = host_email
        self.scopes = scopes
        self.tokens = TokenStore(token_lifetime, "eyJzdiI6IjAwMDAwMSJ9.", "")
        self.users = {host_email.lower(): "zu" + secrets.token_hex(10)}
        self.token_requests = 0
        self._meetings = collections.OrderedDict()

    @property
    def token_lifetime(self):
        return self.tokens.lifetime

    def flags(self):
        return ["--zoom-token-url", f"{self.url}/oauth/token", "--zoom-api-url", f"{self.url}/v2"]

    def add_user(self, email):
        with self._lock:
            self.users.setdefault(email.lower(), "zu" + secrets.token_hex(10))

    def revoke(self, account=None):
        """Every token stops working (the app deactivated); new ones can still be had."""
        with self._lock:
            self.tokens.revoke(self.account_id)

    def expire_tokens(self, account=None):
        with self._lock:
            self.tokens.expire()

    def meetings(self, include_deleted=False):
        with self._lock:
            return [self._render(m) for m in self._meetings.values()
                    if include_deleted or not m["_deleted"]]

    def meeting(self, meeting_id):
        with self._lock:
            m = self._meetings.get(int(meeting_id))
            return self._render(m) if m else None

    # -- OAuth

    def _token(self, req):
        params = dict(req["query"])
        params.update(req["form"] or {})
        basic = header_basic(req["headers"])
        if basic is None or basic != (self.client_id, self.client_secret):
            raise _zoom_oauth(401, "invalid_client", "Invalid client_id or client_secret")
        grant = params.get("grant_type")
        if grant != "account_credentials":
            raise _zoom_oauth(400, "unsupported_grant_type", "unsupported grant type")
        if params.get("account_id") != self.account_id:
            raise _zoom_oauth(400, "invalid_request", "Invalid account_id")
        self.token_requests += 1
        token = self.tokens.new_access(self.account_id, self.scopes.split())
        return json_reply(200, {"access_token": token, "token_type": "bearer",
                                "expires_in": int(self.tokens.lifetime), "scope": self.scopes,
                                "api_url": self.url})

    # -- API

    def _auth(self, req):
        entry, problem = self.tokens.check(req["headers"])
        if entry is None:
            raise _zoom_error(401, 124, "Access token is expired." if problem == "expired"
                              else "Invalid access token.")

    def route(self, req):
        method, path = req["method"], req["path"]
        if path == "/oauth/token" and method == "POST":
            return self._token(req)
        seg = path_segments(path)
        if seg[:1] != ["v2"]:
            raise _zoom_error(404, 404, "Not Found")
        seg = seg[1:]
        if len(seg) == 3 and seg[0] == "users" and seg[2] == "meetings" and method == "POST":
            self._auth(req)
            return self._create(req, seg[1])
        if len(seg) == 2 and seg[0] == "meetings" and method in ("GET", "PATCH", "DELETE"):
            self._auth(req)
            return self._one(req, seg[1])
        self._auth(req)
        raise _zoom_error(404, 404, "Not Found")

    def failure_reply(self, req, status):
        if req["path"] == "/oauth/token":
            return json_reply(status, {"reason": http.client.responses.get(status, "error"),
                                       "error": "server_error" if status >= 500
                                       else "invalid_request"})
        if status == 429:
            return json_reply(429, {"code": 429, "message": "You have reached the maximum "
                                    "per-second rate limit for this API. Try again later."})
        return json_reply(status, {"code": status,
                                   "message": http.client.responses.get(status, "error")})

    def _json_body(self, req):
        if not is_json(req) or not isinstance(req["json"], dict):
            raise _zoom_error(400, 300, "Request Body should be a valid JSON object.")
        return req["json"]

    def _validate(self, body, creating):
        errors = []

        def bad(field, message="Invalid field."):
            errors.append({"field": field, "message": message})

        kind = body.get("type", 2 if creating else None)
        if kind is not None and kind not in (1, 2, 3, 8, 10):
            bad("type")
        if "topic" in body and (not isinstance(body["topic"], str) or len(body["topic"]) > 200):
            bad("topic")
        if "agenda" in body and (not isinstance(body["agenda"], str) or
                                 len(body["agenda"]) > 2000):
            bad("agenda")
        if "timezone" in body and (not isinstance(body["timezone"], str) or
                                   zone_named(body["timezone"]) is None):
            bad("timezone")
        if "start_time" in body:
            if not isinstance(body["start_time"], str) or not ZOOM_START.match(body["start_time"]):
                bad("start_time", "Invalid field: start_time must be yyyy-MM-ddTHH:mm:ssZ (GMT) "
                                  "or yyyy-MM-ddTHH:mm:ss with timezone.")
        elif creating and kind == 2:
            bad("start_time", "start_time is required for a scheduled meeting.")
        if "duration" in body:
            if not isinstance(body["duration"], int) or isinstance(body["duration"], bool) or \
                    body["duration"] < 1:
                bad("duration")
        elif creating and kind == 2:
            bad("duration", "duration is required for a scheduled meeting.")
        if "settings" in body and not isinstance(body["settings"], dict):
            bad("settings")
        if errors:
            raise _zoom_error(400, 300, "Validation Failed.", errors)
        return kind

    def _start(self, text, zone_name):
        moment = datetime.fromisoformat(text.rstrip("Z"))
        if text.endswith("Z"):
            return moment.replace(tzinfo=UTC)
        return moment.replace(tzinfo=zone_named(zone_name) if zone_name else UTC)

    def _create(self, req, user_id):
        host = self.host_email.lower() if user_id == "me" else user_id.lower()
        if host not in self.users and user_id not in self.users.values():
            raise _zoom_error(404, 1001, f"User does not exist: {user_id}.")
        if host not in self.users:
            host = next(e for e, i in self.users.items() if i == user_id)
        body = self._json_body(req)
        kind = self._validate(body, creating=True)
        meeting_id = random.randrange(10**10, 10**11)
        while meeting_id in self._meetings:
            meeting_id = random.randrange(10**10, 10**11)
        password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(8))
        encrypted = b64url(secrets.token_bytes(24)).replace("-", "a").replace("_", "b") + ".1"
        zone_name = body.get("timezone", "UTC")
        meeting = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(), "id": meeting_id,
            "host_id": self.users[host], "host_email": host,
            "topic": body.get("topic", "Zoom meeting"), "type": kind, "status": "waiting",
            "duration": body.get("duration", 60), "timezone": zone_name,
            "agenda": body.get("agenda", ""), "created_at": zulu(datetime.fromtimestamp(
                self.clock(), UTC)),
            "start_url": f"https://zoom.us/s/{meeting_id}?zak=" + b64url(secrets.token_bytes(48)),
            "join_url": f"https://zoom.us/j/{meeting_id}?pwd={encrypted}",
            "password": password, "h323_password": "".join(random.choices(string.digits, k=6)),
            "pstn_password": "".join(random.choices(string.digits, k=6)),
            "encrypted_password": encrypted, "pre_schedule": False,
            "settings": dict({"host_video": False, "participant_video": False,
                              "join_before_host": False, "waiting_room": True,
                              "mute_upon_entry": False, "approval_type": 2,
                              "audio": "voip", "auto_recording": "none"},
                             **body.get("settings", {})),
            "_deleted": False, "_start": None, "_updates": []}
        if "start_time" in body:
            meeting["_start"] = self._start(body["start_time"], body.get("timezone"))
        self._meetings[meeting_id] = meeting
        return json_reply(201, self._render(meeting))

    def _render(self, meeting):
        out = {k: copy.deepcopy(v) for k, v in meeting.items() if not k.startswith("_")}
        if meeting["_start"] is not None:
            out["start_time"] = zulu(meeting["_start"])
        return out

    def _one(self, req, meeting_text):
        if not meeting_text.isdigit():
            raise _zoom_error(404, 3001, f"Meeting does not exist: {meeting_text}.")
        meeting = self._meetings.get(int(meeting_text))
        if meeting is None or meeting["_deleted"]:
            raise _zoom_error(404, 3001, f"Meeting does not exist: {meeting_text}.")
        method = req["method"]
        if method == "GET":
            return json_reply(200, self._render(meeting))
        if method == "DELETE":
            meeting["_deleted"] = True
            return Reply(204)
        body = self._json_body(req)
        self._validate(body, creating=False)
        for name in ("topic", "type", "duration", "timezone", "agenda"):
            if name in body:
                meeting[name] = body[name]
        if "settings" in body:
            meeting["settings"].update(body["settings"])
        if "start_time" in body:
            meeting["_start"] = self._start(body["start_time"], body.get("timezone",
                                                                         meeting["timezone"]))
        meeting["_updates"].append(copy.deepcopy(body))
        return Reply(204)


def _zoom_oauth(status, error, reason):
    return Answer(json_reply(status, {"reason": reason, "error": error}))


# ---- ICS feeds ---------------------------------------------------------------------------


class IcsHost(FakeService):
    """Plain HTTP hosting of ICS texts: put(path, text), url_for(path); GET and HEAD answer
    200 text/calendar with a strong ETag (a hash of the bytes) and Last-Modified (when the
    text last changed), 304 to a matching If-None-Match (or, without one, to an
    If-Modified-Since not older than the text), 404 to unknown paths. `fetches[path]` counts
    GETs (304s included)."""

    name = "IcsHost"

    def __init__(self, clock=None):
        super().__init__(clock)
        self.fetches = collections.Counter()
        self._feeds = {}

    def put(self, path, text, content_type="text/calendar; charset=utf-8"):
        data = text.encode() if isinstance(text, str) else bytes(text)
        with self._lock:
            old = self._feeds.get(path)
            if old and old["body"] == data:
                return
            self._feeds[path] = {"body": data, "content_type": content_type,
                                 "etag": '"' + hashlib.sha256(data).hexdigest()[:32] + '"',
                                 "modified": int(self.clock())}

    def remove(self, path):
        with self._lock:
            self._feeds.pop(path, None)

    def url_for(self, path):
        return self.url + path

    def etag(self, path):
        with self._lock:
            return self._feeds[path]["etag"]

    def route(self, req):
        split_path = req["path"]
        if req["method"] == "GET":
            self.fetches[split_path] += 1
        if req["method"] not in ("GET", "HEAD"):
            return text_reply(405, "Method Not Allowed", [("Allow", "GET, HEAD")])
        feed = self._feeds.get(split_path)
        if feed is None:
            return text_reply(404, "Not Found")
        headers = [("ETag", feed["etag"]),
                   ("Last-Modified", email.utils.formatdate(feed["modified"], usegmt=True)),
                   ("Cache-Control", "private, max-age=0")]
        inm = req["headers"].get("if-none-match")
        if inm is not None:
            given = [t.strip().removeprefix("W/") for t in inm.split(",")]
            if "*" in given or feed["etag"] in given:
                return Reply(304, b"", headers)
        else:
            ims = req["headers"].get("if-modified-since")
            if ims:
                try:
                    since = email.utils.parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError):
                    since = None
                if since is not None and feed["modified"] <= since:
                    return Reply(304, b"", headers)
        return Reply(200, feed["body"], headers, feed["content_type"])
