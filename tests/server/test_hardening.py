"""Findings of the outside attack (issue 13), one test each, against the real binary. The
HTTP layer's findings (2-4: chunked bodies, slow clients, stop signals) are in
test_http_layer.py."""

import os
import socket
import tempfile
import time
import unittest
from datetime import timedelta

from harness import FAKE_START, Server, future_date, shared_server

web_root = tempfile.mkdtemp(prefix="slotbook-web-root-")


def server_args():
    """A web root with a directory, an empty file and symlinks in and out of it."""
    os.makedirs(os.path.join(web_root, "demo", "nested"))
    open(os.path.join(web_root, "empty.js"), "wb").close()
    with open(os.path.join(web_root, "demo", "index.html"), "w") as f:
        f.write("<!doctype html><title>demo</title>")
    outside = tempfile.mkdtemp(prefix="slotbook-outside-")
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("not for the web")
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(web_root, "leak.txt"))
    os.symlink(outside, os.path.join(web_root, "elsewhere"))
    with open(os.path.join(web_root, "inside.txt"), "w") as f:
        f.write("first")
    os.symlink(os.path.join(web_root, "inside.txt"), os.path.join(web_root, "alias.txt"))
    return ["--rate-limit", "0", "--web-root", web_root, "--threads", "2"]


server, setUpModule, tearDownModule = shared_server(args=server_args)


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


def staff_create(day, hh_mm, **extra):
    body = {"patient_name": "Pat", "patient_phone": "+1 555 0100", "date": day.isoformat(),
            "time": hh_mm, "appointment_type": "consultation", "practitioner_id": "dr-a"}
    body.update(extra)
    r = server.staff("POST", "/api/calendar/appointments", body)
    assert r.status == 201, r
    return r.json()["appointment_id"]


class StaticFilesStayInTheWebRoot(unittest.TestCase):
    """Finding 11: symlinks in the web root were followed outside it."""

    def test_a_symlink_out_of_the_root_is_not_found(self):
        for path in ("/widget/leak.txt", "/widget/elsewhere/secret.txt"):
            with self.subTest(path=path):
                r = server.get(path)
                self.assertEqual(r.status, 404, r)
                self.assertNotIn(b"not for the web", r.body)

    def test_a_symlink_inside_the_root_is_served(self):
        self.assertEqual(server.get("/widget/alias.txt").status, 200)


class StaticFilesAreCachedUntilTheyChange(unittest.TestCase):
    def test_an_edited_file_is_served_fresh(self):
        path = os.path.join(web_root, "changing.txt")
        with open(path, "w") as f:
            f.write("version one")
        first = server.get("/widget/changing.txt")
        self.assertEqual(first.body, b"version one")
        self.assertEqual(server.get("/widget/changing.txt").header("ETag"), first.header("ETag"))
        with open(path, "w") as f:
            f.write("version two, longer")
        second = server.get("/widget/changing.txt")
        self.assertEqual(second.body, b"version two, longer")
        self.assertNotEqual(second.header("ETag"), first.header("ETag"))
        os.remove(path)
        self.assertEqual(server.get("/widget/changing.txt").status, 404)


class StaffEditsAreAllOrNothing(unittest.TestCase):
    """Finding 5: a PATCH whose status change was refused still committed the move."""

    def test_a_refused_status_change_keeps_the_appointment_where_it_was(self):
        day = future_date(9)
        aid = staff_create(day, "09:00")
        r = server.staff("PATCH", f"/api/calendar/appointments/{aid}",
                         {"time": "10:00", "status": "pending"})
        self.assertEqual(r.status, 400, r)
        appointment = server.staff("GET", f"/api/calendar/appointments/{aid}").json()["appointment"]
        self.assertEqual((appointment["time"], appointment["sequence"], appointment["status"]),
                         ("09:00", 0, "confirmed"))
        # 10:00 was never taken.
        staff_create(day, "10:00", practitioner_id="dr-a")

    def test_an_unknown_status_is_a_validation_error_and_changes_nothing(self):
        day = future_date(9)
        aid = staff_create(day, "11:00")
        r = server.staff("PATCH", f"/api/calendar/appointments/{aid}",
                         {"time": "12:00", "status": "bogus"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["code"], "validation_failed")
        self.assertIn("status", r.json()["fields"])
        appointment = server.staff("GET", f"/api/calendar/appointments/{aid}").json()["appointment"]
        self.assertEqual((appointment["time"], appointment["sequence"]), ("11:00", 0))


class OnlyAnAppointmentThatHasStartedCanBeCompleted(unittest.TestCase):
    """Finding 11: staff could mark a future appointment completed. The same database is
    opened by a second server whose clock starts two days later."""

    def test_completed_and_no_show_wait_for_the_start(self):
        first = Server(args=["--rate-limit", "0"]).start()
        try:
            day = future_date(1).isoformat()
            ids = []
            for hh_mm in ("10:00", "11:00", "12:00"):
                r = first.staff("POST", "/api/calendar/appointments",
                                {"patient_name": "Pat", "date": day, "time": hh_mm,
                                 "appointment_type": "consultation", "practitioner_id": "dr-a"})
                self.assertEqual(r.status, 201, r)
                ids.append(r.json()["appointment_id"])
            for target in ("completed", "no_show"):
                r = first.staff("PATCH", f"/api/calendar/appointments/{ids[0]}/status",
                                {"status": target})
                self.assertEqual((r.status, r.json()["code"]), (400, "invalid_state"), r)
        finally:
            first.stop()
        later = Server(db=first.db, args=["--rate-limit", "0"],
                       fake_start=FAKE_START + timedelta(days=2)).start()
        try:
            done, missed, kept = ids
            r = later.staff("PATCH", f"/api/calendar/appointments/{done}/status",
                            {"status": "completed"})
            self.assertEqual((r.status, r.json()["appointment"]["status"]), (200, "completed"), r)
            r = later.staff("PATCH", f"/api/calendar/appointments/{missed}/status",
                            {"status": "no_show"})
            self.assertEqual((r.status, r.json()["appointment"]["status"]), (200, "no_show"), r)
            for target in ("cancelled", "confirmed", "no_show"):
                r = later.staff("PATCH", f"/api/calendar/appointments/{done}/status",
                                {"status": target})
                self.assertEqual(r.status, 400, f"completed is final ({target})")
            self.assertEqual(later.staff("DELETE", f"/api/calendar/appointments/{done}").status, 400)
            r = later.staff("GET", f"/api/calendar/appointments/{kept}")
            self.assertEqual(r.json()["appointment"]["status"], "confirmed")
        finally:
            later.stop()


def clinic_config(clinic_id, practitioners=("hz-a",), types=("hz-visit",)):
    week = {day: [{"start": "09:00", "end": "17:00"}]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "sunday")}
    return {"clinic": {"id": clinic_id, "name": "Hardening", "timezone": "America/New_York"},
            "appointment_types": [{"id": t, "name": t, "duration_minutes": 30} for t in types],
            "practitioners": [{"id": p, "name": p, "appointment_types": list(types),
                               "weekly_hours": week} for p in practitioners]}


class ClinicConfigurationRefusesHarmfulData(unittest.TestCase):
    """Finding 10: ids that break URLs, stolen practitioner ids, orphaned bookings. Its own
    server: the clinics it adds would make the module server's clinic ambiguous."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--rate-limit", "0"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def put_clinic(self, config, query=""):
        return self.server.staff("PUT", "/api/calendar/clinic" + query, config)

    def assertRefused(self, r, code, *words):
        self.assertEqual(r.status, 422, r)
        body = r.json()
        self.assertEqual((body["success"], body["code"]), (False, code), r)
        for word in words:
            self.assertIn(word, body["details"])

    def test_clinic_ids_that_break_urls_or_mean_any(self):
        for bad in ("", "a/b", "../x", "any", "x" * 5000, "sp ace", "caf\u00e9"):
            with self.subTest(clinic_id=bad[:20]):
                self.assertRefused(self.put_clinic(clinic_config(bad, ("hz-ids",))),
                                   "invalid_clinic_config", "clinic.id")

    def test_practitioner_and_type_ids_are_checked_too(self):
        self.assertRefused(self.put_clinic(clinic_config("hz-p", ("any",))),
                           "invalid_clinic_config", "any")
        self.assertRefused(self.put_clinic(clinic_config("hz-p", ("dr/x",))),
                           "invalid_clinic_config", "practitioner id")
        self.assertRefused(self.put_clinic(clinic_config("hz-p", ("hz-p1",), ("a b",))),
                           "invalid_clinic_config", "appointment type id")

    def test_sizes_are_bounded(self):
        many = clinic_config("hz-big", tuple(f"hz-big-{i}" for i in range(101)))
        self.assertRefused(self.put_clinic(many), "invalid_clinic_config", "practitioners", "100")
        self.assertEqual(self.server.get("/api/v1/clinics/hz-big").status, 404)

    def test_a_new_clinic_cannot_take_another_clinics_practitioner(self):
        self.assertRefused(self.put_clinic(clinic_config("hz-thief", ("dr-a",))),
                           "practitioner_id_taken", "dr-a", "testclinic")
        self.assertEqual(self.server.get("/api/v1/clinics/hz-thief").status, 404)

    def test_removing_a_practitioner_with_upcoming_bookings(self):
        self.assertEqual(self.put_clinic(clinic_config("hz-orphans", ("hz-o1", "hz-o2"))).status, 200)
        day = future_date(12)
        booked = self.server.staff("POST", "/api/calendar/appointments",
                              {"clinic_id": "hz-orphans", "patient_name": "Pat",
                               "date": day.isoformat(), "time": "10:00",
                               "appointment_type": "hz-visit", "practitioner_id": "hz-o2"})
        self.assertEqual(booked.status, 201, booked)
        aid = booked.json()["appointment_id"]

        r = self.put_clinic(clinic_config("hz-orphans", ("hz-o1",)))
        self.assertRefused(r, "bookings_in_the_way", aid, "hz-o2", "force=true")
        # Nothing changed: the practitioner and the booking are both still there.
        r = self.server.staff("GET", "/api/calendar/clinic?clinic_id=hz-orphans")
        self.assertEqual(len(r.json()["clinic"]["practitioners"]), 2)
        # Dropping the type from the practitioner who has the booking is refused too.
        narrowed = clinic_config("hz-orphans", ("hz-o1", "hz-o2"), ("hz-visit", "hz-other"))
        narrowed["practitioners"][1]["appointment_types"] = ["hz-other"]
        self.assertRefused(self.put_clinic(narrowed), "bookings_in_the_way", "no longer offers")

        r = self.put_clinic(clinic_config("hz-orphans", ("hz-o1",)), "?force=true")
        self.assertEqual(r.status, 200, r)
        appointment = self.server.staff("GET", f"/api/calendar/appointments/{aid}?clinic_id=hz-orphans")
        self.assertEqual(appointment.status, 200, appointment)
        self.assertEqual(appointment.json()["appointment"]["status"], "cancelled")
        self.assertIn("configuration", appointment.json()["appointment"]["cancel_reason"])


def rss_megabytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class AvailabilityWorkIsCapped(unittest.TestCase):
    """Finding 6: 450 practitioners, a 1-minute type and 90 days of check-availability-range
    answered 118 MB, peaked at 1.8 GB and kept 1.5 GB."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=["--rate-limit", "0"], clinics=()).start()
        every_day = {day: [{"start": "00:00", "end": "24:00"}]
                     for day in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                 "saturday", "sunday")}
        config = {
            "clinic": {"id": "wide", "name": "Wide", "timezone": "UTC"},
            "rules": {"min_notice_minutes": 0},
            "appointment_types": [{"id": "minute", "duration_minutes": 1, "slot_step_minutes": 1}],
            "practitioners": [{"id": f"w{i:03d}", "appointment_types": ["minute"],
                               "weekly_hours": every_day} for i in range(100)]}
        r = cls.server.staff("PUT", "/api/calendar/clinic", config)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_huge_answer_is_a_clear_400_and_the_memory_goes_back(self):
        start = future_date(1)
        before = rss_megabytes(self.server.proc.pid)
        for _ in range(3):
            r = self.server.staff("POST", "/api/calendar/check-availability-range", {
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=90)).isoformat(),
                "appointment_type": "minute"})
            self.assertEqual((r.status, r.json()["code"]), (400, "too_many_slots"), r)
            self.assertIn("fewer days", r.json()["details"])
        after = rss_megabytes(self.server.proc.pid)
        self.assertLess(after - before, 100, f"RSS grew from {before:.0f} MB to {after:.0f} MB")

    def test_an_answer_within_the_cap_is_served(self):
        day = future_date(2).isoformat()
        r = self.server.staff("POST", "/api/calendar/check-availability", {
            "date": day, "appointment_type": "minute", "practitioner_id": "w001"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["available_slots"]), 1440)


class DuplicateJsonKeysAreRefused(unittest.TestCase):
    """Finding 11: a JSON object that names a key twice was read with the last value."""

    # "clinic_id" twice: a reader keeping the first value and one keeping the last would
    # book at different clinics.
    TWICE = (b'{"clinic_id":"elsewhere","clinic_id":"testclinic","appointment_type":"consultation",'
             b'"practitioner_id":"dr-a","start":"2027-02-01T15:00:00Z",'
             b'"patient":{"name":"Pat","email":"pat@example.com"}}')

    def test_the_public_booking_answers_invalid_json(self):
        r = server.post("/api/v1/bookings", self.TWICE, {"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["code"], "invalid_json")

    def test_a_nested_duplicate_is_refused_too(self):
        body = (b'{"clinic_id":"testclinic","appointment_type":"consultation","practitioner_id":"dr-a",'
                b'"start":"2027-02-01T15:00:00Z","patient":{"name":"Pat","name":"Other"}}')
        r = server.post("/api/v1/bookings", body, {"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["code"], "invalid_json")

    def test_the_same_key_in_sibling_objects_is_fine(self):
        r = server.staff("POST", "/api/calendar/appointments",
                         b'{"patient_name":"Pat","date":"%s","time":"09:30",'
                         b'"appointment_type":"consultation","practitioner_id":"dr-a",'
                         b'"x":{"a":1},"y":{"a":2}}' % future_date(10).isoformat().encode(),
                         {"Content-Type": "application/json"})
        self.assertEqual(r.status, 201, r)

    def test_the_staff_api_answers_in_its_own_shape(self):
        r = server.staff("POST", "/api/calendar/appointments",
                         b'{"patient_name":"Pat","patient_name":"Other"}',
                         {"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual((r.json()["success"], r.json()["code"]), (False, "invalid_json"))

    def test_the_partner_protocol_answers_its_validation_detail(self):
        r = server.staff("POST", "/api/calendar/external-booking",
                         b'{"agent_id":"dr-a","agent_id":"dr-b"}',
                         {"Content-Type": "application/json"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("detail", r.json())


class AcceptEncodingIsReadWithItsQualities(unittest.TestCase):
    """Finding 11: "br;q=0" (brotli not acceptable) still got brotli."""

    def encoding_for(self, accept):
        r = server.get("/api/v1/clinics/testclinic/snapshot", {"Accept-Encoding": accept})
        self.assertEqual(r.status, 200, r)
        return r.header("Content-Encoding") or "identity"

    def test_each_coding_as_the_client_weighs_it(self):
        cases = {
            "br;q=0": "identity",
            "br;q=0, gzip": "gzip",
            "gzip;q=0, br": "br",
            "gzip, br;q=0.5": "gzip",
            "gzip;q=0.5, br;q=0.8": "br",
            "BR": "br",
            "*": "br",
            "*;q=0": "identity",
            "br;q=0, *": "gzip",
            "identity": "identity",
            "": "identity",
        }
        for accept, expected in cases.items():
            with self.subTest(accept=accept):
                self.assertEqual(self.encoding_for(accept), expected)


class AnswersWithSecretsAreNeverCached(unittest.TestCase):
    """Finding 11: answers carrying a manage token or patient details lacked no-store."""

    def test_every_answer_with_a_token_or_patient_details_says_no_store(self):
        day = future_date(11)
        booked = server.post("/api/v1/bookings", {
            "clinic_id": "testclinic", "appointment_type": "consultation", "practitioner_id": "dr-a",
            "start": f"{day.isoformat()}T15:00:00Z",
            "patient": {"name": "Pat", "email": "pat@example.com"}},
            {"Idempotency-Key": "no-store-1"})
        self.assertEqual(booked.status, 201, booked)
        replay = server.post("/api/v1/bookings", {
            "clinic_id": "testclinic", "appointment_type": "consultation", "practitioner_id": "dr-a",
            "start": f"{day.isoformat()}T15:00:00Z",
            "patient": {"name": "Pat", "email": "pat@example.com"}},
            {"Idempotency-Key": "no-store-1"})
        b = booked.json()["booking"]
        bid, token = b["id"], b["manage_token"]
        answers = {
            "booking": booked, "idempotent replay": replay,
            "manage view": server.get(f"/api/v1/bookings/{bid}?token={token}"),
            "ics": server.get(f"/api/v1/bookings/{bid}.ics?token={token}"),
            "staff list": server.staff("GET", "/api/calendar/appointments"),
            "staff one": server.staff("GET", f"/api/calendar/appointments/{bid}"),
            "events": server.staff("GET", f"/api/calendar/events?start_date={day}&end_date={day}"),
            "cancel": server.post(f"/api/v1/bookings/{bid}/cancel?token={token}"),
        }
        for name, r in answers.items():
            with self.subTest(answer=name):
                self.assertLess(r.status, 300, r)
                self.assertEqual(r.header("Cache-Control"), "no-store")
        # The snapshot has no patient data and is revalidated by ETag.
        self.assertEqual(server.get("/api/v1/clinics/testclinic/snapshot").header("Cache-Control"),
                         "no-cache")


class WallTimesTheClocksSkipAreRefused(unittest.TestCase):
    """Finding 8: 2027-03-14 02:30 New York (a DST gap) was confirmed at 02:30 and stored
    at 03:00. Every route that takes a wall time refuses it, naming the time."""

    GAP = ("2027-03-14", "02:30")

    def assertNamesTheGap(self, text):
        self.assertIn("2027-03-14 02:30 does not occur in America/New_York", text)

    def test_the_partner_protocol(self):
        r = server.staff("POST", "/api/calendar/external-booking", {
            "agent_id": "dr-a", "participant_name": "Pat", "participant_phone": "+1 555 0100",
            "booking_date": self.GAP[0], "booking_time": self.GAP[1], "duration_minutes": 30})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["detail"][0]["loc"], ["body", "booking_time"])
        self.assertNamesTheGap(r.json()["detail"][0]["msg"])

    def test_the_staff_api_create_and_move(self):
        r = server.staff("POST", "/api/calendar/appointments", {
            "patient_name": "Pat", "date": self.GAP[0], "time": self.GAP[1],
            "appointment_type": "consultation", "practitioner_id": "dr-a"})
        self.assertEqual((r.status, r.json()["code"]), (400, "validation_failed"), r)
        self.assertNamesTheGap(r.json()["fields"]["time"])
        aid = staff_create(future_date(14), "10:00")
        r = server.staff("PATCH", f"/api/calendar/appointments/{aid}",
                         {"date": self.GAP[0], "time": self.GAP[1]})
        self.assertEqual((r.status, r.json()["code"]), (400, "validation_failed"), r)
        appointment = server.staff("GET", f"/api/calendar/appointments/{aid}").json()["appointment"]
        self.assertEqual((appointment["time"], appointment["sequence"]), ("10:00", 0))

    def test_the_calendly_routes(self):
        r = server.post("/api/calendly/book", {
            "clinic_id": "testclinic", "patient_name": "Pat", "appointment_type": "consultation",
            "date": self.GAP[0], "start_time": self.GAP[1]})
        self.assertEqual(r.status, 422, r)
        self.assertNamesTheGap(r.json()["detail"][0]["msg"])


class LogLinesCannotBeForged(unittest.TestCase):
    """Finding 9: the decoded request path was logged as is."""

    def test_control_characters_in_a_path_are_escaped(self):
        marker = "forged-line-marker"
        server.get(f"/widget/x%0a{marker}%1b[31m")
        deadline = time.monotonic() + 5
        log = ""
        while time.monotonic() < deadline and marker not in log:
            time.sleep(0.05)
            log = server.read_log()
        self.assertIn(marker, log)
        for line in log.splitlines():
            self.assertFalse(line.startswith(marker), "a request forged a log line")
        self.assertNotIn("\x1b", log)
        self.assertIn("x\\x0a" + marker + "\\x1b[31m", log)


if __name__ == "__main__":
    unittest.main()
