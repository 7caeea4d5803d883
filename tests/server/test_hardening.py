"""Findings of the outside attack (issue 13), one test each, against the real binary."""

import os
import socket
import tempfile
import time
import unittest

from harness import Server

server = None
web_root = None


def setUpModule():
    global server, web_root
    web_root = tempfile.mkdtemp(prefix="slotbook-web-root-")
    os.makedirs(os.path.join(web_root, "demo", "nested"))
    open(os.path.join(web_root, "empty.js"), "wb").close()
    with open(os.path.join(web_root, "demo", "index.html"), "w") as f:
        f.write("<!doctype html><title>demo</title>")
    server = Server(args=["--rate-limit", "0", "--web-root", web_root, "--threads", "2"]).start()


def tearDownModule():
    server.stop()


def raw_exchange(port, request, timeout=5):
    """Sends `request` bytes and reads until the server closes or `timeout` passes. Returns
    the bytes read and whether the server closed the connection in time."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return data, False
            if not chunk:
                return data, True
            data += chunk
        return data, False


class StaticFilesNeverPinAWorker(unittest.TestCase):
    """Finding 1: a directory or an empty file sent 200 headers and then spun forever."""

    def test_a_directory_is_not_found(self):
        for path in ("/widget/demo", "/widget/demo/nested", "/demo/nested"):
            with self.subTest(path=path):
                data, closed = raw_exchange(
                    server.port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                self.assertTrue(closed, f"{path}: the answer never ended: {data[:200]!r}")
                self.assertTrue(data.startswith(b"HTTP/1.1 404"), data[:200])

    def test_an_empty_file_is_a_complete_empty_answer(self):
        data, closed = raw_exchange(
            server.port, b"GET /widget/empty.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(closed, f"the answer never ended: {data[:200]!r}")
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertIn(b"content-length: 0", head.lower())
        self.assertEqual(body, b"")

    def test_more_such_requests_than_workers_leave_the_server_answering(self):
        # With two worker threads, two pinned workers would stop the server.
        for _ in range(4):
            raw_exchange(server.port, b"GET /widget/demo HTTP/1.1\r\nHost: x\r\n\r\n", timeout=0.5)
            raw_exchange(server.port, b"GET /widget/empty.js HTTP/1.1\r\nHost: x\r\n\r\n", timeout=0.5)
        r = server.request("GET", "/healthz", timeout=5)
        self.assertEqual(r.status, 200)


if __name__ == "__main__":
    unittest.main()
