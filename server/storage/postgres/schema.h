// The PostgreSQL schema as an ordered list of migrations, and the migrator. Migration i
// (1-based) brings a database from schema_version i-1 to i. Never edit a released
// migration: append.
#ifndef SLOTBOOK_SERVER_STORAGE_POSTGRES_SCHEMA_H_
#define SLOTBOOK_SERVER_STORAGE_POSTGRES_SCHEMA_H_

#include <vector>

#include "common/expected.h"

namespace slotbook::server {

class PgConnection;

const std::vector<const char*>& postgres_migrations();

// Brings the database to the newest schema and returns its version. Holds a session
// advisory lock meanwhile, so processes starting at the same moment migrate one after
// the other (the later ones find nothing to do). Fails with kStorage when the database's
// schema is newer than this build knows.
Expected<int> migrate_postgres(PgConnection& connection);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_POSTGRES_SCHEMA_H_
