"""The receivers docs/webhooks.md prints work as printed: its ```python block (run by this
python3) and its ```js block (run by node: $NODE, else node on PATH) each become a real
receiver process on a loopback port with WEBHOOK_SECRET set, a real booking-server
(--allow-http-webhooks) delivers a booking.created to it, and the delivery is sent; given
the wrong secret the receiver answers 400 and the delivery stays pending with
last_error "HTTP 400". Standard library plus harness.py; every wait has a timeout and every
process is killed in a finally.

The server's clock runs from now (not harness.FAKE_START) because the receivers check
webhook-timestamp against their own, real clock, as a clinic's receiver would."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import datetime, timedelta, timezone

import harness
from harness import FIXTURE, ZONE, Server, booking_body, utc_instant, wait_until

DOC = os.path.join(harness.HERE, os.pardir, os.pardir, "docs", "webhooks.md")
FENCE = re.compile(r"^```(python|js|javascript)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
KINDS = ("python", "js")
# The delivery's retries come quickly (the documented schedule, scaled down).
SERVER_ARGS = ["--allow-http-webhooks", "--rate-limit", "0", "--delivery-backoff", "0.5"]


def documented_receivers():
    """{"python": code, "js": code}: the one block of each language in docs/webhooks.md."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    found = {}
    for lang, code in FENCE.findall(text):
        kind = "python" if lang == "python" else "js"
        if kind in found:
            raise AssertionError(f"docs/webhooks.md has more than one ```{lang} block")
        found[kind] = code
    missing = [k for k in KINDS if k not in found]
    if missing:
        raise AssertionError(f"docs/webhooks.md has no {missing} block")
    return found


def node_binary():
    node = os.environ.get("NODE") or shutil.which("node")
    if not node or not os.path.exists(node):
        raise RuntimeError("node not found: set NODE or put node on PATH")
    return node


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


class Receiver:
    """One documented receiver as its own process on 127.0.0.1:`port`."""

    def __init__(self, kind, code, secret, port=None):
        self.kind = kind
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix=f"slotbook-receiver-{kind}-")
        script = os.path.join(self.dir, "receiver.py" if kind == "python" else "receiver.mjs")
        with open(script, "w", encoding="utf-8") as f:
            f.write(code)
        command = [sys.executable, script] if kind == "python" else [node_binary(), script]
        env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
        env.update(PORT=str(self.port), WEBHOOK_SECRET=secret)
        self.out_path = os.path.join(self.dir, "stdout")
        self.err_path = os.path.join(self.dir, "stderr")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=self.dir,
                                         stdin=subprocess.DEVNULL)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/webhooks/slotbook"

    def wait_listening(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the {self.kind} receiver exited {self.proc.returncode}: "
                                     f"{self.stderr()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the {self.kind} receiver did not listen within {timeout}s: "
                             f"{self.stderr()}")

    def printed(self):
        with open(self.out_path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-2000:]

    def post(self, body, headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", "/webhooks/slotbook", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def start_receiver(kind, code, secret, port=None):
    receiver = Receiver(kind, code, secret, port)
    try:
        return receiver.wait_listening()
    except BaseException:
        receiver.kill()
        raise


class Slots:
    """Distinct free starts on the fixture clinic (dr-a: every day 08:00-18:00), counted from
    the real date, since the server's clock runs from now."""

    def __init__(self):
        with open(FIXTURE) as f:
            self.closed = set(json.load(f)["clinic"].get("closed_dates", []))
        self.day = datetime.now(ZONE).date() + timedelta(days=2)
        self.hour = 8

    def next(self):
        while self.day.isoformat() in self.closed or self.hour > 17:
            if self.hour > 17:
                self.hour = 8
            self.day += timedelta(days=1)
        start = utc_instant(self.day, f"{self.hour:02d}:00")
        self.hour += 1
        return start


class DocumentedReceivers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.code = documented_receivers()
        node_binary()
        cls.server = Server(args=SERVER_ARGS, fake_start=datetime.now(timezone.utc)).start()
        cls.slots = Slots()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def subscribe(self, url):
        r = self.server.staff("POST", "/api/v1/webhooks",
                              {"url": url, "events": ["booking.created"],
                               "description": "docs/webhooks.md receiver"})
        self.assertEqual(r.status, 201, r)
        created = r.json()
        self.assertRegex(created["secret"], r"^whsec_[A-Za-z0-9+/]{32}$")
        return created

    def book(self, name):
        r = self.server.post("/api/v1/bookings",
                             booking_body(self.slots.next(), name=name, email="docs@example.com"))
        self.assertEqual(r.status, 201, r)
        return r.json()["booking"]

    def delivery_to(self, webhook_id):
        r = self.server.staff("GET", "/api/v1/deliveries?channel=webhook&limit=500")
        self.assertEqual(r.status, 200, r)
        mine = [d for d in r.json()["deliveries"] if d["recipient"] == webhook_id]
        self.assertLessEqual(len(mine), 1, mine)
        return mine[0] if mine else None

    def webhook(self, webhook_id):
        r = self.server.staff("GET", f"/api/v1/webhooks/{webhook_id}")
        self.assertEqual(r.status, 200, r)
        return r.json()["webhook"]

    def test_receiver_accepts_a_signed_delivery(self):
        for kind in KINDS:
            with self.subTest(receiver=kind):
                port = free_port()
                hook = self.subscribe(f"http://127.0.0.1:{port}/webhooks/slotbook")
                receiver = None
                try:
                    receiver = start_receiver(kind, self.code[kind], hook["secret"], port)
                    booking = self.book(f"Docs {kind}")
                    sent = wait_until(
                        lambda: (d := self.delivery_to(hook["id"])) and d["status"] == "sent" and d,
                        what=f"a sent delivery to the {kind} receiver")
                    self.assertEqual((sent["purpose"], sent["booking_id"], sent["attempts"],
                                      sent["last_error"]),
                                     ("booking.created", booking["id"], 1, None), sent)
                    wait_until(lambda: "booking.created" in receiver.printed(), timeout=10,
                               what=f"the {kind} receiver printing booking.created")
                    self.assertEqual(receiver.printed(), ["booking.created"])
                    w = self.webhook(hook["id"])
                    self.assertEqual((w["enabled"], w["failing_since"], w["last_error"]),
                                     (True, None, None), w)
                finally:
                    self.server.staff("DELETE", f"/api/v1/webhooks/{hook['id']}")
                    if receiver:
                        receiver.kill()

    def test_receiver_with_the_wrong_secret_answers_400(self):
        for kind in KINDS:
            with self.subTest(receiver=kind):
                port = free_port()
                hook = self.subscribe(f"http://127.0.0.1:{port}/webhooks/slotbook")
                receiver = None
                try:
                    receiver = start_receiver(kind, self.code[kind], new_secret(), port)
                    self.book(f"Wrong secret {kind}")
                    refused = wait_until(
                        lambda: (d := self.delivery_to(hook["id"])) and d["attempts"] >= 2 and d,
                        what=f"a second attempt at the {kind} receiver")
                    self.assertEqual((refused["status"], refused["last_error"]),
                                     ("pending", "HTTP 400"), refused)
                    self.assertIsNotNone(refused["next_attempt_at"])
                    more = refused["attempts"]
                    later = wait_until(
                        lambda: (d := self.delivery_to(hook["id"]))["attempts"] > more and d,
                        what=f"yet another attempt at the {kind} receiver")
                    self.assertEqual((later["status"], later["last_error"]),
                                     ("pending", "HTTP 400"), later)
                    w = self.webhook(hook["id"])
                    self.assertEqual((w["enabled"], w["last_error"]), (True, "HTTP 400"), w)
                    self.assertIsNotNone(w["failing_since"])
                    self.assertEqual(receiver.printed(), [])
                finally:
                    self.server.staff("DELETE", f"/api/v1/webhooks/{hook['id']}")
                    if receiver:
                        receiver.kill()


class ReceiverChecks(unittest.TestCase):
    """What the documented receivers refuse and accept beyond the server's own messages:
    a stale timestamp, several signatures, a repeated webhook-id, a changed body."""

    def test_timestamp_signatures_and_duplicates(self):
        code = documented_receivers()
        secret = new_secret()
        for kind in KINDS:
            with self.subTest(receiver=kind):
                receiver = start_receiver(kind, code[kind], secret)
                try:
                    body = (b'{"type":"booking.cancelled","timestamp":"2027-01-11T14:00:00Z",'
                            b'"data":{}}')

                    def post(msg_id, timestamp, signature, content=body):
                        return receiver.post(content, {
                            "Content-Type": "application/json", "webhook-id": msg_id,
                            "webhook-timestamp": str(timestamp), "webhook-signature": signature})

                    now = int(time.time())
                    good = sign(secret, "dlv_a", now, body)
                    other = sign(new_secret(), "dlv_a", now, body)
                    self.assertEqual(post("dlv_a", now, f"v1,{other[3:]} v2,xyz {good}"), 204)
                    self.assertEqual(post("dlv_a", now, good), 204)  # a retry: not handled again
                    self.assertEqual(receiver.printed(), ["booking.cancelled"])
                    self.assertEqual(post("dlv_b", now, other), 400)
                    self.assertEqual(post("dlv_b", now, sign(secret, "dlv_b", now, body),
                                          body.replace(b"cancelled", b"created")), 400)
                    stale = now - 6 * 60
                    self.assertEqual(post("dlv_c", stale, sign(secret, "dlv_c", stale, body)), 400)
                    early = now + 6 * 60
                    self.assertEqual(post("dlv_d", early, sign(secret, "dlv_d", early, body)), 400)
                    self.assertEqual(post("dlv_e", "soon", sign(secret, "dlv_e", "soon", body)),
                                     400)
                    self.assertEqual(receiver.post(body, {"Content-Type": "application/json"}), 400)
                    self.assertEqual(receiver.printed(), ["booking.cancelled"])
                finally:
                    receiver.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
