// Every committed change leaves exactly one event in the outbox and on the bus; a change
// that rolls back, is refused or changes nothing leaves none.
#include <catch2/catch.hpp>

#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

// Runs the work, then fails: the inner storage rolls the transaction back.
class FailingCommitStorage final : public ForwardingStorage {
 public:
  using ForwardingStorage::ForwardingStorage;
  Status write(const WriteScope& scope,
               const std::function<Status(WriteTransaction&)>& work) override {
    return inner_.write(scope, [&](WriteTransaction& tx) -> Status {
      Status status = work(tx);
      if (!status.ok()) return status;
      return storage_failure("disk full (injected)");
    });
  }
};

// Runs `work` once in a transaction that is rolled back, then again for real: what a
// PostgreSQL serialization retry does.
class RetryingStorage final : public ForwardingStorage {
 public:
  using ForwardingStorage::ForwardingStorage;
  Status write(const WriteScope& scope,
               const std::function<Status(WriteTransaction&)>& work) override {
    (void)inner_.write(scope, [&](WriteTransaction& tx) -> Status {
      Status status = work(tx);
      (void)status;
      return storage_failure("serialization failure (injected)");
    });
    return inner_.write(scope, work);
  }
};

nlohmann::json payload(const OutboxRecord& record) {
  return nlohmann::json::parse(record.payload_json);
}

TEST_CASE("a booking appends booking.created in its transaction and publishes it after") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  const std::size_t before = f.outbox().size();
  auto result = service.book(new_booking("2027-01-14T15:00:00Z"), nullptr);
  REQUIRE(result.ok());
  REQUIRE(result->decision.refusal == Refusal::kNone);

  auto outbox = f.outbox();
  REQUIRE(outbox.size() == before + 1);
  const OutboxRecord& row = outbox.back();
  CHECK(row.kind == "booking.created");
  CHECK(row.booking_id == result->decision.booking.id);
  nlohmann::json event = payload(row);
  CHECK(event["type"] == "booking.created");
  CHECK(event["before"].is_null());
  CHECK(event["after"]["start"] == "2027-01-14T15:00:00Z");
  CHECK(event["after"]["patient"]["email"] == "pat@example.com");
  CHECK(event["occurred_at"] == "2027-01-11T14:00:00Z");
  CHECK_FALSE(event["after"].contains("manage_token_hash"));

  REQUIRE_FALSE(f.published.empty());
  CHECK(f.published.back().id == row.event_id);
}

TEST_CASE("a change that rolls back leaves no booking, no event and tells no subscriber") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  const std::size_t events_before = f.outbox().size();
  const std::size_t published_before = f.published.size();

  FailingCommitStorage failing(*f.storage);
  BookingService service = f.service(failing);
  auto result = service.book(new_booking("2027-01-14T15:00:00Z"), nullptr);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == FailureKind::kStorage);
  CHECK(f.booking_count() == 0);
  CHECK(f.outbox().size() == events_before);
  CHECK(f.published.size() == published_before);

  // The same for a change to an existing booking.
  auto booked = f.service(*f.storage).book(new_booking("2027-01-14T15:00:00Z"), nullptr);
  REQUIRE(booked.ok());
  const std::size_t after_booking = f.outbox().size();
  auto cancelled = service.cancel(booked->decision.booking.id, "", Actor::system());
  REQUIRE_FALSE(cancelled.ok());
  CHECK(f.outbox().size() == after_booking);
}

TEST_CASE("a refused booking or a change to nothing leaves no event") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  auto first = service.book(new_booking("2027-01-14T15:00:00Z"), nullptr);
  REQUIRE(first.ok());
  const std::size_t events = f.outbox().size();

  auto taken = service.book(new_booking("2027-01-14T15:00:00Z"), nullptr);
  REQUIRE(taken.ok());
  CHECK(taken->decision.refusal == Refusal::kConflict);
  CHECK(f.outbox().size() == events);

  RescheduleRequest same;
  same.start = *parse_instant("2027-01-14T15:00:00Z");
  REQUIRE(service.reschedule(first->decision.booking.id, same).ok());
  CHECK(f.outbox().size() == events);

  REQUIRE(service.put_clinic(test_clinic_json()).ok());  // identical configuration
  CHECK(f.outbox().size() == events);
}

TEST_CASE("each kind of change has its event with the booking before and after") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  CHECK(f.outbox().back().kind == "clinic.config_changed");
  CHECK(payload(f.outbox().back())["config_version_after"] == 1);

  const std::string id =
      service.book(new_booking("2027-01-14T15:00:00Z"), nullptr)->decision.booking.id;

  RescheduleRequest move;
  move.start = *parse_instant("2027-01-14T16:00:00Z");
  REQUIRE(service.reschedule(id, move)->refusal == Refusal::kNone);
  nlohmann::json moved = payload(f.outbox().back());
  CHECK(moved["type"] == "booking.rescheduled");
  CHECK(moved["before"]["start"] == "2027-01-14T15:00:00Z");
  CHECK(moved["after"]["start"] == "2027-01-14T16:00:00Z");
  CHECK(moved["after"]["sequence"] == 1);

  RescheduleRequest notes;
  notes.notes = "bring the X-ray";
  REQUIRE(service.reschedule(id, notes).ok());
  CHECK(f.outbox().back().kind == "booking.updated");

  REQUIRE(service.request_reminder(id).ok());
  CHECK(f.outbox().back().kind == "booking.reminder_requested");
  const UtcSeconds first_channel = f.clock.now();
  auto first_went = [&](ReadView&) -> Expected<std::optional<UtcSeconds>> {
    return std::optional<UtcSeconds>(first_channel);
  };
  REQUIRE(service.record_reminder_sent(id, first_went).ok());
  CHECK(f.outbox().back().kind == "booking.reminder_sent");
  // The reminder's other channel reports the same first send: nothing new.
  const std::size_t events = f.outbox().size();
  REQUIRE(service.record_reminder_sent(id, first_went).ok());
  CHECK(f.outbox().size() == events);

  CHECK(service.set_status(id, BookingStatus::kCompleted).error().code == "invalid_state");
  f.clock.advance(std::chrono::hours(80));  // past the appointment: now it can be completed
  REQUIRE(service.set_status(id, BookingStatus::kCompleted).ok());
  nlohmann::json completed = payload(f.outbox().back());
  CHECK(completed["type"] == "booking.status_changed");
  CHECK(completed["before"]["status"] == "confirmed");
  CHECK(completed["after"]["status"] == "completed");

  const std::string other =
      service.book(new_booking("2027-01-18T15:00:00Z"), nullptr)->decision.booking.id;
  REQUIRE(service.cancel(other, "feeling better", Actor::patient()).ok());
  nlohmann::json cancelled = payload(f.outbox().back());
  CHECK(cancelled["type"] == "booking.cancelled");
  CHECK(cancelled["after"]["cancel_reason"] == "feeling better");

  // Positions order the outbox; every id is distinct.
  auto outbox = f.outbox();
  for (std::size_t i = 1; i < outbox.size(); ++i) {
    CHECK(outbox[i].position > outbox[i - 1].position);
    CHECK(outbox[i].event_id != outbox[i - 1].event_id);
  }
}

TEST_CASE("a configuration change that rolls back leaves nothing behind in the catalog") {
  // The parsed configuration a rolled-back change produced has the version the next real
  // change will get: it must not be served as that version.
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  FailingCommitStorage failing(*f.storage);
  nlohmann::json rolled_back = test_clinic_json();
  rolled_back["clinic"]["name"] = "Never Committed";
  CHECK_FALSE(f.service(failing).put_clinic(rolled_back).ok());
  nlohmann::json committed = test_clinic_json();
  committed["clinic"]["name"] = "Committed";
  auto stored = f.service(*f.storage).put_clinic(committed);
  REQUIRE(stored.ok());
  CHECK((*stored)->checked().clinic_name == "Committed");
  (void)f.storage->read([&](ReadView& view) -> Status {
    auto current = f.catalog.get(view, "testclinic");
    REQUIRE(current.ok());
    CHECK((*current)->checked().clinic_name == "Committed");
    return Status();
  });
}

TEST_CASE("work that runs twice (a serialization retry) books once and records one event") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  const std::size_t events = f.outbox().size();
  const std::size_t published = f.published.size();
  RetryingStorage retrying(*f.storage);
  BookingService service = f.service(retrying);
  auto result = service.book(new_booking("2027-01-14T15:00:00Z", "any"), nullptr);
  REQUIRE(result.ok());
  CHECK(result->decision.refusal == Refusal::kNone);
  CHECK(f.booking_count() == 1);
  CHECK(f.outbox().size() == events + 1);
  CHECK(f.outbox().back().booking_id == result->decision.booking.id);
  REQUIRE(f.published.size() == published + 1);
  CHECK(f.published.back().booking_id() == result->decision.booking.id);
}

}  // namespace
}  // namespace slotbook::server::testing
