#include "storage/open_storage.h"

#include "storage/postgres/storage.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/storage.h"

namespace slotbook::server {

bool is_postgres_uri(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string redacted_db(std::string_view db) {
  std::string out(db);
  if (!is_postgres_uri(db)) return out;
  // postgresql://user:password@host/...: the userinfo ends at the authority's last '@'.
  const std::size_t authority = out.find("://") + 3;
  const std::size_t authority_end = out.find_first_of("/?", authority);
  const std::size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    const std::size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // ...?password=secret&...
  for (std::size_t key = out.find("password="); key != std::string::npos;
       key = out.find("password=", key + 1)) {
    const std::size_t value = key + 9;
    const std::size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

Expected<OpenedStorage> open_storage(const std::string& db, int connections) {
  if (is_postgres_uri(db)) {
    auto postgres = PgStorage::open(db, connections);
    if (!postgres.ok()) return postgres.error();
    auto durability = (*postgres)->durability();
    return OpenedStorage{std::move(*postgres), durability.ok() ? *durability : ""};
  }
  auto sqlite = SqliteStorage::open(db, connections);
  if (!sqlite.ok()) return sqlite.error();
  auto durability = (*sqlite)->durability();
  return OpenedStorage{std::move(*sqlite), durability.ok() ? *durability : ""};
}

Expected<int> migrate_storage(const std::string& db) {
  if (is_postgres_uri(db)) return PgStorage::migrate(db);
  auto sqlite = SqliteStorage::open(db, 1);  // opening migrates
  if (!sqlite.ok()) return sqlite.error();
  return static_cast<int>(sqlite_migrations().size());
}

}  // namespace slotbook::server
