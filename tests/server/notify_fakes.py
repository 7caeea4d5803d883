"""Local stand-ins for what booking-server delivers to, checking requests the way the real
receivers document them:

- MailServer: a real SMTP server (Debian python3-aiosmtpd) on a loopback port, keeping
  each message it accepts; it can be stopped and started again on the same port.
- HttpReceiver: an HTTP server that records requests and answers with a status the test
  chooses; as a webhook receiver it verifies Standard Webhooks signatures, as Twilio it
  checks the Messages API's path, form fields and Basic auth.

Every wait has a timeout."""

import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    """SMTP on 127.0.0.1:`port` (a free one by default), no TLS, no AUTH: the loopback
    relay booking-server may talk to without STARTTLS."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []  # (envelope_from, [rcpt], raw bytes)
        self._lock = threading.Lock()
        self._controller = None

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  envelope.original_content or envelope.content))
        return "250 OK"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def parsed(self):
        with self._lock:
            raw = [m[2] for m in self.messages]
        return [email.message_from_bytes(r, policy=email.policy.default) for r in raw]

    def wait_for(self, predicate, timeout=20, what="a message"):
        """The first parsed message for which predicate(msg) holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for msg in self.parsed():
                if predicate(msg):
                    return msg
            time.sleep(0.1)
        subjects = [str(m["Subject"]) for m in self.parsed()]
        raise AssertionError(f"no {what} arrived within {timeout}s; got {subjects}")


class HttpReceiver:
    """Records every POST as a dict {path, headers, body}; answers `status` (settable)."""

    def __init__(self, status=200, reply=b"{}"):
        self.status = status
        self.reply = reply
        self.requests = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per answer

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body})
                    status, reply = receiver.status, receiver.reply
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def received(self):
        with self._lock:
            return list(self.requests)

    def wait_for(self, predicate, timeout=20, what="a request"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for r in self.received():
                if predicate(r):
                    return r
            time.sleep(0.05)
        raise AssertionError(f"no {what} within {timeout}s; got {len(self.received())}")


def verify_standard_webhook(secret, headers, body, tolerance=300, now=None):
    """The Standard Webhooks check a receiver does (docs/webhooks.md): the signature over
    "{id}.{timestamp}.{body}" with the secret's decoded bytes, and a timestamp within
    `tolerance` seconds. Returns the parsed body; raises ValueError otherwise."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id, timestamp = lower["webhook-id"], lower["webhook-timestamp"]
    if now is not None and abs(now - int(timestamp)) > tolerance:
        raise ValueError("timestamp outside tolerance")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in lower["webhook-signature"].split() if s.startswith("v1,")]
    if not any(hmac.compare_digest(expected, g) for g in given):
        raise ValueError("bad signature")
    return json.loads(body)


def twilio_form(request, account_sid, auth_token):
    """The form of a Twilio Messages API request, after checking its path, content type
    and Basic auth as Twilio does; raises AssertionError otherwise."""
    expected_path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
    assert request["path"] == expected_path, request["path"]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-type"].startswith("application/x-www-form-urlencoded"), headers
    credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
    assert headers["authorization"] == "Basic " + credentials, headers.get("authorization")
    form = urllib.parse.parse_qs(request["body"].decode(), strict_parsing=True)
    return {k: v[0] for k, v in form.items()}
