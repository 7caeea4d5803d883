"""Many booking servers on one PostgreSQL database (issue 9). Always PostgreSQL, whatever
SLOTBOOK_TEST_BACKEND says: one throwaway cluster for the module (pg_cluster.py), a fresh
database per test, every server on 127.0.0.1 on an ephemeral port.

- Race: 60 clients spread over three processes want one slot: one booking; with "any" and
  two practitioners, two bookings, one each.
- Idempotency: a key answered by one process is replayed by another, no second booking.
- Snapshot coherence: a booking (and its cancellation) through one process is in another
  process's snapshot, busy and ETag, within 1 s.
- kill -9 of one of three processes under load: every 201 is stored, the other two keep
  answering.
- The database restarts under load: meanwhile 503 storage_unavailable (never a 500, never
  a hang) and /healthz 503; afterwards the same processes book again, /healthz is 200, and
  no 201 is lost.
- The exclusion constraint bookings_never_overlap refuses an overlapping row written behind
  the service's back (SQLSTATE 23P01) and accepts a cancelled one.
- Migrations: `booking-server migrate` on a fresh database, then again (a no-op); four
  processes started at the same moment on a fresh database all come up, migrated once."""

import http.client
import itertools
import signal
import subprocess
import sys
import threading
import time
import unittest
from datetime import datetime, timedelta

import pg_cluster
from harness import (Server, binary, booking_body, db_rows, fresh_db, future_date,
                     snapshot_busy, unix_seconds, utc_instant)

ARGS = ["--rate-limit", "0", "--db-pool", "4"]
SNAPSHOT = "/api/v1/clinics/testclinic/snapshot"
CLIENT_TIMEOUT = 10  # seconds: an answer later than this counts as a hang


def report(line):
    print(f"\n    {line}", file=sys.stderr, end=" ... ", flush=True)


def later(instant, minutes):
    return (datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ") +
            timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Slots:
    """Distinct consultation slots that never overlap (hourly 08:00-17:00 for dr-a and
    dr-b, from two days ahead: 1,720), each handed out once; None when all are used."""

    def __init__(self):
        self.exhausted = False
        self._slots = ((day, practitioner, "%02d:00" % hour) for day in range(2, 88)
                       for practitioner in ("dr-a", "dr-b") for hour in range(8, 18))
        self._lock = threading.Lock()
        self._n = 0

    def next(self):
        with self._lock:
            slot = next(self._slots, None)
            self._n += 1
            n = self._n
        if slot is None:
            self.exhausted = True
            return None
        day, practitioner, hh_mm = slot
        return booking_body(utc_instant(future_date(day), hh_mm), practitioner=practitioner,
                            name=f"Load {n}", email=f"load{n}@example.com")


class Load:
    """Client threads booking distinct slots round-robin over `servers` until stop(), each
    at most 100 a second (so the slots last): records (server index, monotonic time sent,
    status or exception name, answer)."""

    def __init__(self, servers, workers, pause=0.01, pause_after_failure=0.05):
        self.servers = servers
        self.slots = Slots()
        self.records = []
        self.lock = threading.Lock()
        self.pause = pause
        self.pause_after_failure = pause_after_failure
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(w,)) for w in range(workers)]

    def start(self):
        for t in self._threads:
            t.start()
        return self

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=CLIENT_TIMEOUT + 20)
        alive = [t for t in self._threads if t.is_alive()]
        if alive:
            raise AssertionError(f"{len(alive)} client threads still waiting for an answer")

    def _client(self, worker):
        n = worker
        while not self._stop.is_set():
            body = self.slots.next()
            if body is None:
                return
            index = n % len(self.servers)
            n += 1
            sent = time.monotonic()
            try:
                r = self.servers[index].request("POST", "/api/v1/bookings", body,
                                                timeout=CLIENT_TIMEOUT)
                try:
                    answer = r.json()
                except ValueError:
                    answer = r.body
                outcome = r.status
            except (OSError, http.client.HTTPException) as e:  # refused, reset, timed out
                outcome, answer = type(e).__name__, None
            with self.lock:
                self.records.append((index, sent, outcome, answer))
            time.sleep(self.pause if outcome == 201 else self.pause_after_failure)

    def confirmed(self):
        with self.lock:
            return [a["booking"]["id"] for _, _, outcome, a in self.records if outcome == 201]


def healthz(server):
    try:
        return server.request("GET", "/healthz", timeout=5).status
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__


def wait_for_health(server, status, timeout):
    """Polls /healthz every 50 ms until it answers `status`; returns (whether it did
    within `timeout` s, the last few answers)."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        seen.append(healthz(server))
        if seen[-1] == status:
            return True, seen[-5:]
        if time.monotonic() >= deadline:
            return False, seen[-5:]
        time.sleep(0.05)


class PostgresTest(unittest.TestCase):
    def start_servers(self, count, db=None, args=ARGS):
        """`count` servers on one database (by default a fresh one), started together;
        stopped when the test ends."""
        db = db or fresh_db("postgres")
        servers = [Server(db=db, args=args) for _ in range(count)]
        self.addCleanup(self._stop_all, servers)
        for s in servers:
            s.spawn()
        for s in servers:
            s.wait_listening(timeout=30)
        return servers

    @staticmethod
    def _stop_all(servers):
        for s in servers:
            if s.proc is not None and s.proc.poll() is None:
                try:
                    s.stop()
                except RuntimeError:
                    s.kill()
            else:
                s.kill()

    def diagnostics(self, servers):
        """The servers' error lines and last lines, and the PostgreSQL log's last lines."""
        text = ""
        for i, s in enumerate(servers):
            try:
                with open(s.log_path, "rb") as f:
                    lines = f.read().decode(errors="replace").splitlines()
            except OSError:
                lines = []
            errors = [line for line in lines if " error " in line or " 500 " in line]
            text += (f"\n--- server {i} log: {len(errors)} error lines, the first ---\n"
                     + "\n".join(errors[:8])
                     + f"\n--- server {i} log, last lines ---\n" + "\n".join(lines[-8:]))
        cluster = pg_cluster.current_cluster()
        return text + ("\n" + cluster.log_tail(20) if cluster else "")

    def assertStored(self, db, ids, servers):
        stored = {row[0] for row in db_rows(db, "SELECT id FROM bookings")}
        missing = [b for b in ids if b not in stored]
        self.assertEqual(missing, [], f"{len(missing)} of {len(ids)} answered bookings lost"
                         + self.diagnostics(servers))


class RaceAcrossProcesses(PostgresTest):
    """test_concurrency's race, with the clients spread over three processes: the database
    alone keeps them apart."""

    CLIENTS = 60

    def race(self, servers, body_for):
        barrier = threading.Barrier(self.CLIENTS, timeout=30)
        results = [None] * self.CLIENTS

        def client(i):
            barrier.wait()
            try:
                r = servers[i % len(servers)].post("/api/v1/bookings", body_for(i))
                results[i] = (r.status, r.json())
            except Exception as e:  # recorded, fails the test below
                results[i] = (0, repr(e))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(self.CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        return results

    def rows_at(self, db, start):
        return sorted(db_rows(db, "SELECT practitioner_id FROM bookings WHERE start_utc = ?"
                                  " AND status <> 'cancelled'", (unix_seconds(start),)))

    def test_sixty_clients_on_three_processes(self):
        servers = self.start_servers(3)
        db = servers[0].db

        start = utc_instant(future_date(5), "10:00")
        results = self.race(servers, lambda i: booking_body(start, name=f"Client {i}",
                                                            email=f"c{i}@example.com"))
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses, [201] + [409] * (self.CLIENTS - 1), results)
        for status, body in results:
            if status == 409:
                self.assertEqual(body["error"]["reason"], "conflict", body)
        self.assertEqual(self.rows_at(db, start), [("dr-a",)])

        start = utc_instant(future_date(6), "10:00")
        results = self.race(servers, lambda i: booking_body(start, practitioner="any",
                                                            name=f"Any {i}",
                                                            email=f"a{i}@example.com"))
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses, [201, 201] + [409] * (self.CLIENTS - 2), results)
        for status, body in results:
            if status == 409:
                self.assertEqual(body["error"]["reason"], "conflict", body)
        assigned = sorted(b["booking"]["practitioner_id"] for s, b in results if s == 201)
        self.assertEqual(assigned, ["dr-a", "dr-b"])
        self.assertEqual(self.rows_at(db, start), [("dr-a",), ("dr-b",)])


class FewConnectionSlots(PostgresTest):
    CLIENTS = 60
    race = RaceAcrossProcesses.race
    rows_at = RaceAcrossProcesses.rows_at

    def test_a_database_short_of_connections_still_answers_every_client(self):
        # Three processes with the default pool (--threads 32, so up to 32 connections each)
        # on a database that admits 12 in all: a process that is refused a connection
        # keeps the ones it has, and the clients get 201 or 409, never a 5xx.
        # As a role of its own: limits do not bind superusers such as `postgres`.
        cluster = pg_cluster.shared_cluster()
        name = fresh_db("postgres").split("@/")[1].split("?")[0]  # postgresql://postgres@/NAME?...
        role = f"few_{name}"
        pg_cluster.run_psql(cluster.uri(), f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 12;\n"
                                           f"ALTER DATABASE {name} OWNER TO {role};")
        db = cluster.uri(name).replace("postgresql://postgres@", f"postgresql://{role}@")
        servers = self.start_servers(3, db=db, args=["--rate-limit", "0", "--threads", "32"])
        start = utc_instant(future_date(7), "10:00")
        results = self.race(servers, lambda i: booking_body(start, name=f"Client {i}",
                                                            email=f"c{i}@example.com"))
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses, [201] + [409] * (self.CLIENTS - 1),
                         f"{results}{self.diagnostics(servers)}")
        # Counted as the superuser: the servers may hold every slot the role has.
        self.assertEqual(self.rows_at(cluster.uri(name), start), [("dr-a",)])
        for server in servers:
            self.assertEqual(server.get("/healthz").status, 200)


class IdempotencyAcrossProcesses(PostgresTest):
    def test_a_key_answered_by_one_process_is_replayed_by_another(self):
        a, b = self.start_servers(2)
        start = utc_instant(future_date(9), "13:00")
        body = booking_body(start)
        first = a.post("/api/v1/bookings", body, {"Idempotency-Key": "across-1"})
        self.assertEqual(first.status, 201, first)
        again = b.post("/api/v1/bookings", body, {"Idempotency-Key": "across-1"})
        self.assertEqual((again.status, again.body), (first.status, first.body),
                         "the other process must replay the first answer")
        self.assertEqual(db_rows(a.db, "SELECT COUNT(*) FROM bookings WHERE start_utc = ?",
                                 (unix_seconds(start),)), [(1,)])
        other = b.post("/api/v1/bookings", booking_body(utc_instant(future_date(9), "14:00")),
                       {"Idempotency-Key": "across-1"})
        self.assertEqual((other.status, other.json()["error"]["code"]),
                         (422, "idempotency_key_reused"))
        # A refusal is replayed across processes too.
        key = {"Idempotency-Key": "across-2"}
        taken = b.post("/api/v1/bookings", booking_body(start, name="B"), key)
        self.assertEqual(taken.status, 409, taken)
        replay = a.post("/api/v1/bookings", booking_body(start, name="B"), key)
        self.assertEqual((replay.status, replay.body), (taken.status, taken.body))


class IdempotencyKeyRace(PostgresTest):
    def test_one_key_two_bodies_racing_on_two_processes_book_once(self):
        # The bodies name different practitioners, so only the key's own lock keeps the
        # two apart: the second must see the first's answer and refuse the reuse.
        a, b = self.start_servers(2)
        for n in range(8):
            start = utc_instant(future_date(12 + n), "15:00")
            key = {"Idempotency-Key": f"race-{n}"}
            bodies = [booking_body(start, practitioner="dr-a"),
                      booking_body(start, practitioner="dr-b")]
            barrier = threading.Barrier(2, timeout=30)
            answers = [None, None]

            def post(i, server):
                barrier.wait()
                answers[i] = server.post("/api/v1/bookings", bodies[i], key)

            threads = [threading.Thread(target=post, args=(i, s)) for i, s in enumerate((a, b))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            statuses = sorted(r.status for r in answers)
            self.assertEqual(statuses, [201, 422], answers)
            refused = next(r for r in answers if r.status == 422)
            self.assertEqual(refused.json()["error"]["code"], "idempotency_key_reused")
            self.assertEqual(db_rows(a.db, "SELECT COUNT(*) FROM bookings WHERE start_utc = ?",
                                     (unix_seconds(start),)), [(1,)])


class SnapshotCoherence(PostgresTest):
    """Process B caches its snapshot; a change through process A must reach it within 1 s."""

    LIMIT = 1.0  # seconds
    PATIENCE = 3.0  # keep polling past the limit, to say how late it was

    def poll(self, server, etag, seen):
        """Polls `server`'s snapshot every 50 ms until seen(busy) holds with an ETag other
        than `etag`; returns (seconds, new etag), seconds None if not within PATIENCE."""
        began = time.monotonic()
        while time.monotonic() - began < self.PATIENCE:
            r = server.get(SNAPSHOT, {"If-None-Match": etag})
            if r.status == 200 and r.header("ETag") != etag and seen(snapshot_busy(r.json())):
                return time.monotonic() - began, r.header("ETag")
            self.assertIn(r.status, (200, 304), r)
            time.sleep(0.05)
        return None, etag

    def check(self, latency, change):
        """Records the measured latency in the output; fails past LIMIT."""
        shown = (f"more than {self.PATIENCE:.0f} s" if latency is None
                 else f"{latency * 1000:.0f} ms")
        report(f"{change} through A in B's snapshot after {shown}")
        self.assertIsNotNone(latency, f"{change}: not in the other process's snapshot {shown}")
        self.assertLessEqual(latency, self.LIMIT, f"{change}: {shown}")

    def test_a_booking_through_a_reaches_bs_snapshot_within_a_second(self):
        a, b = self.start_servers(2)
        warm = b.get(SNAPSHOT)
        self.assertEqual(warm.status, 200, warm)
        etag = warm.header("ETag")
        self.assertEqual(b.get(SNAPSHOT, {"If-None-Match": etag}).status, 304)

        start = utc_instant(future_date(4), "11:00")
        interval = {"practitioner_id": "dr-a", "start": start, "end": later(start, 40)}
        self.assertNotIn(interval, snapshot_busy(warm.json()))
        booked = a.post("/api/v1/bookings", booking_body(start))
        self.assertEqual(booked.status, 201, booked)
        latency, etag = self.poll(b, etag, lambda busy: interval in busy)
        self.check(latency, "booking")

        b_ = booked.json()["booking"]
        cancelled = a.post(f"/api/v1/bookings/{b_['id']}/cancel?token={b_['manage_token']}", {})
        self.assertEqual(cancelled.status, 200, cancelled)
        latency, _ = self.poll(b, etag, lambda busy: interval not in busy)
        self.check(latency, "cancellation")


class KillNineOfOneProcess(PostgresTest):
    def test_the_others_keep_answering_and_no_201_is_lost(self):
        servers = self.start_servers(3)
        victim = 0
        load = Load(servers, workers=6).start()
        try:
            time.sleep(0.8)
            killed_at = time.monotonic()
            servers[victim].proc.send_signal(signal.SIGKILL)
            servers[victim].proc.wait(timeout=10)
            time.sleep(0.8)
        finally:
            load.stop()
        confirmed = load.confirmed()
        self.assertGreater(len(confirmed), 20, "the load should have booked something")
        self.assertTrue(any(i == victim and outcome == 201 and sent < killed_at
                            for i, sent, outcome, _ in load.records), "the victim booked nothing")
        survivors = [(i, outcome, answer) for i, sent, outcome, answer in load.records
                     if i != victim and sent >= killed_at]
        report(f"{len(confirmed)} bookings answered 201; {len(survivors)} requests to the "
               "other two processes after the kill")
        self.assertGreater(len(survivors), 5, "the survivors should have been asked after the kill"
                           + (" (the load ran out of slots)" if load.slots.exhausted else ""))
        failed = [r for r in survivors if r[1] != 201]
        self.assertEqual(failed, [], f"{len(failed)} of {len(survivors)} requests to the other "
                         "two processes failed after the kill" + self.diagnostics(servers))
        self.assertStored(servers[1].db, confirmed, servers)
        for s in servers[1:]:
            self.assertEqual(healthz(s), 200)


class DatabaseRestartUnderLoad(PostgresTest):
    OUTAGE = 1.5  # seconds the database stays down

    def test_503_while_down_then_the_same_processes_recover(self):
        servers = self.start_servers(2)
        cluster = pg_cluster.shared_cluster()
        load = Load(servers, workers=4).start()
        try:
            time.sleep(0.6)
            self.assertTrue(cluster.stop(), "pg_ctl stop failed\n" + cluster.log_tail())
            down_at = time.monotonic()
            try:
                for i, s in enumerate(servers):
                    ok, seen = wait_for_health(s, 503, timeout=5)
                    self.assertTrue(ok, f"server {i}: /healthz with the database down: {seen}")
                time.sleep(max(0.0, down_at + self.OUTAGE - time.monotonic()))
            finally:
                up_at = time.monotonic()
                cluster.start()
            restarted_at = time.monotonic()
            for i, s in enumerate(servers):
                ok, seen = wait_for_health(s, 200, timeout=15)
                self.assertTrue(ok, f"server {i}: /healthz after the restart: {seen}"
                                + self.diagnostics(servers))
            recovered_at = time.monotonic()
            report(f"both processes healthy {recovered_at - restarted_at:.2f} s after the restart")
            time.sleep(0.8)
        finally:
            load.stop()
            if not cluster.running:
                cluster.start()

        records = load.records
        report(f"{sum(1 for r in records if r[2] == 201)} answered 201, "
               f"{sum(1 for r in records if r[2] == 503)} answered 503")
        def unavailable(answer):
            return (isinstance(answer, dict)
                    and answer.get("error", {}).get("code") == "storage_unavailable")

        wrong = [(i, outcome, answer) for i, _, outcome, answer in records
                 if not (outcome == 201 or outcome == 503 and unavailable(answer))]
        self.assertEqual(wrong[:10], [], f"{len(wrong)} answers neither 201 nor 503 "
                         "storage_unavailable" + self.diagnostics(servers))
        during = [outcome for _, sent, outcome, _ in records if down_at <= sent <= up_at - 0.2]
        self.assertTrue(during and all(o == 503 for o in during),
                        f"requests while the database was down: {during[:20]}")
        for i in range(len(servers)):
            after = [outcome for index, sent, outcome, _ in records
                     if index == i and sent >= recovered_at]
            self.assertTrue(after and all(o == 201 for o in after),
                            f"server {i} after recovering: {after[:20]}"
                            + (" (the load ran out of slots)" if load.slots.exhausted else ""))
            r = servers[i].post("/api/v1/bookings",
                                booking_body(utc_instant(future_date(89), "%02d:00" % (9 + i))))
            self.assertEqual(r.status, 201, r)
        self.assertStored(servers[0].db, load.confirmed(), servers)


class ExclusionConstraint(PostgresTest):
    """bookings_never_overlap holds even for a writer that bypasses the service."""

    copies = itertools.count(1)

    def insert_copy(self, db, booking_id, shift_seconds, **columns):
        """Inserts a copy of the booking's row with a new id, confirmation number and token
        hash, moved by `shift_seconds` and with `columns` changed; returns psql's
        CompletedProcess. Moving shifts every BIGINT column that holds an instant inside
        the occupancy (start_utc, end_utc and whatever the occupancy is computed from, not
        created_at), and the occupancy itself unless it is a generated column."""
        described = db_rows(db, "SELECT column_name, data_type, is_generated"
                                " FROM information_schema.columns"
                                " WHERE table_schema = current_schema() AND table_name = 'bookings'"
                                " ORDER BY ordinal_position")
        stored = [name for name, _, generated in described if generated == "NEVER"]
        bigints = [name for name, kind, generated in described
                   if kind == "bigint" and generated == "NEVER"]
        (row,) = db_rows(db, f"SELECT lower(occupancy), upper(occupancy), {', '.join(bigints)}"
                             " FROM bookings WHERE id = ?", (booking_id,))
        low, high = row[:2]
        moving = [name for name, value in zip(bigints, row[2:])
                  if value is not None and low <= value <= high]
        self.assertLessEqual({"start_utc", "end_utc"}, set(moving), moving)
        n = next(self.copies)
        sets = [f"id = id || '-copy{n}'", f"confirmation_number = 'CP-COPY-{n}'",
                "manage_token_hash = md5(random()::text)"]
        sets += [f"{name} = {name} + {shift_seconds}" for name in moving]
        if "occupancy" in stored:
            sets.append(f"occupancy = int8range(lower(occupancy) + {shift_seconds},"
                        f" upper(occupancy) + {shift_seconds})")
        sets += [f"{name} = {pg_cluster.quote(value)}" for name, value in columns.items()]
        listed = ", ".join(stored)
        sql = (f"CREATE TEMP TABLE behind_the_back AS SELECT {listed} FROM bookings"
               f" WHERE id = {pg_cluster.quote(booking_id)};\n"
               f"UPDATE behind_the_back SET {', '.join(sets)};\n"
               f"INSERT INTO bookings ({listed}) SELECT {listed} FROM behind_the_back;\n")
        return pg_cluster.run_psql(db, sql, check=False, verbose_errors=True)

    def test_an_overlapping_row_behind_the_services_back_is_refused(self):
        (server,) = self.start_servers(1)
        db = server.db
        start = utc_instant(future_date(5), "10:00")
        r = server.post("/api/v1/bookings", booking_body(start))
        self.assertEqual(r.status, 201, r)
        bid = r.json()["booking"]["id"]

        (definition,) = db_rows(db, "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint"
                                    " WHERE conname = 'bookings_never_overlap'")
        self.assertEqual(definition[0], "x", definition)  # an exclusion constraint
        for part in ("gist", "clinic_id WITH =", "practitioner_id WITH =", "occupancy WITH &&",
                     "cancelled"):
            self.assertIn(part, definition[1])
        # The occupancy is [start - buffer before, end + buffer after): 10 minutes after.
        self.assertEqual(db_rows(db, "SELECT lower(occupancy), upper(occupancy),"
                                     " lower_inc(occupancy), upper_inc(occupancy)"
                                     " FROM bookings WHERE id = ?", (bid,)),
                         [(unix_seconds(start), unix_seconds(start) + 40 * 60, True, False)])

        for shift in (0, 15 * 60, -25 * 60):  # the same time; starting 15 min later; earlier
            overlapping = self.insert_copy(db, bid, shift)
            self.assertNotEqual(overlapping.returncode, 0, f"overlapping row accepted ({shift} s)")
            self.assertIn("23P01", overlapping.stderr, "exclusion_violation")
            self.assertIn("bookings_never_overlap", overlapping.stderr)
        # Touching is not overlapping: the copy starting where the occupancy ends is fine.
        touching = self.insert_copy(db, bid, 40 * 60)
        self.assertEqual(touching.returncode, 0, touching.stderr)
        cancelled = self.insert_copy(db, bid, 15 * 60, status="cancelled")
        self.assertEqual(cancelled.returncode, 0, cancelled.stderr)
        other_practitioner = self.insert_copy(db, bid, 15 * 60, practitioner_id="dr-b")
        self.assertEqual(other_practitioner.returncode, 0, other_practitioner.stderr)
        self.assertEqual(sorted(db_rows(db, "SELECT practitioner_id, status, start_utc - ?"
                                            " FROM bookings", (unix_seconds(start),))),
                         [("dr-a", "cancelled", 900), ("dr-a", "confirmed", 0),
                          ("dr-a", "confirmed", 2400), ("dr-b", "confirmed", 900)])


class Migrations(PostgresTest):
    TABLES = {"schema_version", "clinics", "bookings", "idempotent_answers", "outbox"}

    def migrate(self, db):
        done = subprocess.run([binary(), "migrate", "--db", db], capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        return done.stdout + done.stderr

    def schema(self, db):
        versions = db_rows(db, "SELECT version FROM schema_version")
        tables = {row[0] for row in db_rows(
            db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
        constraints = db_rows(db, "SELECT COUNT(*) FROM pg_constraint"
                                  " WHERE conname = 'bookings_never_overlap'")
        return versions, tables, constraints

    def test_migrate_command_then_again(self):
        db = fresh_db("postgres")
        said = self.migrate(db)
        versions, tables, constraints = self.schema(db)
        self.assertEqual(len(versions), 1, versions)
        version = versions[0][0]
        self.assertIsInstance(version, int)
        self.assertGreater(version, 0)
        self.assertRegex(said, r"\b%d\b" % version, "migrate names the schema version")
        self.assertLessEqual(self.TABLES, tables)
        self.assertEqual(constraints, [(1,)])

        said = self.migrate(db)
        self.assertRegex(said, r"\b%d\b" % version)
        self.assertEqual(self.schema(db), (versions, tables, constraints),
                         "a second run changes nothing")

    def test_four_processes_starting_together_migrate_once(self):
        reference = fresh_db("postgres")
        self.migrate(reference)
        expected = self.schema(reference)

        servers = self.start_servers(4)
        db = servers[0].db
        self.assertEqual(self.schema(db), expected)
        self.assertEqual(db_rows(db, "SELECT id, version FROM clinics"), [("testclinic", 1)])
        for i, s in enumerate(servers):
            self.assertEqual(healthz(s), 200)
            start = utc_instant(future_date(3), "%02d:00" % (9 + i))
            r = s.post("/api/v1/bookings", booking_body(start))
            self.assertEqual(r.status, 201, r)


if __name__ == "__main__":
    unittest.main(verbosity=2)
