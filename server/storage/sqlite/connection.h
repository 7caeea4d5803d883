// A thin RAII layer over one sqlite3 connection: prepared statements cached per SQL
// text, every value bound (never spliced into SQL), errors as values. Not thread-safe:
// one connection is used by one thread at a time (SqliteStorage sees to that).
#ifndef SLOTBOOK_SERVER_STORAGE_SQLITE_CONNECTION_H_
#define SLOTBOOK_SERVER_STORAGE_SQLITE_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/expected.h"

struct sqlite3;
struct sqlite3_stmt;

namespace slotbook::server {

// A cached prepared statement in use; resets and clears its bindings when destroyed.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& bind(int index, std::string_view text);
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, const std::optional<std::int64_t>& value);
  SqliteStatement& bind_blob(int index, std::string_view bytes);
  // Instants are stored as Unix seconds.
  SqliteStatement& bind(int index, UtcSeconds time) { return bind(index, to_unix(time)); }
  SqliteStatement& bind(int index, const std::optional<UtcSeconds>& time) {
    return bind(index, time ? std::optional<std::int64_t>(to_unix(*time)) : std::nullopt);
  }

  // Advances: true when a row is available, false when done.
  Expected<bool> step();
  // Runs to completion (for statements without rows).
  Status run();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::string blob(int column) const;
  UtcSeconds time(int column) const { return from_unix(integer(column)); }
  std::optional<UtcSeconds> optional_time(int column) const {
    auto value = optional_integer(column);
    return value ? std::optional<UtcSeconds>(from_unix(*value)) : std::nullopt;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  // Opens `path` (created if missing) and applies the connection pragmas.
  static Expected<std::unique_ptr<SqliteConnection>> open(const std::string& path);
  ~SqliteConnection();

  // Runs SQL text without parameters (pragmas, BEGIN/COMMIT, migrations).
  Status exec(const char* sql);
  // The cached statement for `sql`, ready to bind.
  Expected<SqliteStatement> prepare(const std::string& sql);

  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// A Failure describing the connection's last SQLite error, prefixed by `what`.
Failure sqlite_failure(sqlite3* db, std::string_view what);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_SQLITE_CONNECTION_H_
