// The SQLite schema as an ordered list of migrations. Migration i (1-based) brings a
// database from PRAGMA user_version i-1 to i. Never edit a released migration: append.
#ifndef SLOTBOOK_SERVER_STORAGE_SQLITE_SCHEMA_H_
#define SLOTBOOK_SERVER_STORAGE_SQLITE_SCHEMA_H_

#include <vector>

namespace slotbook::server {

const std::vector<const char*>& sqlite_migrations();

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_SQLITE_SCHEMA_H_
