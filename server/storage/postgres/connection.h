// A thin RAII layer over one libpq connection: statements prepared once per connection
// and cached by SQL text, every value a parameter (never spliced into SQL), results
// owned, errors as values. A failure says whether the connection is gone (the server
// answers 503 and the pool opens a new one) and carries the SQLSTATE, so callers can
// retry serialization failures and deadlocks. Not thread-safe: one thread at a time
// (PgStorage's pool sees to that).
#ifndef SLOTBOOK_SERVER_STORAGE_POSTGRES_CONNECTION_H_
#define SLOTBOOK_SERVER_STORAGE_POSTGRES_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/expected.h"

struct pg_conn;
struct pg_result;

namespace slotbook::server {

// Statement parameters, $1 upwards in the order added; text format, bytes in binary.
class PgParams {
 public:
  PgParams& add(std::string_view text);
  PgParams& add(std::int64_t value) { return add(std::to_string(value)); }
  PgParams& add(const std::optional<std::int64_t>& value);
  PgParams& add_nullable(const std::optional<std::string>& text);  // nullopt: NULL
  // Instants are stored as Unix seconds (BIGINT), as in SQLite.
  PgParams& add(UtcSeconds time) { return add(to_unix(time)); }
  PgParams& add(const std::optional<UtcSeconds>& time) {
    return add(time ? std::optional<std::int64_t>(to_unix(*time)) : std::nullopt);
  }
  PgParams& add_bytes(std::string_view bytes);

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  const std::vector<int>& lengths() const { return lengths_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// One row of a result; the accessors are named like SqliteStatement's so both backends
// read bookings through one function (storage/booking_columns.h).
class PgRow {
 public:
  PgRow(const pg_result* result, int row) : result_(result), row_(row) {}
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::string bytes(int column) const;  // a bytea column, unescaped
  UtcSeconds time(int column) const { return from_unix(integer(column)); }
  std::optional<UtcSeconds> optional_time(int column) const {
    auto value = optional_integer(column);
    return value ? std::optional<UtcSeconds>(from_unix(*value)) : std::nullopt;
  }

 private:
  const pg_result* result_;
  int row_;
};

class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result, &clear) {}
  int rows() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;
  PgRow row(int index) const { return PgRow(result_.get(), index); }
  const pg_result* get() const { return result_.get(); }

 private:
  static void clear(pg_result* result);
  std::unique_ptr<pg_result, void (*)(pg_result*)> result_;
};

// SQLSTATEs the storage layer acts on.
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kExclusionViolation = "23P01";

class PgConnection {
 public:
  // Connects to `uri` (a libpq connection URI; libpq also reads PGPASSWORD and
  // ~/.pgpass). Connecting gives up after 5 s unless the URI sets connect_timeout.
  static Expected<std::unique_ptr<PgConnection>> open(const std::string& uri);
  ~PgConnection();

  // Runs SQL text without parameters (BEGIN, COMMIT, migrations; may hold several
  // statements).
  Status exec(const std::string& sql);
  // Runs `sql` as a statement prepared on this connection the first time it is seen.
  Expected<PgResult> query(const std::string& sql, const PgParams& params = PgParams());

  // Whether the connection is still usable; a broken one is closed, not reused.
  bool broken() const;
  // The SQLSTATE of the last failed statement ("" when it succeeded or had none).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  pg_conn* handle() const { return conn_; }

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  // A Failure for the failed `result` (or the connection's error when null); records
  // its SQLSTATE.
  Failure failure(const pg_result* result, std::string_view what);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared name
  std::string last_sqlstate_;
  bool lost_ = false;  // a failure showed the connection is gone
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_POSTGRES_CONNECTION_H_
