"""Receivers for the notification benchmark (bench/server/notifications.sh): an SMTP server
(aiosmtpd, Debian python3-aiosmtpd) and an HTTP server answering every POST (Twilio's
Messages API and webhooks) with 201, keeping connections alive. Counts what arrives;
GET /count on the HTTP port answers {"mail": N, "http": N}. Run with /usr/bin/python3:

    sinks.py SMTP_PORT HTTP_PORT
"""

import http.server
import json
import sys
import threading
import time

from aiosmtpd.controller import Controller

counts = {"mail": 0, "http": 0}
lock = threading.Lock()


class Mail:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            counts["mail"] += 1
        return "250 OK"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Twilio and most receivers do
    # Headers and body go out as two writes: with Nagle's algorithm the second waits for
    # the client's delayed ACK (40 ms), which would measure the sink, not the server.
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            counts["http"] += 1
        self.reply(201, b'{"sid": "SMbench"}')

    def do_GET(self):
        with lock:
            body = json.dumps(counts).encode()
        self.reply(200, body)

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    smtp_port, http_port = int(sys.argv[1]), int(sys.argv[2])
    controller = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("sinks ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
