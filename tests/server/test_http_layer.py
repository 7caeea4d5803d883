"""The event-driven HTTP layer (issue 13, findings 2-4): deadlines, body limits for every
transfer encoding, cheap idle connections, graceful stop, and the request semantics the
routes rely on. Against the real binary, on loopback, ephemeral ports only."""

import json
import os
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import API_KEY, Server, binary, booking_body, future_date, utc_instant

HEADER_TIMEOUT = 3  # seconds: short, so the deadline tests stay fast
LIMIT = 64 * 1024

web_root = tempfile.mkdtemp(prefix="slotbook-http-web-root-")
with open(os.path.join(web_root, "digits.txt"), "w") as f:
    f.write("0123456789")

server = Server(args=["--rate-limit", "0", "--threads", "2", "--web-root", web_root,
                      "--header-timeout", str(HEADER_TIMEOUT), "--body-timeout", "2",
                      "--idle-timeout", "1"])


def setUpModule():
    server.start()


def tearDownModule():
    server.stop()


def connect():
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def receive_until(sock, data, enough, deadline):
    """Appends what `sock` sends to `data` until enough(data), the server closes, or the
    deadline passes; returns it."""
    while not enough(data) and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    return data


def read_answer(sock, timeout=5):
    """Reads one HTTP answer (head and a Content-Length body) or until the server closes.
    Returns (status or None, head bytes, body bytes)."""
    deadline = time.monotonic() + timeout
    data = receive_until(sock, b"", lambda d: b"\r\n\r\n" in d, deadline)
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        return None, head, body
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = receive_until(sock, body, lambda d: len(d) >= length, deadline)
    return int(head.split()[1]), head, body


def closed_by_server(sock, timeout):
    """Whether the server closes `sock` within `timeout` seconds (what it sends first is
    read and dropped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            if not sock.recv(65536):
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def still_open(sock):
    ready, _, _ = select.select([sock], [], [], 0)
    return not ready  # nothing to read: neither data nor an EOF


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def chunked(data, size=16 * 1024):
    out = b""
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def send_chunked(method, path, body, headers=()):
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    head += "Content-Type: application/json\r\nConnection: close\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    with connect() as sock:
        sock.sendall(head.encode() + b"\r\n")
        try:
            sock.sendall(chunked(body))
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused mid-body: the answer is already waiting
        return read_answer(sock)


class SlowAndIdleClientsCannotStallTheServer(unittest.TestCase):
    """Finding 3: 33 trickling or 200 silent connections made every /healthz time out."""

    def test_idle_and_trickling_connections_cost_no_thread_and_end_at_the_deadline(self):
        opened = time.monotonic()
        idle = [connect() for _ in range(200)]
        trickling = [connect() for _ in range(50)]
        for sock in trickling:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        stop_trickling = threading.Event()

        def trickle():
            line = 0
            while not stop_trickling.wait(2.0):  # one header line every 2 s
                line += 1
                for sock in trickling:
                    try:
                        sock.sendall(b"X-Trickle-%d: still here\r\n" % line)
                    except OSError:
                        pass

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        try:
            # The server (two io threads) holds all 250 and still answers at once.
            for _ in range(4):
                started = time.monotonic()
                r = server.request("GET", "/healthz", timeout=5)
                elapsed = time.monotonic() - started
                self.assertEqual(r.status, 200, r)
                self.assertLess(elapsed, 1.0, "a /healthz probe waited behind slow clients")
                time.sleep(0.25)
            self.assertLess(time.monotonic() - opened, HEADER_TIMEOUT,
                            "the machine is too slow for this test's deadline")
            self.assertTrue(all(still_open(s) for s in idle + trickling),
                            "connections were dropped before their header deadline")
            # Each is closed at the header deadline, trickling or not (the deadline is
            # for the whole head, not for each read).
            for sock in idle + trickling:
                left = opened + HEADER_TIMEOUT + 3 - time.monotonic()
                self.assertTrue(closed_by_server(sock, max(0.1, left)),
                                "a connection outlived the header deadline")
        finally:
            stop_trickling.set()
            trickler.join(timeout=5)
            for sock in idle + trickling:
                sock.close()
        self.assertEqual(server.get("/healthz").status, 200)

    def test_the_default_header_deadline_is_ten_seconds(self):
        out = subprocess.run([binary(), "--help"], capture_output=True, text=True, timeout=10)
        line = next(l for l in out.stdout.splitlines() if "--header-timeout" in l)
        self.assertIn("10", line, line)


class BodyLimitsHoldForEveryTransferEncoding(unittest.TestCase):
    """Finding 2: chunked bodies bypassed the 64 KB limit and were read whole."""

    def test_a_chunked_booking_over_the_limit_is_413(self):
        body = json.dumps(booking_body(utc_instant(future_date(5, 0), "10:00"),
                                       notes="x" * (LIMIT + 1000))).encode()
        status, _, answer = send_chunked("POST", "/api/v1/bookings", body)
        self.assertEqual(status, 413, answer)
        self.assertEqual(json.loads(answer)["error"]["code"], "payload_too_large")

    def test_a_chunked_clinic_configuration_over_the_limit_is_413(self):
        config = server.staff("GET", "/api/calendar/clinic").json()["clinic"]
        stored = [p["id"] for p in config["practitioners"]]
        practitioner = config["practitioners"][0]
        config["practitioners"] = [dict(practitioner, id=f"p{i}") for i in range(2000)]
        body = json.dumps(config).encode()
        self.assertGreater(len(body), LIMIT)
        status, _, answer = send_chunked("PUT", "/api/calendar/clinic", body,
                                         [("X-API-Key", API_KEY)])
        self.assertEqual(status, 413, answer)
        clinic = server.staff("GET", "/api/calendar/clinic").json()["clinic"]
        self.assertEqual([p["id"] for p in clinic["practitioners"]], stored)

    def test_a_chunked_booking_within_the_limit_is_booked(self):
        body = json.dumps(booking_body(utc_instant(future_date(5, 0), "11:00"))).encode()
        status, _, answer = send_chunked("POST", "/api/v1/bookings", body)
        self.assertEqual(status, 201, answer)

    def test_a_gigabyte_chunked_upload_is_refused_after_the_limit_with_flat_memory(self):
        rss_before = vm_rss_kib(server.proc.pid)
        piece = b"x" * (64 * 1024)
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        sent = 0
        with connect() as sock:
            sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            while sent < 1024 ** 3:  # 1 GB, unless the server answers first
                readable, writable, _ = select.select([sock], [sock], [], 5)
                if readable:
                    break
                self.assertTrue(writable, f"the server neither read nor answered ({sent} sent)")
                try:
                    sent += sock.send(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                self.assertLess(sent, 64 * 1024 ** 2, "64 MB went in without an answer")
            status, _, answer = read_answer(sock)
        self.assertEqual(status, 413, answer)
        self.assertLess(sent, 16 * 1024 ** 2)  # the limit plus what socket buffers hold
        grown = vm_rss_kib(server.proc.pid) - rss_before
        self.assertLess(grown, 16 * 1024, f"the server grew by {grown} KiB")

    def test_a_content_length_over_the_limit_is_413_before_any_body_byte(self):
        for extra in ("", "Expect: 100-continue\r\n"):
            with self.subTest(expect=bool(extra)), connect() as sock:
                sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n" +
                             extra.encode() + b"\r\n")
                status, _, answer = read_answer(sock)
                self.assertEqual(status, 413, answer)
                self.assertEqual(json.loads(answer)["error"]["code"], "payload_too_large")

    def test_expect_100_continue_within_the_limit_gets_continue_then_the_answer(self):
        body = json.dumps(booking_body(utc_instant(future_date(5, 0), "13:00"))).encode()
        with connect() as sock:
            sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body))
            status, head, _ = read_answer(sock)
            self.assertEqual(status, 100, head)
            sock.sendall(body)
            status, _, answer = read_answer(sock)
        self.assertEqual(status, 201, answer)

    def test_a_malformed_chunk_is_400(self):
        with connect() as sock:
            sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\nzz\r\n")
            status, _, answer = read_answer(sock)
        self.assertEqual(status, 400, answer)


class RequestDeadlines(unittest.TestCase):
    def test_a_body_that_stalls_is_closed_at_the_body_deadline(self):
        with connect() as sock:
            sock.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                         b"\r\n{\"clinic")
            self.assertTrue(closed_by_server(sock, 2 + 3))

    def test_a_kept_alive_connection_serves_requests_and_closes_when_idle(self):
        with connect() as sock:
            for _ in range(3):
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                status, head, _ = read_answer(sock)
                self.assertEqual(status, 200, head)
                self.assertNotIn(b"connection: close", head.lower())
            self.assertTrue(closed_by_server(sock, 1 + 3))  # --idle-timeout 1


class GracefulStop(unittest.TestCase):
    """Finding 4 of the attack: a SIGTERM right after "listening on" was lost for good (14
    of 20 starts)."""

    def test_twenty_immediate_stops_all_exit_within_two_seconds(self):
        for attempt in range(20):
            s = Server(args=["--rate-limit", "0"]).start()
            s.proc.send_signal(signal.SIGTERM)
            try:
                code = s.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                s.kill()
                self.fail(f"start {attempt}: not stopped 2 s after SIGTERM")
            s._close()
            self.assertEqual(code, 0, f"start {attempt}")

    def test_a_request_in_flight_is_answered_idle_ones_are_closed(self):
        s = Server(args=["--rate-limit", "0"]).start()
        idle = busy = None
        try:
            idle = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            busy = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            body = json.dumps(booking_body(utc_instant(future_date(6, 1), "10:00"))).encode()
            head = (b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    b"\r\nContent-Length: %d\r\n\r\n" % len(body))
            busy.sendall(head + body[:10])
            time.sleep(0.3)  # the head is read: the request is in flight
            s.proc.send_signal(signal.SIGTERM)
            self.assertTrue(closed_by_server(idle, 5), "an idle connection kept the server up")
            busy.sendall(body[10:])
            status, head_bytes, answer = read_answer(busy)
            self.assertEqual(status, 201, answer)
            self.assertIn(b"connection: close", head_bytes.lower())
            self.assertEqual(s.proc.wait(timeout=5), 0)
        finally:
            for sock in (idle, busy):
                if sock:
                    sock.close()
            s.kill()


class RequestSemantics(unittest.TestCase):
    """What the routes rely on, as cpp-httplib gave it."""

    def test_unknown_paths_and_methods(self):
        r = server.get("/no/such/endpoint")
        self.assertEqual((r.status, r.json()["error"]["code"]), (404, "not_found"))
        r = server.request("DELETE", "/healthz")  # a path routed for another method
        self.assertEqual((r.status, r.json()["error"]["code"]), (404, "not_found"))
        r = server.request("BREW", "/healthz")
        self.assertEqual((r.status, r.json()["error"]["code"]), (400, "bad_request"))

    def test_a_form_body_is_not_a_query(self):
        """Finding 11: a form-encoded body's token= was read as the manage token."""
        created = server.post("/api/v1/bookings",
                              booking_body(utc_instant(future_date(5, 0), "12:00")))
        self.assertEqual(created.status, 201, created)
        booking = created.json()["booking"]
        token = booking["manage_token"]
        r = server.post(f"/api/v1/bookings/{booking['id']}/cancel", body=f"token={token}",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 404, r)
        r = server.get(f"/api/v1/bookings/{booking['id']}?token={token.replace('-', '%2D')}")
        self.assertEqual((r.status, r.json()["booking"]["status"]), (200, "confirmed"))

    def test_head_has_the_length_and_no_body(self):
        with connect() as sock:
            sock.sendall(b"HEAD /widget/digits.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertIn(b"content-length: 10", head.lower())
        self.assertEqual(body, b"")

    def test_byte_ranges(self):
        r = server.get("/widget/digits.txt", headers={"Range": "bytes=2-4"})
        self.assertEqual((r.status, r.body, r.header("Content-Range")), (206, b"234", "bytes 2-4/10"))
        r = server.get("/widget/digits.txt", headers={"Range": "bytes=-3"})
        self.assertEqual((r.status, r.body), (206, b"789"))
        r = server.get("/widget/digits.txt", headers={"Range": "bytes=20-"})
        self.assertEqual((r.status, r.header("Content-Range")), (416, "bytes */10"))
        r = server.get("/widget/digits.txt", headers={"Range": "bytes=0-1,4-5"})
        self.assertEqual((r.status, r.body), (200, b"0123456789"))  # several: the whole file


if __name__ == "__main__":
    unittest.main()
