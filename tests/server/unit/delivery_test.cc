// Deliveries: which ones an event makes (delivery_plan.h), when a failed one comes back
// (retry_policy.h), and that claims hand each one to one worker at a time (storage.h), on
// SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "notify/delivery_kinds.h"
#include "notify/delivery_plan.h"
#include "notify/retry_policy.h"
#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

struct PlanFixture {
  SystemZoneSource zones;
  std::shared_ptr<const ClinicConfig> clinic;
  explicit PlanFixture(nlohmann::json changes = nlohmann::json::object()) {
    nlohmann::json config = test_clinic_json();
    config.update(changes);
    clinic = std::make_shared<const ClinicConfig>(*ClinicConfig::from_json(config, zones));
  }
};

BookingRecord patient_booking(const char* start) {
  BookingRecord b;
  b.id = "b_000000000000000000000001";
  b.clinic_id = "testclinic";
  b.practitioner_id = "dr-a";
  b.appointment_type = "consultation";
  b.start_utc = utc(start);
  b.end_utc = b.start_utc + std::chrono::minutes(30);
  b.status = BookingStatus::kConfirmed;
  b.patient_email = "pat@example.com";
  b.patient_phone = "+12025550143";
  return b;
}

std::vector<std::string> describe(const std::vector<DeliveryRecord>& deliveries) {
  std::vector<std::string> out;
  for (const DeliveryRecord& d : deliveries) {
    out.push_back(d.channel + " " + d.purpose + " " + d.recipient);
  }
  std::sort(out.begin(), out.end());
  return out;
}

WebhookRecord webhook(const char* id, const char* events) {
  WebhookRecord w;
  w.id = id;
  w.events_json = events;
  return w;
}

const UtcSeconds kNow = utc("2027-01-11T14:00:00Z");

}  // namespace

TEST_CASE(
    "a new booking tells the patient, the desk and subscribed webhooks, and schedules reminders") {
  PlanFixture f(nlohmann::json{{"notifications", {{"clinic_email", "desk@clinic.example.org"}}},
                               {"reminders",
                                {{{"before_minutes", 1440}, {"channels", {"email", "sms"}}},
                                 {{"before_minutes", 60}, {"channels", {"sms"}}}}}});
  BookingRecord b = patient_booking("2027-01-14T15:00:00Z");
  b.sms_opt_in = true;
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, b, kNow);
  const std::vector<WebhookRecord> hooks = {webhook("wh_all", R"(["booking.created"])"),
                                            webhook("wh_cancel", R"(["booking.cancelled"])")};
  const auto planned = plan_deliveries(created, 7, f.clinic.get(), {true, true}, hooks, kNow);
  CHECK(describe(planned) ==
        std::vector<std::string>{"email booking.created clinic", "email booking.created patient",
                                 "email reminder patient", "sms booking.created patient",
                                 "sms reminder patient", "sms reminder patient",
                                 "webhook booking.created wh_all"});
  for (const DeliveryRecord& d : planned) {
    CHECK(d.status == "pending");
    if (d.purpose == "reminder") {
      CHECK(d.outbox_position == 0);
      CHECK(d.reminder_for == b.start_utc);
      CHECK((d.next_attempt_at == b.start_utc - std::chrono::hours(24) ||
             d.next_attempt_at == b.start_utc - std::chrono::hours(1)));
    } else {
      CHECK(d.outbox_position == 7);
      CHECK(d.next_attempt_at == kNow);
    }
  }
  // Planned again (a dispatch that ran twice), every dedupe key is the same.
  const auto again = plan_deliveries(created, 7, f.clinic.get(), {true, true}, hooks, kNow);
  std::set<std::string> keys, keys_again;
  for (const auto& d : planned) keys.insert(d.dedupe_key);
  for (const auto& d : again) keys_again.insert(d.dedupe_key);
  CHECK(keys.size() == planned.size());
  CHECK(keys == keys_again);
}

TEST_CASE("what the patient did not agree to or the server cannot send is not planned") {
  PlanFixture f;  // default reminders: one email a day before
  BookingRecord b = patient_booking("2027-01-14T15:00:00Z");
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, b, kNow);
  // No SMS consent: no texts even with SMS configured; the default reminder is email.
  CHECK(describe(plan_deliveries(created, 1, f.clinic.get(), {true, true}, {}, kNow)) ==
        std::vector<std::string>{"email booking.created patient", "email reminder patient"});
  CHECK_FALSE(patient_gets_sms(EventKind::kBookingCreated, b, {true, true}));
  // Nothing configured: nothing planned.
  CHECK(plan_deliveries(created, 1, f.clinic.get(), {false, false}, {}, kNow).empty());
  // A disabled webhook gets nothing.
  WebhookRecord off = webhook("wh_off", R"(["booking.created"])");
  off.disabled_at = kNow;
  CHECK(plan_deliveries(created, 1, f.clinic.get(), {false, false}, {off}, kNow).empty());
}

TEST_CASE("a reminder already due when the booking is made is skipped") {
  PlanFixture f;
  const BookingRecord soon = patient_booking("2027-01-12T10:00:00Z");  // in 20 hours
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, soon, kNow);
  CHECK(describe(plan_deliveries(created, 1, f.clinic.get(), {true, false}, {}, kNow)) ==
        std::vector<std::string>{"email booking.created patient"});
}

TEST_CASE("a reschedule keeps only the reminders of the new start; a cancellation keeps none") {
  PlanFixture f;
  const BookingRecord before = patient_booking("2027-01-14T15:00:00Z");
  BookingRecord after = before;
  after.start_utc += std::chrono::hours(2);
  after.sequence = 1;
  const DomainEvent moved = booking_event(EventKind::kBookingRescheduled, before, after, kNow);
  auto cancel = cancels_reminders(moved);
  REQUIRE(cancel.has_value());
  CHECK(cancel->keep_for == after.start_utc);
  const auto planned = plan_deliveries(moved, 3, f.clinic.get(), {true, false}, {}, kNow);
  CHECK(describe(planned) ==
        std::vector<std::string>{"email booking.rescheduled patient", "email reminder patient"});
  // Moved back to the first start later: its reminder is made again (the first one was
  // cancelled by the move away), not taken for a duplicate.
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, before, kNow);
  const DomainEvent back = booking_event(EventKind::kBookingRescheduled, after, before, kNow);
  auto reminder_key = [&](const DomainEvent& e) {
    for (const auto& d : plan_deliveries(e, 1, f.clinic.get(), {true, false}, {}, kNow)) {
      if (d.purpose == "reminder") return d.dedupe_key;
    }
    return std::string();
  };
  CHECK_FALSE(reminder_key(back).empty());
  CHECK(reminder_key(back) != reminder_key(created));

  BookingRecord cancelled = after;
  cancelled.status = BookingStatus::kCancelled;
  const DomainEvent gone = booking_event(EventKind::kBookingCancelled, after, cancelled, kNow);
  cancel = cancels_reminders(gone);
  REQUIRE(cancel.has_value());
  CHECK_FALSE(cancel->keep_for.has_value());
  CHECK(describe(plan_deliveries(gone, 4, f.clinic.get(), {true, false}, {}, kNow)) ==
        std::vector<std::string>{"email booking.cancelled patient"});
  // Notes only: nobody is told, nothing cancelled.
  BookingRecord noted = before;
  noted.notes = "bring the X-ray";
  const DomainEvent updated = booking_event(EventKind::kBookingUpdated, before, noted, kNow);
  CHECK_FALSE(cancels_reminders(updated).has_value());
  CHECK(plan_deliveries(updated, 5, f.clinic.get(), {true, true}, {}, kNow).empty());
}

TEST_CASE("a clinic's configuration change is a clinic.updated webhook") {
  PlanFixture f;
  const DomainEvent changed = clinic_config_event("testclinic", 1, 2, kNow);
  const auto planned = plan_deliveries(changed, 9, f.clinic.get(), {true, true},
                                       {webhook("wh_c", R"(["clinic.updated"])")}, kNow);
  CHECK(describe(planned) == std::vector<std::string>{"webhook clinic.updated wh_c"});
}

TEST_CASE("a move the patient must hear of wins over a status change, a cancellation over both") {
  const BookingRecord before = patient_booking("2027-01-14T15:00:00Z");
  BookingRecord after = before;
  after.start_utc += std::chrono::hours(1);
  after.status = BookingStatus::kPending;
  CHECK(classify_change(before, after) == EventKind::kBookingRescheduled);
  after.status = BookingStatus::kCancelled;
  CHECK(classify_change(before, after) == EventKind::kBookingCancelled);
  after = before;
  after.status = BookingStatus::kPending;
  CHECK(classify_change(before, after) == EventKind::kBookingStatusChanged);
}

TEST_CASE("a webhook for one clinic hears only that clinic's events") {
  PlanFixture f;
  const BookingRecord b = patient_booking("2027-01-14T15:00:00Z");
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, b, kNow);
  WebhookRecord mine = webhook("wh_mine", R"(["booking.created"])");
  mine.clinic_id = "testclinic";
  WebhookRecord other = webhook("wh_other", R"(["booking.created"])");
  other.clinic_id = "another-clinic";
  CHECK(
      describe(plan_deliveries(created, 1, f.clinic.get(), {false, false}, {mine, other}, kNow)) ==
      std::vector<std::string>{"webhook booking.created wh_mine"});
}

TEST_CASE("reminder rules are checked when the configuration is stored") {
  SystemZoneSource zones;
  auto with = [&](nlohmann::json changes) {
    nlohmann::json config = test_clinic_json();
    config.update(changes);
    return ClinicConfig::from_json(config, zones);
  };
  CHECK(with({{"reminders", nlohmann::json::array()}})->notifications().reminders.empty());
  CHECK(with({{"country", "GB"}})->notifications().country == "GB");
  for (const nlohmann::json& bad :
       {nlohmann::json{{"reminders", {{{"before_minutes", 0}, {"channels", {"email"}}}}}},
        nlohmann::json{{"reminders", {{{"before_minutes", 60}, {"channels", {"fax"}}}}}},
        nlohmann::json{{"reminders",
                        {{{"before_minutes", 60}, {"channels", {"email"}}},
                         {{"before_minutes", 60}, {"channels", {"sms"}}}}}},
        nlohmann::json{{"country", "usa"}},
        nlohmann::json{{"notifications", {{"clinic_email", "not an address"}}}}}) {
    auto parsed = with(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == "invalid_clinic_config");
  }
}

TEST_CASE("retries back off exponentially with jitter up to a cap, then stop") {
  RetryPolicy policy;
  policy.first_delay = std::chrono::seconds(30);
  policy.max_delay = std::chrono::hours(6);
  policy.max_attempts = 5;
  for (int attempt = 1; attempt <= 20; ++attempt) {
    const auto full = std::min<std::chrono::milliseconds>(
        policy.first_delay * (1LL << std::min(attempt - 1, 30)), policy.max_delay);
    for (int draw = 0; draw < 50; ++draw) {
      const auto delay = policy.delay_after(attempt);
      CHECK(delay >= full / 2);
      CHECK(delay <= full);
    }
  }
  CHECK_FALSE(policy.exhausted(4));
  CHECK(policy.exhausted(5));
}

TEST_CASE("claims lease each due delivery to one worker at a time") {
  ServiceFixture f;
  constexpr int kDeliveries = 60;
  REQUIRE(f.storage
              ->write({},
                      [&](WriteTransaction& tx) -> Status {
                        for (int n = 0; n < kDeliveries + 1; ++n) {
                          DeliveryRecord d;
                          d.id = "dlv_" + std::to_string(n);
                          d.clinic_id = "testclinic";
                          d.channel = "email";
                          d.purpose = "booking.created";
                          d.recipient = "patient";
                          d.status = "pending";
                          // The last one is not due yet.
                          d.next_attempt_at = n < kDeliveries
                                                  ? f.clock.now()
                                                  : f.clock.now() + std::chrono::hours(1);
                          d.dedupe_key = "key-" + std::to_string(n);
                          d.created_at = d.updated_at = f.clock.now();
                          if (Status st = tx.insert_delivery(d); !st.ok()) return st;
                          // A second one with the same key is not added.
                          d.id += "-again";
                          if (Status st = tx.insert_delivery(d); !st.ok()) return st;
                        }
                        return Status();
                      })
              .ok());
  std::mutex mutex;
  std::vector<std::string> claimed;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      for (;;) {
        std::vector<DeliveryRecord> mine;
        Status status = f.storage->write({}, [&](WriteTransaction& tx) -> Status {
          auto rows =
              tx.claim_deliveries(f.clock.now(), f.clock.now() + std::chrono::seconds(45), 3);
          if (!rows.ok()) return rows.error();
          mine = std::move(*rows);
          return Status();
        });
        REQUIRE(status.ok());
        if (mine.empty()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::lock_guard<std::mutex> lock(mutex);
        for (const DeliveryRecord& d : mine) {
          CHECK(d.attempts == 1);
          CHECK(d.lease_until == f.clock.now() + std::chrono::seconds(45));
          claimed.push_back(d.id);
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  const std::set<std::string> distinct(claimed.begin(), claimed.end());
  CHECK(claimed.size() == kDeliveries);
  CHECK(distinct.size() == claimed.size());

  // Leased: nothing to claim until the lease runs out; then all of them again.
  auto claim_now = [&] {
    std::size_t n = 0;
    REQUIRE(f.storage
                ->write({},
                        [&](WriteTransaction& tx) -> Status {
                          auto rows = tx.claim_deliveries(
                              f.clock.now(), f.clock.now() + std::chrono::seconds(45), 1000);
                          if (!rows.ok()) return rows.error();
                          n = rows->size();
                          return Status();
                        })
                .ok());
    return n;
  };
  CHECK(claim_now() == 0);
  f.clock.advance(std::chrono::seconds(46));
  CHECK(claim_now() == kDeliveries);
  std::int64_t total = 0;
  REQUIRE(f.storage
              ->read([&](ReadView& view) -> Status {
                auto rows = view.list_deliveries(DeliveryFilter{}, &total);
                return rows.ok() ? Status() : Status(rows.error());
              })
              .ok());
  CHECK(total == kDeliveries + 1);  // the duplicates were not added
}

}  // namespace slotbook::server::testing

namespace slotbook::server::testing {
namespace {

CalendarConnectionRecord connection(const char* id, const char* practitioner, const char* provider,
                                    const char* status = "connected") {
  CalendarConnectionRecord c;
  c.id = id;
  c.practitioner_id = practitioner;
  c.provider = provider;
  c.status = status;
  return c;
}

}  // namespace

TEST_CASE("mirror jobs go to the connected calendars of the practitioners before and after") {
  BookingRecord before = patient_booking("2027-01-14T15:00:00Z");
  BookingRecord after = before;
  after.practitioner_id = "dr-b";
  const DomainEvent moved = booking_event(EventKind::kBookingRescheduled, before, after, kNow);
  const std::vector<CalendarConnectionRecord> connections = {
      connection("cal_a", "dr-a", "google"), connection("cal_b", "dr-b", "microsoft"),
      connection("cal_feed", "dr-b", "ics"), connection("cal_broken", "dr-a", "google", "broken"),
      connection("cal_c", "dr-c", "google")};
  CHECK(describe(plan_mirror_jobs(moved, 3, connections, true, kNow)) ==
        std::vector<std::string>{"calendar booking.rescheduled cal_a",
                                 "calendar booking.rescheduled cal_b"});
  // The same event planned twice makes the same dedupe keys (inserted once).
  const auto once = plan_mirror_jobs(moved, 3, connections, true, kNow);
  const auto twice = plan_mirror_jobs(moved, 3, connections, true, kNow);
  CHECK(once[0].dedupe_key == twice[0].dedupe_key);
}

TEST_CASE("a zoom meeting job only for zoom bookings and never for the link's own arrival") {
  BookingRecord b = patient_booking("2027-01-14T15:00:00Z");
  b.meeting_provider = "zoom";
  const DomainEvent created = booking_event(EventKind::kBookingCreated, std::nullopt, b, kNow);
  CHECK(describe(plan_mirror_jobs(created, 1, {}, true, kNow)) ==
        std::vector<std::string>{"meeting booking.created zoom"});
  CHECK(plan_mirror_jobs(created, 1, {}, false, kNow).empty());  // no Zoom credentials
  BookingRecord linked = b;
  linked.meeting_url = "https://zoom.us/j/1";
  const DomainEvent ready = booking_event(EventKind::kBookingMeetingReady, b, linked, kNow);
  CHECK(plan_mirror_jobs(ready, 2, {}, true, kNow).empty());
  BookingRecord in_person = patient_booking("2027-01-14T15:00:00Z");
  CHECK(plan_mirror_jobs(booking_event(EventKind::kBookingCreated, std::nullopt, in_person, kNow),
                         1, {}, true, kNow)
            .empty());
  const DomainEvent reminded = booking_event(EventKind::kBookingReminderSent, b, b, kNow);
  CHECK(plan_mirror_jobs(reminded, 1, {connection("cal_a", "dr-a", "google")}, true, kNow).empty());
}

TEST_CASE("a meeting link that arrives later is told by email") {
  PlanFixture f;
  BookingRecord b = patient_booking("2027-01-14T15:00:00Z");
  b.meeting_provider = "zoom";
  BookingRecord linked = b;
  linked.meeting_url = "https://zoom.us/j/1";
  const DomainEvent ready = booking_event(EventKind::kBookingMeetingReady, b, linked, kNow);
  CHECK(describe(plan_deliveries(ready, 4, f.clinic.get(), {true, false}, {}, kNow)) ==
        std::vector<std::string>{"email booking.meeting_ready patient"});
  CHECK(plan_deliveries(booking_event(EventKind::kBookingMeetingReady, linked, b, kNow), 4,
                        f.clinic.get(), {true, false}, {}, kNow)
            .empty());  // the link went (the type changed): nothing to tell
}

}  // namespace slotbook::server::testing
