"""nginx in front of several booking servers (issue 9): runs deploy/nginx/slotbook.conf
itself, with Debian's nginx, in front of two booking-server processes on one PostgreSQL
database (always PostgreSQL, whatever SLOTBOOK_TEST_BACKEND says). Standard library plus
the nginx and openssl binaries.

The file runs unchanged but for exact string replacements, each asserted to apply once
(so an edit of the file that a replacement no longer fits fails here, loudly): the
upstream's addresses become the servers' ephemeral loopback ports, `listen 443` and
`listen 80` ephemeral loopback ports, the certificate paths a self-signed certificate for
localhost made in the test's temp dir. The file lists three processes and the test runs
two: its third entry is the first server again. nginx runs in the foreground from a main
config the test writes (pid, logs and temp paths in the temp dir), checked with `nginx -t`
first, stopped with SIGQUIT (then SIGKILL to its process group). Every test gets a fresh
database, two fresh servers and a fresh nginx (so a fresh limit_req zone).

- The widget snapshot (200 with ETag, then 304) and a booking (201) over HTTPS through
  the proxy, and requests reach both processes (their request log lines).
- The proxy's limit: past burst+1 rapid booking POSTs from one client, 429 in the server's
  JSON (`rate_limited`) with Retry-After, and Access-Control-Allow-Origin only for the
  mapped origin; cancel, reschedule and the Calendly-like booking share it; the limited
  requests never reach a server; other routes are not limited.
- One process stopped (SIGTERM): GETs and booking POSTs still succeed, all answered by
  the other (nginx passes a refused connection to the next server).
- Plain HTTP on the port-80 server: 301 to the same URL on https."""

import ctypes
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

import pg_cluster
from harness import Response, Server, booking_body, future_date, utc_instant

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.normpath(os.path.join(HERE, "..", "..", "deploy", "nginx", "slotbook.conf"))
SERVER_NAME = "booking.clinic.example"
ORIGIN = "https://clinic.example"  # the file's map, and the servers' --allow-origin
ARGS = ["--rate-limit", "0", "--allow-origin", ORIGIN, "--db-pool", "4"]
SNAPSHOT = "/api/v1/clinics/testclinic/snapshot"
BURST = 10  # the file's limit_req burst
CLIENT_TIMEOUT = 10  # seconds: an answer later than this counts as a hang
# The server's request log line: "... info 127.0.0.1 GET /healthz 200 0.15ms".
REQUEST_LINE = re.compile(r" info \S+ ([A-Z]+) (\S+) (\d{3}) ")


def tool(name):
    for path in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if path and os.access(path, os.X_OK):
            return path
    sys.exit(f"{name} is missing: install the Debian package {name}")


def free_ports(count):
    """`count` distinct loopback ports that were free a moment ago (bound to port 0, then
    closed; start() retries should another process take one meanwhile)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def substitute(text, replacements, source=None):
    """`text` (of the file `source`, CONF by default) with each (old, new) of
    `replacements` applied; each `old` must occur exactly once."""
    source = source or CONF
    for old, new in replacements:
        found = text.count(old)
        if found != 1:
            raise AssertionError(
                f"{source}: expected {old!r} exactly once, found it {found} times: the file "
                "changed so that test_nginx.py's substitution no longer applies; update the "
                "test with the file")
        text = text.replace(old, new)
    return text


def _die_with_parent():
    """In the nginx master, before exec: SIGTERM (nginx's fast shutdown, which stops its
    workers too) should this test process die without stopping it (SIGKILL, a timeout)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Nginx:
    """nginx running `conf_text` (the substituted file) in a temp dir of its own."""

    def __init__(self, dir, conf_text, https_port, http_port):
        self.dir = dir
        self.https_port = https_port
        self.http_port = http_port
        self.proc = None
        self.error_log = os.path.join(dir, "error.log")
        self.output = os.path.join(dir, "nginx.out")
        self.main_conf = os.path.join(dir, "nginx.conf")
        site = os.path.join(dir, "slotbook.conf")
        with open(site, "w") as f:
            f.write(conf_text)
        temp = os.path.join(dir, "temp")
        os.mkdir(temp)
        lines = []
        if os.geteuid() == 0:
            # The workers would run as nobody, who cannot enter the 0700 temp dir.
            lines.append("user root;")
        lines += [
            "daemon off;",
            "worker_processes 1;",
            f"pid {dir}/nginx.pid;",
            f"error_log {self.error_log} warn;",
            "events { worker_connections 256; }",
            "http {",
            f"    access_log {dir}/access.log;",
            f"    client_body_temp_path {temp}/body;",
            f"    proxy_temp_path {temp}/proxy;",
            f"    fastcgi_temp_path {temp}/fastcgi;",
            f"    uwsgi_temp_path {temp}/uwsgi;",
            f"    scgi_temp_path {temp}/scgi;",
            f"    include {site};",
            "}",
        ]
        with open(self.main_conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def command(self, *extra):
        # -e: the error log from the first moment, before the config names one.
        return [tool("nginx"), "-p", self.dir + "/", "-c", self.main_conf,
                "-e", self.error_log, *extra]

    def check(self):
        """`nginx -t` on the configuration; raises with its output if it fails."""
        done = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise AssertionError(f"nginx -t failed ({done.returncode}):\n{done.stdout}"
                                 f"{done.stderr}\n{self.log_tail()}")

    def start(self, timeout=10):
        """Starts nginx and waits until both its ports accept connections. Returns False
        if it exited because a port was taken meanwhile (the caller picks others)."""
        out = open(self.output, "ab")
        try:
            self.proc = subprocess.Popen(self.command(), stdout=out, stderr=out,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         preexec_fn=_die_with_parent)
        finally:
            out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                text = self.log_tail()
                if "Address already in use" in text:
                    return False
                raise RuntimeError(f"nginx exited ({self.proc.returncode}):\n{text}")
            if all(self._accepts(port) for port in (self.https_port, self.http_port)):
                return True
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout} s:\n{self.log_tail()}")

    @staticmethod
    def _accepts(port):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self, timeout=10):
        """SIGQUIT (graceful), then SIGKILL to the whole process group (master and
        workers) if it is not gone within `timeout` s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGQUIT)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The master is not reaped yet, so its pid is still this group's id.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=5)

    def log_tail(self, lines=30):
        text = ""
        for path in (self.output, self.error_log):
            try:
                with open(path, errors="replace") as f:
                    text += f"--- {os.path.basename(path)} ---\n" + "".join(f.readlines()[-lines:])
            except OSError:
                pass
        return text


class LoopbackHTTPS(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1:port, verifying the certificate as `localhost` (its CN)."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname="localhost")


def exchange(conn, method, path, body=None, headers=None):
    hdrs = {"Host": SERVER_NAME}
    hdrs.update(headers or {})
    payload = body
    if body is not None and not isinstance(body, (bytes, str)):
        payload = json.dumps(body)
        hdrs.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=payload, headers=hdrs)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


class NginxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tool("nginx")
        cls.certs = tempfile.mkdtemp(prefix="slotbook-nginx-cert-")
        cls.cert = os.path.join(cls.certs, "fullchain.pem")
        cls.key = os.path.join(cls.certs, "privkey.pem")
        done = subprocess.run([tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                               "-subj", "/CN=localhost", "-days", "1",
                               "-keyout", cls.key, "-out", cls.cert],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            shutil.rmtree(cls.certs, ignore_errors=True)
            raise RuntimeError(f"openssl failed: {done.stderr}")
        cls.tls = ssl.create_default_context(cafile=cls.cert)  # trusts this certificate only

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.certs, ignore_errors=True)

    def setUp(self):
        db = pg_cluster.shared_cluster().create_database()
        self.servers = [Server(db=db, args=ARGS) for _ in range(2)]
        self.addCleanup(self._stop_servers)
        for s in self.servers:
            s.spawn()
        for s in self.servers:
            s.wait_listening(timeout=30)
        with open(CONF) as f:
            self.original = f.read()
        self.nginx = self._start_nginx()

    def _stop_servers(self):
        for s in self.servers:
            try:
                s.stop()
            except RuntimeError:
                s.kill()

    def _start_nginx(self):
        a, b = self.servers
        for _ in range(3):
            https_port, http_port = free_ports(2)
            text = substitute(self.original, [
                ("server 10.0.0.11:8080 ", f"server 127.0.0.1:{a.port} "),
                ("server 10.0.0.12:8080 ", f"server 127.0.0.1:{b.port} "),
                ("server 10.0.0.13:8080 ", f"server 127.0.0.1:{a.port} "),
                ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                ("/etc/ssl/slotbook/fullchain.pem", self.cert),
                ("/etc/ssl/slotbook/privkey.pem", self.key),
            ])
            # Nothing the replacements missed: no other upstream, port or certificate.
            self.assertEqual(re.findall(r"\b10\.0\.0\.\d+", text), [], "an upstream server "
                             "the test does not replace: update test_nginx.py with the file")
            self.assertEqual(re.findall(r"^\s*listen (?!127\.0\.0\.1:)\S+", text, re.M), [],
                             "a listen the test does not replace")
            self.assertNotIn("/etc/ssl/", text, "a certificate path the test does not replace")
            dir = tempfile.mkdtemp(prefix="slotbook-nginx-")
            self.addCleanup(shutil.rmtree, dir, ignore_errors=True)
            nginx = Nginx(dir, text, https_port, http_port)
            nginx.check()
            self.addCleanup(nginx.stop)  # cleanups run last first: stopped, then removed
            if nginx.start():
                return nginx
        raise RuntimeError("nginx found its ports taken three times")

    # ---- talking to nginx ----------------------------------------------------------------

    def https(self, method, path, body=None, headers=None):
        conn = LoopbackHTTPS("localhost", self.nginx.https_port, context=self.tls,
                             timeout=CLIENT_TIMEOUT)
        return exchange(conn, method, path, body, headers)

    def http(self, method, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.nginx.http_port,
                                          timeout=CLIENT_TIMEOUT)
        return exchange(conn, method, path, None, headers)

    def requests_seen(self, server, method=None, path=None):
        """The request log lines of `server` (method, path, status), filtered."""
        try:
            with open(server.log_path, errors="replace") as f:
                text = f.read()
        except OSError:
            return []
        return [(m, p, int(s)) for m, p, s in REQUEST_LINE.findall(text)
                if (method is None or m == method) and (path is None or p == path)]

    def wait_counts(self, expected, method=None, path=None, timeout=5):
        """Waits until the servers' logs hold `expected` (a list of counts per server, or
        a function of that list returning whether it holds); returns the counts."""
        check = expected if callable(expected) else (lambda counts: counts == expected)
        deadline = time.monotonic() + timeout
        while True:
            counts = [len(self.requests_seen(s, method, path)) for s in self.servers]
            if check(counts) or time.monotonic() >= deadline:
                return counts
            time.sleep(0.05)

    def diagnostics(self):
        text = "\n" + self.nginx.log_tail()
        for i, s in enumerate(self.servers):
            text += f"\n--- server {i} log ---\n{s.read_log()[-1500:]}"
        return text

    def book(self, day, hh_mm, **headers):
        body = booking_body(utc_instant(future_date(day), hh_mm), name=f"Proxy {day} {hh_mm}",
                            email=f"proxy{day}@example.com")
        return self.https("POST", "/api/v1/bookings", body, headers)

    # ---- cases ---------------------------------------------------------------------------

    def test_a_snapshot_and_a_booking_through_the_proxy_reach_both_processes(self):
        first = self.https("GET", SNAPSHOT, headers={"Origin": ORIGIN})
        self.assertEqual(first.status, 200, first)
        etag = first.header("ETag")
        self.assertTrue(etag, "the snapshot carries an ETag through the proxy")
        self.assertEqual(first.header("Access-Control-Allow-Origin"), ORIGIN,
                         "the server's CORS passes through")
        self.assertEqual(first.json()["clinic"]["id"], "testclinic")

        again = self.https("GET", SNAPSHOT, headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304, again)

        booked = self.book(3, "10:00", **{"Origin": ORIGIN, "Idempotency-Key": "proxy-a-1"})
        self.assertEqual(booked.status, 201, booked)
        self.assertRegex(booked.json()["booking"]["id"], r"^b_[0-9a-f]{24}$")
        self.assertEqual(booked.header("Access-Control-Allow-Origin"), ORIGIN)

        # Round robin over the upstream's three peers: within a few requests both
        # processes have served some.
        for _ in range(6):
            r = self.https("GET", SNAPSHOT)
            self.assertEqual(r.status, 200, r)
        counts = self.wait_counts(lambda c: sum(c) == 8, "GET", SNAPSHOT)
        self.assertEqual(sum(counts), 8, "every snapshot request reached exactly one server"
                         + self.diagnostics())
        self.assertTrue(all(counts), f"snapshot requests per server: {counts}"
                        + self.diagnostics())
        self.assertEqual(self.wait_counts(lambda c: sum(c) == 1, "POST", "/api/v1/bookings")
                         .count(1), 1, "the booking reached one server")

    def test_b_the_proxys_rate_limit_answers_429_in_the_servers_json(self):
        # A cross-origin widget sends a CORS preflight before each booking: only the POSTs
        # count, as in the server, so the preflights leave the allowance whole.
        for _ in range(BURST + 8):
            preflight = self.https("OPTIONS", "/api/v1/bookings", None, {
                "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, idempotency-key"})
            self.assertEqual(preflight.status, 204, preflight)
        answers = [self.book(2 + i, "09:00", Origin=ORIGIN) for i in range(BURST + 8)]
        statuses = [r.status for r in answers]
        self.assertEqual(statuses[:BURST + 1], [201] * (BURST + 1),
                         "burst+1 bookings pass at once")
        self.assertIn(429, statuses, "past the burst nginx limits" + self.diagnostics())
        limited = [r for r in answers if r.status == 429]
        for r in limited:
            self.assertEqual(r.header("Content-Type"), "application/json", r)
            self.assertEqual(r.json()["error"]["code"], "rate_limited", r)
            self.assertIsInstance(r.json()["error"]["message"], str)
            self.assertRegex(r.header("Retry-After") or "", r"^\d+$")
            self.assertEqual(r.header("Access-Control-Allow-Origin"), ORIGIN)
            self.assertIn("Retry-After", r.header("Access-Control-Expose-Headers") or "")
            self.assertIn("Origin", r.header("Vary") or "")

        # The origins outside the map, and no Origin at all: no CORS grant.
        other = self.book(30, "09:00", Origin="https://elsewhere.example")
        self.assertEqual(other.status, 429, other)
        self.assertIsNone(other.header("Access-Control-Allow-Origin"), other.headers)
        plain = self.book(31, "09:00")
        self.assertEqual(plain.status, 429, plain)
        self.assertIsNone(plain.header("Access-Control-Allow-Origin"), plain.headers)
        self.assertEqual(plain.json()["error"]["code"], "rate_limited")

        # The other rate-limited routes share the client's budget.
        booking_id = answers[0].json()["booking"]["id"]
        for path, body in ((f"/api/v1/bookings/{booking_id}/cancel?token=x", {}),
                           (f"/api/v1/bookings/{booking_id}/reschedule?token=x",
                            {"start": utc_instant(future_date(40), "09:00")}),
                           ("/api/calendly/book", {"patient_name": "Cal", "date": "2027-02-01",
                                                   "appointment_type": "consultation",
                                                   "start_time": "09:00"})):
            r = self.https("POST", path, body, {"Origin": ORIGIN})
            self.assertEqual(r.status, 429, f"{path}: {r}")
            self.assertEqual(r.json()["error"]["code"], "rate_limited")

        # Nothing limited reached a server; other routes are not limited.
        passed = statuses.count(201)
        counts = self.wait_counts(lambda c: sum(c) >= passed, "POST")
        self.assertEqual(sum(counts), passed, "only the passed POSTs reached the servers"
                         + self.diagnostics())
        r = self.https("GET", SNAPSHOT)
        self.assertEqual(r.status, 200, r)

    def test_c_a_stopped_process_leaves_its_requests_to_the_other(self):
        for _ in range(3):  # kept-alive connections to both
            self.assertEqual(self.https("GET", SNAPSHOT).status, 200)
        self.assertEqual(self.book(4, "11:00").status, 201)

        # The first server: the file's first and third peers, so two of three refuse.
        stopped, alive = self.servers
        self.assertEqual(stopped.stop(), 0)
        before = len(self.requests_seen(alive))

        for _ in range(6):
            r = self.https("GET", SNAPSHOT)
            self.assertEqual(r.status, 200, f"{r}{self.diagnostics()}")
        for i in range(3):
            r = self.book(5 + i, "11:00")
            self.assertEqual(r.status, 201, f"{r}{self.diagnostics()}")

        self.assertEqual(self.wait_counts(lambda c: c[1] - before == 9)[1] - before, 9,
                         "the running server answered them all" + self.diagnostics())
        with open(self.nginx.error_log, errors="replace") as f:
            self.assertIn("Connection refused", f.read(),
                          "nginx tried the stopped server and passed the request on")

    def test_d_plain_http_is_redirected_to_https(self):
        r = self.http("GET", SNAPSHOT + "?from=80")
        self.assertEqual(r.status, 301, r)
        self.assertEqual(r.header("Location"), f"https://{SERVER_NAME}{SNAPSHOT}?from=80")
        r = self.http("POST", "/api/v1/bookings")
        self.assertEqual(r.status, 301, r)
        self.assertEqual([self.requests_seen(s) for s in self.servers], [[], []],
                         "nothing on port 80 reaches a server")


if __name__ == "__main__":
    unittest.main(verbosity=2)
