// The services read time only from the Clock they are given.
#include <catch2/catch.hpp>

#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

StoredReply render(const BookingDecision& d) {
  return {d.refusal == Refusal::kNone ? 201 : 409, d.booking.id};
}

TEST_CASE("an idempotent answer is replayed for a day and not after") {
  ServiceFixture f;
  BookingService service = f.service(*f.sqlite);
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
  BookingService service = f.service(*f.sqlite);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  IdempotentRequest old_key{"old", "h1", render};
  REQUIRE(service.book(new_booking("2027-01-14T15:00:00Z"), &old_key).ok());
  f.clock.advance(std::chrono::hours(30));
  IdempotentRequest new_key{"new", "h2", render};
  REQUIRE(service.book(new_booking("2027-01-14T16:00:00Z"), &new_key).ok());
  auto pruned = f.sqlite->prune_answers(f.clock.now() - kAnswerLifetime);
  REQUIRE(pruned.ok());
  CHECK(*pruned == 1);
}

TEST_CASE("notice and created_at follow the injected clock, not the machine's") {
  ServiceFixture f;
  BookingService service = f.service(*f.sqlite);
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
