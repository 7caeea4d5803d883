// A database made by an older build is brought to the newest schema with its rows kept.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "service_fixture.h"
#include "storage/sqlite/schema.h"

namespace slotbook::server::testing {
namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO((message ? message : ""));
  sqlite3_free(message);
  REQUIRE(rc == SQLITE_OK);
}

TEST_CASE("migrating a version 3 database keeps its outbox and bookings") {
  const std::filesystem::path dir = fresh_directory();
  const std::string path = (dir / "old.db").string();
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    for (std::size_t i = 0; i < 3; ++i) exec(db, sqlite_migrations()[i]);
    exec(db, "PRAGMA user_version = 3");
    exec(db, "INSERT INTO clinics VALUES ('c', '{}', 1, 0)");
    exec(db,
         "INSERT INTO outbox (event_id, clinic_id, kind, booking_id, occurred_at, payload) "
         "VALUES ('evt_1', 'c', 'booking.created', 'b_1', 100, '{\"id\":\"evt_1\"}'), "
         "('evt_2', 'c', 'booking.cancelled', 'b_1', 200, '{\"id\":\"evt_2\"}')");
    sqlite3_close(db);
  }
  auto opened = SqliteStorage::open(path, 1);
  REQUIRE(opened.ok());
  std::vector<OutboxRecord> rows;
  REQUIRE((*opened)
              ->read([&](ReadView& view) -> Status {
                auto found = view.outbox_after(0, 10);
                if (found.ok()) rows = *found;
                return found.ok() ? Status() : Status(found.error());
              })
              .ok());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].event_id == "evt_1");
  CHECK(rows[1].kind == "booking.cancelled");
  CHECK(rows[1].position > rows[0].position);
  opened->reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("every connection runs in WAL mode with synchronous=FULL") {
  // A kill -9 cannot tell synchronous=FULL from OFF (the OS still has the pages), so the
  // durability tests need this one: a commit must reach the disk before it is answered.
  const auto path = fresh_directory() / "durable.db";
  auto storage = SqliteStorage::open(path.string(), 3);
  REQUIRE(storage.ok());
  auto durability = (*storage)->durability();
  REQUIRE(durability.ok());
  CHECK(*durability == "journal_mode=wal synchronous=2");
}

}  // namespace
}  // namespace slotbook::server::testing
