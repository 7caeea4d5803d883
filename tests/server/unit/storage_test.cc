// What every Storage promises beyond single writes (storage/storage.h): the outbox is
// dispatched once however many dispatchers run, and, on PostgreSQL, the store itself
// refuses overlapping occupancies and the service answers that as the engine's conflict.
#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

OutboxRecord event(int n) {
  return OutboxRecord{0,   "evt_" + std::to_string(n), "testclinic", "booking.created", "b_1", {},
                      "{}"};
}

BookingRecord follow_up(const std::string& id, const char* start, int occupied_minutes) {
  return stored_booking(id, "follow-up", utc(start), 15, occupied_minutes);
}

TEST_CASE("several dispatchers drain the outbox together and hand out each record once") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  const auto dispatched_before = f.outbox().size();  // the clinic's own event
  constexpr int kEvents = 120;
  REQUIRE(f.storage
              ->write({"testclinic", {}},
                      [&](WriteTransaction& tx) -> Status {
                        for (int n = 0; n < kEvents; ++n) {
                          if (Status st = tx.append_outbox(event(n)); !st.ok()) return st;
                        }
                        return Status();
                      })
              .ok());

  // A handler that fails leaves its records for the next call.
  auto refused = f.storage->dispatch_outbox(
      10, f.clock.now(), [](WriteTransaction&, const std::vector<OutboxRecord>&) -> Status {
        return storage_failure("receiver down (injected)");
      });
  REQUIRE_FALSE(refused.ok());

  std::mutex mutex;
  std::vector<std::string> handed_out;
  std::vector<std::thread> dispatchers;
  for (int t = 0; t < 4; ++t) {
    dispatchers.emplace_back([&] {
      for (;;) {
        auto count = f.storage->dispatch_outbox(
            7, f.clock.now(),
            [&](WriteTransaction&, const std::vector<OutboxRecord>& records) -> Status {
              // Slow enough that the dispatchers overlap (PostgreSQL skips what another holds).
              std::this_thread::sleep_for(std::chrono::milliseconds(2));
              std::lock_guard<std::mutex> lock(mutex);
              for (const OutboxRecord& r : records) handed_out.push_back(r.event_id);
              return Status();
            });
        REQUIRE(count.ok());
        if (*count == 0) return;
      }
    });
  }
  for (std::thread& t : dispatchers) t.join();
  const std::set<std::string> distinct(handed_out.begin(), handed_out.end());
  CHECK(handed_out.size() == kEvents + dispatched_before);
  CHECK(distinct.size() == handed_out.size());
  CHECK(distinct.count("evt_0") == 1);
  CHECK(distinct.count("evt_" + std::to_string(kEvents - 1)) == 1);
  auto nothing_left = f.storage->dispatch_outbox(
      10, f.clock.now(),
      [](WriteTransaction&, const std::vector<OutboxRecord>&) -> Status { return Status(); });
  REQUIRE(nothing_left.ok());
  CHECK(*nothing_left == 0);
}

TEST_CASE("the store refuses overlapping occupancies and the transaction goes on", "[postgres]") {
  if (postgres_host().empty()) return;  // SQLite has no such constraint: one writer
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  Status status = f.storage->write({"testclinic", {"dr-a"}}, [&](WriteTransaction& tx) -> Status {
    REQUIRE(tx.insert_booking(follow_up("b_a", "2027-01-20T15:00:00Z", 15)).ok());
    Status overlapping = tx.insert_booking(follow_up("b_b", "2027-01-20T15:10:00Z", 15));
    REQUIRE_FALSE(overlapping.ok());
    CHECK(is_occupancy_conflict(overlapping.error()));
    REQUIRE(tx.insert_booking(follow_up("b_c", "2027-01-20T15:15:00Z", 15)).ok());
    BookingRecord moved = follow_up("b_c", "2027-01-20T15:05:00Z", 15);
    Status update = tx.update_booking(moved);
    REQUIRE_FALSE(update.ok());
    CHECK(is_occupancy_conflict(update.error()));
    BookingRecord cancelled = follow_up("b_b", "2027-01-20T15:10:00Z", 15);
    cancelled.status = BookingStatus::kCancelled;  // cancelled bookings occupy nothing
    return tx.insert_booking(cancelled);
  });
  REQUIRE(status.ok());
  (void)f.storage->read([&](ReadView& view) -> Status {
    auto c = view.booking("b_c");
    REQUIRE(c.ok());
    REQUIRE(c->has_value());
    CHECK((*c)->start_utc == utc("2027-01-20T15:15:00Z"));  // the refused move left it
    auto b = view.booking("b_b");
    REQUIRE(b.ok());
    REQUIRE(b->has_value());
    CHECK((*b)->status == BookingStatus::kCancelled);
    return Status();
  });
}

TEST_CASE("a time the engine accepts but the store refuses is answered as conflict", "[postgres]") {
  if (postgres_host().empty()) return;
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  // Stored as if booked when follow-ups kept 15 minutes after them: the store still holds
  // 15:00-15:30, the engine (today's configuration, no buffer) sees 15:00-15:15 busy.
  REQUIRE(f.storage
              ->write({"testclinic", {"dr-a"}},
                      [&](WriteTransaction& tx) {
                        return tx.insert_booking(follow_up("b_old", "2027-01-20T15:00:00Z", 30));
                      })
              .ok());
  NewBooking request = new_booking("2027-01-20T15:15:00Z");
  request.appointment_type = "follow-up";
  f.published.clear();
  auto booked = service.book(request, nullptr);
  REQUIRE(booked.ok());
  CHECK(booked->decision.refusal == Refusal::kConflict);
  CHECK(booked->decision.booking.id.empty());
  CHECK(f.published.empty());
  CHECK(f.booking_count() == 1);
}

}  // namespace
}  // namespace slotbook::server::testing

namespace slotbook::server::testing {

TEST_CASE("calendar connections, their busy spans, links, states and feeds are kept") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  CalendarConnectionRecord c;
  c.id = "cal_1";
  c.clinic_id = "testclinic";
  c.practitioner_id = "dr-a";
  c.provider = "google";
  c.status = "connected";
  c.sealed_tokens = "c2VhbGVk";
  c.connected_at = utc("2027-01-11T14:00:00Z");
  const std::vector<TimeWindow> spans = {
      {utc("2027-01-12T15:00:00Z"), utc("2027-01-12T16:00:00Z")},
      {utc("2027-01-13T15:00:00Z"), utc("2027-01-13T16:00:00Z")}};
  REQUIRE(f.storage
              ->write({"testclinic", {"dr-a"}},
                      [&](WriteTransaction& tx) -> Status {
                        if (Status st = tx.put_calendar_connection(c); !st.ok()) return st;
                        if (Status st =
                                tx.replace_external_busy("cal_1", "testclinic", "dr-a", spans);
                            !st.ok()) {
                          return st;
                        }
                        c.last_error = "a second put replaces";
                        return tx.put_calendar_connection(c);
                      })
              .ok());
  REQUIRE(f.storage
              ->read([&](ReadView& view) -> Status {
                auto all = view.calendar_connections("");
                REQUIRE(all.ok());
                REQUIRE(all->size() == 1);
                CHECK(all->front().last_error == "a second put replaces");
                CHECK(view.calendar_connections("dr-b")->empty());
                // An empty practitioner means every one (not "the one named ''").
                auto busy = view.external_busy(
                    "testclinic", {utc("2027-01-12T00:00:00Z"), utc("2027-01-13T00:00:00Z")}, {});
                REQUIRE(busy.ok());
                REQUIRE(busy->size() == 1);
                CHECK(busy->front().span.from == spans[0].from);
                CHECK(view.external_busy("testclinic",
                                         {utc("2027-01-12T00:00:00Z"), utc("2027-01-14T00:00:00Z")},
                                         "dr-a")
                          ->size() == 2);
                CHECK(view.external_busy("testclinic",
                                         {utc("2027-01-12T00:00:00Z"), utc("2027-01-14T00:00:00Z")},
                                         "dr-b")
                          ->empty());
                return Status();
              })
              .ok());

  CalendarLinkRecord link{
      "b_1", "cal_1", "evt-1", "https://meet.example/x", spans[0], utc("2027-01-11T14:00:00Z")};
  OAuthStateRecord state{"hash",
                         "testclinic",
                         "dr-a",
                         "google",
                         "https://x/cb",
                         "sealed",
                         "by",
                         utc("2027-01-11T14:00:00Z"),
                         utc("2027-01-11T14:10:00Z")};
  REQUIRE(f.storage
              ->write({},
                      [&](WriteTransaction& tx) -> Status {
                        if (Status st = tx.put_calendar_link(link); !st.ok()) return st;
                        link.external_id = "evt-2";
                        if (Status st = tx.put_calendar_link(link); !st.ok()) return st;
                        if (Status st = tx.put_oauth_state(state, utc("2027-01-11T14:00:00Z"));
                            !st.ok()) {
                          return st;
                        }
                        return tx.put_calendar_feed(
                            {"testclinic", "dr-a", "feedhash", utc("2027-01-11T14:00:00Z")});
                      })
              .ok());
  REQUIRE(f.storage
              ->read([&](ReadView& view) -> Status {
                auto links = view.calendar_links("b_1");
                REQUIRE(links->size() == 1);
                CHECK(links->front().external_id == "evt-2");
                CHECK(view.calendar_links_into("cal_1", spans[0])->size() == 1);
                CHECK(view.calendar_links_into("cal_1", spans[1])->empty());
                CHECK((*view.oauth_state("hash"))->redirect_uri == "https://x/cb");
                CHECK((*view.calendar_feed_for_token("feedhash"))->practitioner_id == "dr-a");
                CHECK_FALSE(*view.calendar_feed_for_token("other"));
                return Status();
              })
              .ok());
  // A later state sweeps the expired one; a deleted connection takes its spans and links.
  REQUIRE(f.storage
              ->write({"testclinic", {"dr-a"}},
                      [&](WriteTransaction& tx) -> Status {
                        OAuthStateRecord later = state;
                        later.state_hash = "later";
                        later.expires_at = utc("2027-01-11T15:00:00Z");
                        if (Status st = tx.put_oauth_state(later, utc("2027-01-11T14:30:00Z"));
                            !st.ok()) {
                          return st;
                        }
                        CHECK(*tx.delete_calendar_connection("cal_1"));
                        CHECK_FALSE(*tx.delete_calendar_connection("cal_1"));
                        return Status();
                      })
              .ok());
  REQUIRE(f.storage
              ->read([&](ReadView& view) -> Status {
                CHECK_FALSE(*view.oauth_state("hash"));
                CHECK(*view.oauth_state("later"));
                CHECK(view.calendar_links("b_1")->empty());
                CHECK(view.external_busy("testclinic", {UtcSeconds::min(), UtcSeconds::max()}, {})
                          ->empty());
                return Status();
              })
              .ok());
}

}  // namespace slotbook::server::testing
