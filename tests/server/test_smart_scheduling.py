"""SMART Scheduling Links (docs/smart-scheduling-links.md), on both storage backends: the
bulk publication manifests and each publishing clinic's Location, Schedule and Slot NDJSON
files, read the way an aggregator reads them. Every line is a resource with the fields the
specification requires, ids follow its character rules, references resolve (Slot ->
Schedule -> Location), free Slots are exactly the engine's listing (the staff availability
API), a booking turns its Slot busy in the next publication, validators give 304, and a
clinic that does not publish is absent. Deep links carry a handle of the slot, and a
booking made through one keeps the referrer's `source` and `booking-referral`."""

import base64
import json
import os
import re
import tempfile
import time
import unittest
from datetime import datetime, timedelta, timezone

from harness import (FIXTURE, ZONE, Server, booking_body, future_date, utc_instant,
                     wait_until)

BOOKING_URL = "https://clinic.example/book?lang=en"
# Both readings of an id: STU 1's text (letters, digits, "_", ".") and FHIR's id type
# (letters, digits, "-", "."), at most 64 characters.
STU1_ID = re.compile(r"^[A-Za-z0-9_.]{1,64}$")
FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# The booking-deep-link extension: the HL7 implementation guide's URL (STU 1), and the SMART
# registry's that the earlier specification used; a free Slot carries both.
DEEP_LINKS = ["http://hl7.org/fhir/uv/smart-scheduling-links/StructureDefinition/booking-deep-link",
              "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link"]
PUBLIC_URL = "https://booking.clinic.example"


def publishing_config(per_practitioner=False):
    with open(FIXTURE) as f:
        config = json.load(f)
    config["clinic"].update({
        "phone": "+1 617 555 0100",
        "address": {"line": ["1 Main St", "Suite 200"], "city": "Boston", "state": "MA",
                    "postal_code": "02108", "district": "Suffolk", "country": "US"},
        "position": {"latitude": 42.3601, "longitude": -71.0589},
        "booking_url": BOOKING_URL,
        "description": "Entrance on Elm St",
    })
    config["publish"] = {"smart_scheduling_links": True, "per_practitioner": per_practitioner}
    config["appointment_types"][2]["service_type"] = {"code": "57", "display": "Therapy care"}
    return config


def quiet_config():
    """A second clinic that does not publish."""
    return {"clinic": {"id": "quiet", "name": "Quiet Clinic", "timezone": "America/New_York"},
            "appointment_types": [{"id": "visit", "duration_minutes": 30}],
            "practitioners": [{"id": "q-1", "appointment_types": ["visit"],
                               "weekly_hours": {"monday": [{"start": "09:00", "end": "12:00"}]}}]}


def write(directory, name, config):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def ndjson(response):
    assert response.status == 200, response
    text = response.body.decode()
    assert text.endswith("\n") or not text, "NDJSON lines end with a newline"
    return [json.loads(line) for line in text.splitlines()]


def instant_of(timestamp):
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(timezone.utc)


def utc_text(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def handle_of(url):
    handle = url.split("slot=", 1)[1].split("&", 1)[0]
    return json.loads(base64.urlsafe_b64decode(handle + "=" * (-len(handle) % 4)))


class Publication(unittest.TestCase):
    """One server with a publishing clinic (per practitioner) and a quiet one."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="slotbook-ssl-")
        cls.server = Server(
            clinics=(write(cls.dir, "pub.json", publishing_config(per_practitioner=True)),
                     write(cls.dir, "quiet.json", quiet_config())),
            args=["--rate-limit", "0", "--public-url", PUBLIC_URL]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def files(self, clinic="testclinic"):
        out = {}
        for kind in ("locations", "schedules", "slots"):
            out[kind] = ndjson(self.server.get(f"/fhir/clinics/{clinic}/{kind}.ndjson"))
        return out

    def check_id(self, resource):
        self.assertRegex(resource["id"], STU1_ID)
        self.assertRegex(resource["id"], FHIR_ID)

    def test_manifests_list_the_publishing_clinics_files(self):
        for path in ("/fhir/$bulk-publish", "/fhir/clinics/testclinic/$bulk-publish"):
            r = self.server.get(path)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.header("Content-Type").startswith("application/json"))
            self.assertIn("max-age=", r.header("Cache-Control"))
            manifest = r.json()
            self.assertEqual(set(manifest), {"transactionTime", "request", "output", "error"})
            self.assertRegex(manifest["transactionTime"], TIMESTAMP)
            self.assertEqual(manifest["request"], PUBLIC_URL + path)
            self.assertEqual(manifest["error"], [])
            self.assertEqual(sorted(o["type"] for o in manifest["output"]),
                             ["Location", "Schedule", "Slot"])
            for output in manifest["output"]:
                self.assertEqual(output["extension"], {"state": ["MA"]})
                self.assertTrue(output["url"].startswith(PUBLIC_URL + "/fhir/clinics/testclinic/"))
                local = output["url"][len(PUBLIC_URL):]
                self.assertEqual(self.server.get(local).status, 200, local)
            # The same payload whatever the client accepts.
            for accept in ("application/json", "*/*"):
                again = self.server.get(path, {"Accept": accept})
                self.assertEqual(again.json(), manifest)

    def test_a_clinic_that_does_not_publish_is_absent(self):
        manifest = self.server.get("/fhir/$bulk-publish").json()
        self.assertFalse([o for o in manifest["output"] if "/quiet/" in o["url"]])
        for path in ("/fhir/clinics/quiet/$bulk-publish", "/fhir/clinics/quiet/slots.ndjson",
                     "/fhir/clinics/nosuch/locations.ndjson"):
            r = self.server.get(path)
            self.assertEqual(r.status, 404, r)
            self.assertEqual(r.json()["error"]["code"], "clinic_not_found")

    def test_every_resource_has_the_required_fields_and_references_resolve(self):
        files = self.files()
        [location] = files["locations"]
        self.check_id(location)
        self.assertEqual(location["resourceType"], "Location")
        self.assertEqual(location["name"], "Test Clinic")
        # The profile's identifier: this server's clinic directory and the clinic's id.
        self.assertEqual(location["identifier"],
                         [{"system": PUBLIC_URL + "/fhir/clinics", "value": "testclinic"}])
        self.assertEqual(location["telecom"], [{"system": "phone", "value": "+1 617 555 0100"},
                                               {"system": "url", "value": BOOKING_URL}])
        self.assertEqual(location["address"], {"line": ["1 Main St", "Suite 200"], "city": "Boston",
                                               "state": "MA", "postalCode": "02108",
                                               "district": "Suffolk", "country": "US"})
        self.assertEqual(location["position"], {"latitude": 42.3601, "longitude": -71.0589})
        self.assertEqual(location["description"], "Entrance on Elm St")

        schedules = {s["id"]: s for s in files["schedules"]}
        self.assertEqual(len(schedules), len(files["schedules"]), "schedule ids are unique")
        per_type, per_practitioner = {}, {}
        for s in schedules.values():
            self.check_id(s)
            self.assertEqual(s["resourceType"], "Schedule")
            self.assertEqual(s["actor"][0]["reference"], "Location/" + location["id"])
            [coding] = s["serviceType"][0]["coding"]
            self.assertEqual(coding["system"], "http://terminology.hl7.org/CodeSystem/service-type")
            if len(s["actor"]) == 1:
                per_type[coding["display"]] = s
            else:
                self.assertRegex(s["actor"][1]["reference"], r"^Practitioner/")
                per_practitioner[(coding["display"], s["actor"][1]["reference"])] = s
        self.assertEqual(set(per_type), {"Consultation", "Follow-up", "Therapy care"})
        self.assertEqual(per_type["Therapy care"]["serviceType"][0]["coding"][0]["code"], "57")
        self.assertEqual(per_type["Consultation"]["serviceType"][0]["coding"][0]["code"], "124")
        self.assertIn(("Consultation", "Practitioner/dr-b"), per_practitioner)
        self.assertNotIn(("Follow-up", "Practitioner/dr-b"), per_practitioner)

        slot_ids = set()
        for slot in files["slots"]:
            self.check_id(slot)
            self.assertNotIn(slot["id"], slot_ids)
            slot_ids.add(slot["id"])
            self.assertEqual(slot["resourceType"], "Slot")
            self.assertIn(slot["schedule"]["reference"].removeprefix("Schedule/"), schedules)
            self.assertIn(slot["status"], ("free", "busy"))
            self.assertRegex(slot["start"], TIMESTAMP)
            self.assertRegex(slot["end"], TIMESTAMP)
            self.assertLess(instant_of(slot["start"]), instant_of(slot["end"]))
        self.assertGreater(len(slot_ids), 1000)

    def test_free_slots_are_the_engines_listing_and_deep_links_name_them(self):
        files = self.files()
        schedules = {s["id"]: s for s in files["schedules"]}
        day = future_date(4)
        for type_id, display in (("consultation", "Consultation"), ("therapy", "Therapy care")):
            [schedule] = [s for s in schedules.values() if len(s["actor"]) == 1 and
                          s["serviceType"][0]["coding"][0]["display"] == display]
            listed = self.server.staff("POST", "/api/calendar/check-availability",
                                       {"date": day.isoformat(), "appointment_type": type_id,
                                        "clinic_id": "testclinic"})
            self.assertEqual(listed.status, 200, listed)
            expected = {s["start"] for s in listed.json()["available_slots"]}
            self.assertTrue(expected)
            published = [s for s in files["slots"]
                         if s["schedule"]["reference"] == "Schedule/" + schedule["id"]
                         and instant_of(s["start"]).astimezone(ZONE).date() == day]
            free = {utc_text(instant_of(s["start"])) for s in published if s["status"] == "free"}
            self.assertEqual(free, expected, type_id)
            for slot in published:
                # The clinic's own offset (New York in winter), the type's duration.
                self.assertTrue(slot["start"].endswith("-05:00"), slot["start"])
                if slot["status"] == "busy":
                    self.assertNotIn("extension", slot)
                    continue
                self.assertEqual([e["url"] for e in slot["extension"]], DEEP_LINKS)
                link, registry_link = slot["extension"]
                self.assertEqual(registry_link["valueUrl"], link["valueUrl"])
                self.assertTrue(link["valueUrl"].startswith(BOOKING_URL + "&slot="))
                self.assertEqual(handle_of(link["valueUrl"]),
                                 ["testclinic", type_id, "any", utc_text(instant_of(slot["start"]))])
        # A practitioner's schedule links to that practitioner.
        [dr_b] = [s for s in schedules.values() if len(s["actor"]) == 2 and
                  s["actor"][1]["reference"] == "Practitioner/dr-b"]
        slot = next(s for s in files["slots"] if s["status"] == "free" and
                    s["schedule"]["reference"] == "Schedule/" + dr_b["id"])
        self.assertEqual(handle_of(slot["extension"][0]["valueUrl"])[1:3], ["consultation", "dr-b"])

    def test_a_booking_turns_its_slot_busy_in_the_next_publication(self):
        first = self.server.get("/fhir/clinics/testclinic/slots.ndjson")
        etag, modified = first.header("ETag"), first.header("Last-Modified")
        self.assertTrue(etag and modified)
        self.assertEqual(self.server.get("/fhir/clinics/testclinic/slots.ndjson",
                                         {"If-None-Match": etag}).status, 304)
        self.assertEqual(self.server.get("/fhir/clinics/testclinic/slots.ndjson",
                                         {"If-Modified-Since": modified}).status, 304)
        start = utc_instant(future_date(5), "11:00")
        schedules = ndjson(self.server.get("/fhir/clinics/testclinic/schedules.ndjson"))
        [dr_a] = [s["id"] for s in schedules if len(s["actor"]) == 2 and
                  s["actor"][1]["reference"] == "Practitioner/dr-a" and
                  s["serviceType"][0]["coding"][0]["display"] == "Consultation"]

        def status_at(slots):
            [slot] = [s for s in slots if s["schedule"]["reference"] == "Schedule/" + dr_a
                      and utc_text(instant_of(s["start"])) == start]
            return slot["status"]

        self.assertEqual(status_at(ndjson(first)), "free")
        booked = self.server.post("/api/v1/bookings",
                                  booking_body(start, name="Zelda Secretname",
                                               email="zelda@secret.example"))
        self.assertEqual(booked.status, 201, booked)
        began = time.monotonic()
        after = wait_until(lambda: (lambda r: r if status_at(ndjson(r)) == "busy" else None)(
            self.server.get("/fhir/clinics/testclinic/slots.ndjson")), timeout=5,
            what="the booked slot busy")
        self.assertLess(time.monotonic() - began, 3)
        self.assertNotEqual(after.header("ETag"), etag)
        self.assertNotIn(b"Zelda", after.body)
        self.assertNotIn(b"secret.example", after.body)
        # The Location did not change: same ETag as before the booking.
        self.assertTrue(after.header("Content-Type").startswith("application/fhir+ndjson"))

    def test_a_deep_link_booking_keeps_its_referral(self):
        start = utc_instant(future_date(6), "15:00")
        body = booking_body(start)
        body["referral"] = {"source": "findadoc", "booking_referral": "34d1a803-cd6c-4420"}
        booked = self.server.post("/api/v1/bookings", body)
        self.assertEqual(booked.status, 201, booked)
        bid = booked.json()["booking"]["id"]
        appointment = self.server.staff("GET", f"/api/calendar/appointments/{bid}").json()
        self.assertEqual(appointment["appointment"]["referral"],
                         {"source": "findadoc", "booking_referral": "34d1a803-cd6c-4420"})
        plain = self.server.post("/api/v1/bookings", booking_body(utc_instant(future_date(6),
                                                                              "16:00")))
        pid = plain.json()["booking"]["id"]
        self.assertIsNone(self.server.staff("GET", f"/api/calendar/appointments/{pid}")
                          .json()["appointment"]["referral"])
        for referral, field in (({"source": 5}, "referral.source"),
                                ({"booking_referral": "x" * 201}, "referral.booking_referral"),
                                ("findadoc", "referral")):
            body = booking_body(utc_instant(future_date(6), "17:00"))
            body["referral"] = referral
            r = self.server.post("/api/v1/bookings", body)
            self.assertEqual(r.status, 422, r)
            self.assertIn(field, r.json()["error"]["fields"])


class Configuration(unittest.TestCase):
    def setUp(self):
        self.server = Server(args=["--rate-limit", "0"]).start()

    def tearDown(self):
        self.server.stop()

    def put(self, config):
        return self.server.staff("PUT", "/api/calendar/clinic", config)

    def test_opting_in_without_the_locations_fields_is_refused_naming_them(self):
        with open(FIXTURE) as f:
            config = json.load(f)
        config["publish"] = {"smart_scheduling_links": True}
        r = self.put(config)
        self.assertEqual(r.status, 422, r)
        details = r.json()["details"]
        for field in ("clinic.phone", "clinic.address.line", "clinic.address.city",
                      "clinic.address.state", "clinic.address.postal_code", "clinic.booking_url"):
            self.assertIn(field, details)
        self.assertEqual(self.server.get("/fhir/clinics/testclinic/$bulk-publish").status, 404)
        # Filled in, it publishes at once.
        self.assertEqual(self.put(publishing_config()).status, 200)
        self.assertEqual(self.server.get("/fhir/clinics/testclinic/$bulk-publish").status, 200)
        manifest = self.server.get("/fhir/$bulk-publish").json()
        self.assertEqual(len(manifest["output"]), 3)

    def test_malformed_location_fields_are_refused(self):
        for change, field in (
                (lambda c: c["clinic"]["address"].update(line="1 Main St"), "clinic.address.line"),
                (lambda c: c["clinic"]["position"].update(latitude=91), "clinic.position.latitude"),
                (lambda c: c["clinic"].update(booking_url="clinic.example/book"),
                 "clinic.booking_url"),
                (lambda c: c["clinic"].update(booking_url="https://clinic.example/#book"),
                 "clinic.booking_url"),
                (lambda c: c["clinic"]["address"].update(country="usa"), "clinic.address.country"),
                (lambda c: c["publish"].update(per_practitioner="yes"), "publish.per_practitioner"),
                (lambda c: c["appointment_types"][0].update(service_type={"display": "x"}),
                 "appointment_types[0].service_type.code")):
            config = publishing_config()
            change(config)
            r = self.put(config)
            self.assertEqual(r.status, 422, (field, r))
            self.assertIn(field, r.json()["details"])


class TimePassing(unittest.TestCase):
    def test_the_first_slots_move_as_time_passes(self):
        directory = tempfile.mkdtemp(prefix="slotbook-ssl-")
        server = Server(clinics=(write(directory, "pub.json", publishing_config()),),
                        movable_clock=True).start()
        try:
            def first_free(slots):
                return min(instant_of(s["start"]) for s in slots if s["status"] == "free")
            before = first_free(ndjson(server.get("/fhir/clinics/testclinic/slots.ndjson")))
            server.advance_clock(3 * 3600)
            after = wait_until(
                lambda: (lambda f: f if f > before else None)(
                    first_free(ndjson(server.get("/fhir/clinics/testclinic/slots.ndjson")))),
                timeout=10, what="the first free slot to move on")
            self.assertGreaterEqual(after - before, timedelta(hours=2))
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
