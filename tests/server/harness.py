"""Starts the real booking-server on an ephemeral loopback port with a fresh database and
talks HTTP to it. Standard library only (plus psql for PostgreSQL). Every wait has a
timeout so nothing hangs.

The storage backend is SLOTBOOK_TEST_BACKEND: `sqlite` (default: a fresh file per
database) or `postgres` (a fresh database per call of fresh_db() in one throwaway cluster
per test process, pg_cluster.py). Tests that look into the database use db_rows(), which
speaks to either."""

import http.client
import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pg_cluster

API_KEY = "test-key-0123456789"
ZONE = ZoneInfo("America/New_York")  # the fixture clinic's zone
# Every server runs with its clock started at this instant (libfaketime), so no test
# depends on the day it runs: a Monday, 09:00 in New York, with the March DST change
# inside the 90-day booking horizon.
FAKE_START = datetime(2027, 1, 11, 14, 0, 0, tzinfo=timezone.utc)
FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "test-clinic.json")
BACKEND = os.environ.get("SLOTBOOK_TEST_BACKEND", "sqlite") or "sqlite"
if BACKEND not in ("sqlite", "postgres"):
    sys.exit(f"SLOTBOOK_TEST_BACKEND must be sqlite or postgres, not {BACKEND!r}")
POSTGRES = BACKEND == "postgres"


def binary():
    path = os.environ.get("BOOKING_SERVER")
    if not path or not os.path.exists(path):
        sys.exit("set BOOKING_SERVER to the booking-server binary")
    return path


# ---- databases ---------------------------------------------------------------------------

def fresh_db(backend=None):
    """A new, empty database for `--db`: a file path in a new temp dir (sqlite), or the
    URI of a new database in this process's PostgreSQL cluster (postgres), started on
    first need. `backend` defaults to SLOTBOOK_TEST_BACKEND."""
    if (backend or BACKEND) == "postgres":
        return pg_cluster.shared_cluster().create_database()
    return os.path.join(tempfile.mkdtemp(prefix="slotbook-db-"), "bookings.db")


def is_postgres(db):
    return pg_cluster.is_uri(db)


def db_rows(db, sql, params=()):
    """The rows (list of tuples) of one query against `db`, a SQLite file or a PostgreSQL
    URI. `?` placeholders; keep the SQL to what both accept (times are unix seconds in
    both: compare with integers computed here, unix_seconds())."""
    if is_postgres(db):
        return pg_cluster.query(db, sql, params)
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def db_bytes(db):
    """What the database keeps at rest, as bytes: the SQLite file and its WAL, or a
    plain-SQL pg_dump of the PostgreSQL database."""
    if is_postgres(db):
        dump = subprocess.run([os.path.join(pg_cluster.PGBIN, "pg_dump"), "--no-owner", "-d", db],
                              capture_output=True, timeout=60, env=pg_cluster.clean_env(), cwd="/")
        if dump.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {dump.stderr.decode(errors='replace')}")
        return dump.stdout
    data = b""
    for path in (db, db + "-wal"):
        if os.path.exists(path):
            with open(path, "rb") as f:
                data += f.read()
    return data


def pg_log_tail(db, lines=40):
    """The tail of this process's PostgreSQL log when `db` lives in its cluster, else ""."""
    cluster = pg_cluster.current_cluster()
    if not is_postgres(db) or cluster is None:
        return ""
    return "\n" + cluster.log_tail(lines)


def unix_seconds(instant):
    """Unix seconds of an RFC 3339 UTC instant such as 2027-01-12T15:00:00Z."""
    return int(datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=timezone.utc).timestamp())


def snapshot_busy(snapshot):
    """The widget snapshot's busy time as the contract's `busy` list
    ({practitioner_id, start, end}), read from its compact `busy_runs` (docs/api.md):
    from each practitioner's `from`, pairs of gap (after the previous run) and length in
    seconds."""
    busy = list(snapshot.get("busy", []))
    for entry in snapshot.get("busy_runs", []):
        at = datetime.strptime(entry["from"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        runs = entry["runs"]
        for gap, length in zip(runs[::2], runs[1::2]):
            start = at + timedelta(seconds=gap)
            at = start + timedelta(seconds=length)
            busy.append({"practitioner_id": entry["practitioner_id"],
                         "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "end": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return busy


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """One booking-server process. `db` defaults to fresh_db(); pass another server's
    `db` to open the same database again (restarts, several processes on one database)."""

    def __init__(self, db=None, clinics=(FIXTURE,), api_key=API_KEY, args=(),
                 fake_start=FAKE_START, env=None, movable_clock=False):
        self.dir = tempfile.mkdtemp(prefix="slotbook-server-test-")
        self.db = db or fresh_db()
        self.clinics = list(clinics)
        self.api_key = api_key
        self.args = list(args)
        self.fake_start = fake_start  # where the server's clock starts (then it runs)
        self.env = dict(env or {})  # added to the environment (credentials)
        # advance_clock() needs libfaketime to re-read its time file on every call: slower,
        # so only for the tests that move time.
        self.movable_clock = movable_clock
        self.clock_file = os.path.join(self.dir, "faketime")
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.dir, "server.log")

    def start(self, timeout=15):
        """Starts the process and waits for its `listening on` line."""
        self.spawn()
        return self.wait_listening(timeout)

    def spawn(self):
        """Starts the process without waiting (wait_listening() does), so several servers
        can start at the same moment."""
        cmd = [binary(), "--db", self.db, "--port", "0", "--host", "127.0.0.1"] + self.args
        for clinic in self.clinics:
            cmd += ["--clinic", clinic]
        env = dict(os.environ)
        if not os.path.exists(FAKETIME_LIBRARY):
            sys.exit(f"{FAKETIME_LIBRARY} is missing: install the Debian package faketime")
        # Preloaded rather than through the faketime wrapper, so the process is the server
        # itself (tests kill -9 it). "@" starts the clock there and lets it run.
        env["LD_PRELOAD"] = FAKETIME_LIBRARY
        if self.movable_clock:
            self._set_clock(self.fake_start)
            env["FAKETIME_TIMESTAMP_FILE"] = self.clock_file
            env["FAKETIME_NO_CACHE"] = "1"
        else:
            env["FAKETIME"] = "@" + self.fake_start.strftime("%Y-%m-%d %H:%M:%S")
        env["TZ"] = "UTC"
        env.pop("CALENDAR_API_KEY", None)
        if self.api_key is not None:
            env["CALENDAR_API_KEY"] = self.api_key
        env.update(self.env)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, env=env)
        return self

    def wait_listening(self, timeout=15):
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                break
            if self.proc.poll() is not None:
                break
        match = re.match(rb"listening on http://127\.0\.0\.1:(\d+)", line)
        if not match:
            self.kill()
            raise RuntimeError(f"server did not start: {line!r}\n{self.read_log()}"
                               f"{pg_log_tail(self.db)}")
        self.port = int(match.group(1))
        return self

    def _set_clock(self, instant):
        # "@T" in the file: the clock reads T from the moment the process sees it, then runs.
        with open(self.clock_file + ".new", "w") as f:
            f.write("@" + instant.strftime("%Y-%m-%d %H:%M:%S"))
        os.replace(self.clock_file + ".new", self.clock_file)
        self._clock_set = (instant, time.monotonic())

    def clock_now(self):
        """The movable clock's current instant (to the second or so)."""
        instant, at = self._clock_set
        return instant + timedelta(seconds=time.monotonic() - at)

    def advance_clock(self, seconds):
        """Moves a movable_clock server's clock `seconds` ahead."""
        assert self.movable_clock, "start the server with movable_clock=True"
        self._set_clock(self.clock_now() + timedelta(seconds=seconds))

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self, timeout=15):
        """SIGTERM; returns the exit status."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
                raise RuntimeError("server ignored SIGTERM")
        self._close()
        return self.proc.returncode if self.proc else None

    def _close(self):
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "log", None):
            self.log.close()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._close()

    def request(self, method, path, body=None, headers=None, timeout=20):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            payload = body
            hdrs = dict(headers or {})
            if body is not None and not isinstance(body, (bytes, str)):
                payload = json.dumps(body)
                hdrs.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=payload, headers=hdrs)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body=None, headers=None):
        return self.request("POST", path, body=body, headers=headers)

    def staff(self, method, path, body=None, headers=None):
        hdrs = {"X-API-Key": API_KEY}
        hdrs.update(headers or {})
        return self.request(method, path, body=body, headers=hdrs)


class SharedServer:
    """One server for a whole test module, started before its first test and stopped
    after its last. In a module:

        server, setUpModule, tearDownModule = shared_server(args=["--rate-limit", "0"])

    `args` may be a function returning the list, called at start (to prepare files first).
    Until started, using the server is an error."""

    def __init__(self, args=(), **server_kwargs):
        self._args = args
        self._kwargs = server_kwargs
        self._server = None

    def start(self):
        args = self._args() if callable(self._args) else self._args
        self._server = Server(args=list(args), **self._kwargs).start()

    def stop(self):
        """SIGTERM; returns the server's exit status."""
        code = self._server.stop() if self._server else None
        self._server = None
        return code

    def __getattr__(self, name):
        if self._server is None:
            raise RuntimeError("the module's server is not running")
        return getattr(self._server, name)


def shared_server(args=(), **server_kwargs):
    shared = SharedServer(args, **server_kwargs)
    return shared, shared.start, shared.stop


# ---- dates relative to the servers' clock ----------------------------------------------

def wait_until(predicate, timeout=20, what="a condition"):
    """The first truthy value of `predicate()`, polled every 50 ms; AssertionError naming
    `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def server_now():
    """The servers' current instant: FAKE_START plus the time since this module loaded
    (tests take minutes, so within a day of FAKE_START)."""
    return FAKE_START + timedelta(seconds=time.monotonic() - _LOADED)


_LOADED = time.monotonic()


def today_local():
    return server_now().astimezone(ZONE).date()


def future_date(days_ahead, weekday=None):
    """A local date `days_ahead` days from today; with `weekday` (0 = Monday) the first
    such date on that weekday."""
    d = today_local() + timedelta(days=days_ahead)
    while weekday is not None and d.weekday() != weekday:
        d += timedelta(days=1)
    return d


def utc_instant(day, hh_mm):
    """The RFC 3339 UTC instant of local wall time `hh_mm` on `day` in the clinic zone."""
    h, m = map(int, hh_mm.split(":"))
    local = datetime(day.year, day.month, day.day, h, m, tzinfo=ZONE)
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def booking_body(start, practitioner="dr-a", type_="consultation", name="Pat Patient",
                 email="pat@example.com", clinic="testclinic", **extra):
    body = {"clinic_id": clinic, "appointment_type": type_, "practitioner_id": practitioner,
            "start": start, "patient": {"name": name, "email": email, "phone": "+1 555 0100"},
            "notes": "test"}
    body.update(extra)
    return body
