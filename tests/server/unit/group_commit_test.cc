// Concurrent write() calls: each commits or fails alone and sees those committed before
// it. On SQLite (storage/sqlite/storage.h) that is group commit: they share one
// transaction, each in its own savepoint, and return only after the one commit.
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "service_fixture.h"

namespace slotbook::server::testing {
namespace {

BookingRecord plain_booking(const std::string& id, int minute) {
  return stored_booking(id, "consultation",
                        utc("2027-02-01T14:00:00Z") + std::chrono::minutes(minute), 1);
}

TEST_CASE("concurrent writes: a failed or throwing work is undone alone, the rest commit") {
  ServiceFixture f;
  REQUIRE(f.service(*f.storage).put_clinic(test_clinic_json()).ok());
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::atomic<int> committed{0}, refused{0}, thrown{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const int n = t * kWrites + i;
        const std::string id = "b" + std::to_string(n);
        try {
          Status status = f.storage->write({"testclinic", {}}, [&](WriteTransaction& tx) -> Status {
            if (Status inserted = tx.insert_booking(plain_booking(id, n)); !inserted.ok()) {
              return inserted;
            }
            if (n % 5 == 1) return storage_failure("refused on purpose, after the insert");
            if (n % 7 == 3) throw std::runtime_error("thrown on purpose, after the insert");
            return Status();
          });
          (status.ok() ? committed : refused) += 1;
        } catch (const std::runtime_error&) {
          thrown += 1;  // rethrown in the thread whose work threw
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(committed + refused + thrown == kThreads * kWrites);
  CHECK(refused > 0);
  CHECK(thrown > 0);
  CHECK(f.booking_count() == committed);
  // Exactly the committed ones are stored.
  (void)f.storage->read([&](ReadView& view) -> Status {
    for (int n = 0; n < kThreads * kWrites; ++n) {
      const bool kept = n % 5 != 1 && n % 7 != 3;
      auto found = view.booking("b" + std::to_string(n));
      REQUIRE(found.ok());
      CHECK(found->has_value() == kept);
    }
    return Status();
  });
}

TEST_CASE("a write sees the writes committed in the same batch before it") {
  // Bookings of one slot from many threads: whatever batches form, exactly one wins,
  // because each work validates against the state that includes the ones before it.
  ServiceFixture f;
  BookingService service = f.service(*f.storage);
  REQUIRE(service.put_clinic(test_clinic_json()).ok());
  std::atomic<int> booked{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      auto result = service.book(new_booking("2027-01-14T15:00:00Z"), nullptr);
      if (result.ok() && result->decision.refusal == Refusal::kNone) booked += 1;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(booked == 1);
  CHECK(f.booking_count() == 1);
}

}  // namespace
}  // namespace slotbook::server::testing
