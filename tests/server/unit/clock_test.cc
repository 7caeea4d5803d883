// The services read time only from the Clock they are given.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

StoredReply render(const BookingDecision& d) {
  return {d.refusal == Refusal::kNone ? 201 : 409, d.booking.id};
}

TEST_CASE("an idempotent answer is replayed for a day and not after") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  IdempotentRequest key{"key-1", "hash-of-request-1", render};

  auto first = service.book(new_booking("2027-01-14T15:00:00Z"), &key);
  REQUIRE(first.ok());
  REQUIRE(first->replay);
  const std::string booked_id = first->replay->body;

  f.clock.advance(std::chrono::hours(23));
  auto again = service.book(new_booking("2027-01-14T15:00:00Z"), &key);
  REQUIRE(again.ok());
  CHECK(again->replay->body == booked_id);
  CHECK(f.booking_count() == 1);

  f.clock.advance(std::chrono::hours(2));  // 25 hours after the first answer
  auto late = service.book(new_booking("2027-01-14T16:00:00Z"), &key);
  REQUIRE(late.ok());
  CHECK(late->replay->body != booked_id);
  CHECK(f.booking_count() == 2);
}

TEST_CASE("pruning removes answers older than the cut-off only") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  IdempotentRequest old_key{"old", "h1", render};
  REQUIRE(service.book(new_booking("2027-01-14T15:00:00Z"), &old_key).ok());
  f.clock.advance(std::chrono::hours(30));
  IdempotentRequest new_key{"new", "h2", render};
  REQUIRE(service.book(new_booking("2027-01-14T16:00:00Z"), &new_key).ok());
  auto pruned = f.storage->prune_answers(f.clock.now() - kAnswerLifetime, kAnswersPerClient);
  REQUIRE(pruned.ok());
  CHECK(*pruned == 1);
}

TEST_CASE("pruning keeps each client's newest answers only") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  // A busy client books five times, a quiet one twice, an hour apart each.
  std::map<std::string, std::string> booked;  // key -> booking id
  int hour = 14;
  auto book = [&](const std::string& key, const std::string& client) {
    IdempotentRequest request{key, "hash-" + key, render, client};
    auto result = service.book(
        new_booking(("2027-01-14T" + std::to_string(hour++) + ":00:00Z").c_str()), &request);
    REQUIRE(result.ok());
    f.clock.advance(std::chrono::seconds(1));
    return result->replay->body;
  };
  for (int i = 0; i < 5; ++i) {
    const std::string key = "busy-" + std::to_string(i);
    booked[key] = book(key, "192.0.2.1");
  }
  for (int i = 0; i < 2; ++i) {
    const std::string key = "quiet-" + std::to_string(i);
    booked[key] = book(key, "192.0.2.2");
  }
  auto pruned = f.storage->prune_answers(f.clock.now() - kAnswerLifetime, 3);
  REQUIRE(pruned.ok());
  CHECK(*pruned == 2);
  // Kept answers replay the same booking; the busy client's two oldest are forgotten, so
  // the same key books anew.
  hour = 14;
  for (const auto& [key, id] : booked) {
    INFO(key);
    const bool forgotten = key == "busy-0" || key == "busy-1";
    CHECK((book(key, "any address") == id) == !forgotten);
  }
}

TEST_CASE("notice and created_at follow the injected clock, not the machine's") {
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  // 14:00Z now; the clinic wants 120 minutes' notice.
  CHECK(service.book(new_booking("2027-01-11T15:00:00Z"), nullptr)->decision.refusal ==
        Refusal::kTooSoon);
  auto booked = service.book(new_booking("2027-01-11T16:00:00Z"), nullptr);
  REQUIRE(booked->decision.refusal == Refusal::kNone);
  CHECK(booked->decision.booking.created_at == utc("2027-01-11T14:00:00Z"));
  f.clock.advance(std::chrono::hours(24 * 365));
  CHECK(service.book(new_booking("2027-01-14T15:00:00Z"), nullptr)->decision.refusal ==
        Refusal::kInPast);
}

}  // namespace
}  // namespace slotbook::server::testing
