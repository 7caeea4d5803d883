// What the service tests share: a fresh database, the test clinic, a clock the test
// moves, and the events the bus published. The database is a SQLite file, or a fresh
// PostgreSQL database when SLOTBOOK_TEST_POSTGRES_HOST names the socket directory of a
// cluster to create it in (tests/server/pg_cluster.py run -- server_unit_tests).
#ifndef SLOTBOOK_TESTS_SERVER_UNIT_SERVICE_FIXTURE_H_
#define SLOTBOOK_TESTS_SERVER_UNIT_SERVICE_FIXTURE_H_

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "booking/booking_service.h"
#include "booking/clinic_catalog.h"
#include "slotbook/system_zones.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/storage.h"
#include "storage/sqlite/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(UtcSeconds now) : now_(now) {}
  UtcSeconds now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  UtcSeconds now_;
};

inline UtcSeconds utc(const char* rfc3339) { return to_seconds(*parse_instant(rfc3339)); }

inline nlohmann::json test_clinic_json() {
  std::ifstream in(SLOTBOOK_TEST_CLINIC);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// A new empty directory under the system's temp directory.
inline std::filesystem::path fresh_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "slotbook-unit-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// A storage that wraps another (for decorators that fail or retry on purpose).
class ForwardingStorage : public Storage {
 public:
  explicit ForwardingStorage(Storage& inner) : inner_(inner) {}
  Status write(const WriteScope& scope,
               const std::function<Status(WriteTransaction&)>& work) override {
    return inner_.write(scope, work);
  }
  Status read(const std::function<Status(ReadView&)>& work) override { return inner_.read(work); }
  Expected<std::int64_t> prune_answers(UtcSeconds before, std::int64_t keep) override {
    return inner_.prune_answers(before, keep);
  }
  Expected<std::int64_t> prune_holds(UtcSeconds now) override { return inner_.prune_holds(now); }

 protected:
  Storage& inner_;
};

// The cluster the tests may create PostgreSQL databases in; empty: SQLite only.
inline std::string postgres_host() {
  const char* host = std::getenv("SLOTBOOK_TEST_POSTGRES_HOST");
  return host ? host : "";
}

inline std::string postgres_uri(const std::string& database) {
  return "postgresql://postgres@/" + database + "?host=" + postgres_host();
}

// A database of its own on the test cluster for as long as it lives.
class PostgresDatabase {
 public:
  PostgresDatabase() : name_("unit_" + random_code("abcdefghijklmnopqrstuvwxyz", 12)) {
    admin("CREATE DATABASE " + name_);
  }
  ~PostgresDatabase() { admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); }
  std::string uri() const { return postgres_uri(name_); }

 private:
  static void admin(const std::string& sql) {
    auto connection = PgConnection::open(postgres_uri("postgres"));
    if (!connection.ok()) throw std::runtime_error(connection.error().message);
    Status done = (*connection)->exec(sql);
    if (!done.ok()) throw std::runtime_error(done.error().message);
  }
  std::string name_;
};

struct ServiceFixture {
  const std::filesystem::path dir = fresh_directory();
  // 2027-01-11 is a Monday; the clinic opens 08:00-18:00 New York every day.
  ManualClock clock{utc("2027-01-11T14:00:00Z")};
  SystemZoneSource zones;
  std::unique_ptr<PostgresDatabase> postgres;  // before the storage that uses it
  std::unique_ptr<Storage> storage;
  ClinicCatalog catalog{zones};
  EventBus bus;
  std::vector<DomainEvent> published;

  ServiceFixture() {
    if (!postgres_host().empty()) {
      postgres = std::make_unique<PostgresDatabase>();
      auto opened = PgStorage::open(postgres->uri(), 4);
      if (!opened.ok()) throw std::runtime_error(opened.error().message);
      storage = std::move(*opened);
    } else {
      auto opened = SqliteStorage::open((dir / "bookings.db").string(), 2);
      if (!opened.ok()) throw std::runtime_error(opened.error().message);
      storage = std::move(*opened);
    }
    bus.subscribe([this](const DomainEvent& event) { published.push_back(event); });
  }
  ~ServiceFixture() {
    storage.reset();
    postgres.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  BookingService service(Storage& storage) {
    return BookingService(storage, catalog, zones, clock, bus);
  }

  std::vector<OutboxRecord> outbox() {
    std::vector<OutboxRecord> out;
    (void)storage->read([&](ReadView& view) -> Status {
      auto rows = view.outbox_after(0, 1000);
      if (rows.ok()) out = *rows;
      return Status();
    });
    return out;
  }

  std::int64_t booking_count() {
    std::int64_t total = 0;
    (void)storage->read([&](ReadView& view) -> Status {
      BookingFilter all;
      all.clinic_id = "testclinic";
      all.start_before = utc("2100-01-01T00:00:00Z");
      (void)view.list_bookings(all, &total);
      return Status();
    });
    return total;
  }
};

// A booking row as storage keeps it, for tests that write behind the service: dr-a's,
// `minutes` long from `start`, occupying `occupied_minutes` from its start (default: its
// own time).
inline BookingRecord stored_booking(const std::string& id, const char* type, UtcSeconds start,
                                    int minutes, int occupied_minutes = 0) {
  BookingRecord b;
  b.id = id;
  b.clinic_id = "testclinic";
  b.practitioner_id = "dr-a";
  b.appointment_type = type;
  b.start_utc = start;
  b.end_utc = start + std::chrono::minutes(minutes);
  b.occupancy = {start, start + std::chrono::minutes(std::max(minutes, occupied_minutes))};
  b.confirmation_number = "CP-" + id;
  b.patient_name = "Pat";
  b.source = "staff";
  return b;
}

inline NewBooking new_booking(const char* start, const char* practitioner = "dr-a") {
  NewBooking b;
  b.clinic_id = "testclinic";
  b.appointment_type = "consultation";
  b.practitioner_id = practitioner;
  b.start = *parse_instant(start);
  b.patient = {"Pat Patient", "pat@example.com", ""};
  b.source = "widget";
  return b;
}

}  // namespace slotbook::server::testing

#endif  // SLOTBOOK_TESTS_SERVER_UNIT_SERVICE_FIXTURE_H_
