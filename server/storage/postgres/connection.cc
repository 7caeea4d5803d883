#include "storage/postgres/connection.h"

#include <libpq-fe.h>

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "common/log_text.h"

namespace slotbook::server {
namespace {

// SQLSTATE classes that mean the server went away or refuses work for now (connection
// exception, operator intervention: shutdown, crash recovery), as opposed to a fault in
// the statement.
bool means_unavailable(std::string_view sqlstate) {
  return sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

PgParams& PgParams::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::add(const std::optional<std::int64_t>& value) {
  if (value) return add(*value);
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::add_nullable(const std::optional<std::string>& text) {
  if (text) return add(std::string_view(*text));
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::add_bytes(std::string_view bytes) {
  values_.emplace_back(std::string(bytes));
  lengths_.push_back(static_cast<int>(bytes.size()));
  formats_.push_back(1);
  return *this;
}

std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

std::string PgRow::text(int column) const {
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::int64_t PgRow::integer(int column) const {
  return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10);
}

std::optional<std::int64_t> PgRow::optional_integer(int column) const {
  if (PQgetisnull(result_, row_, column)) return std::nullopt;
  return integer(column);
}

std::string PgRow::bytes(int column) const {
  std::size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &length);
  if (!raw) return std::string();
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

int PgResult::rows() const { return PQntuples(result_.get()); }

std::int64_t PgResult::affected() const {
  return std::strtoll(PQcmdTuples(result_.get()), nullptr, 10);
}

void PgResult::clear(pg_result* result) { PQclear(result); }

Expected<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& uri) {
  // Settings before the expanded URI are defaults that the URI may override.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"5", "booking-server", uri.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return storage_unavailable("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return storage_unavailable(std::move(message));
  }
  // Server notices (a WARNING before an immediate shutdown, say) go to the log, in its
  // format, instead of straight to stderr.
  PQsetNoticeProcessor(
      conn,
      [](void*, const char* message) {
        spdlog::warn("PostgreSQL: {}", log_text(trimmed(message)));
      },
      nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(conn));
  // A statement (or a lock wait) that runs away must not hold a request thread forever;
  // an open transaction left idle by a stuck client of ours must not hold locks forever.
  Status configured = connection->exec(
      "SET statement_timeout = '30s'; SET idle_in_transaction_session_timeout = '60s'; "
      "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
  if (!configured.ok()) return configured.error();
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::broken() const { return lost_ || PQstatus(conn_) != CONNECTION_OK; }

Failure PgConnection::failure(const pg_result* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string message(what);
  message += ": ";
  message += trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  // No SQLSTATE: libpq's own error, which means the connection is gone (the server
  // closed it, the network dropped) even before PQstatus says so.
  if (last_sqlstate_.empty()) lost_ = true;
  if (broken() || means_unavailable(last_sqlstate_)) {
    return storage_unavailable(std::move(message));
  }
  return storage_failure(std::move(message));
}

Status PgConnection::exec(const std::string& sql) {
  PgResult result(PQexec(conn_, sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return failure(result.get(), sql);
  last_sqlstate_.clear();
  return Status();
}

Expected<PgResult> PgConnection::query(const std::string& sql, const PgParams& params) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string name = "s" + std::to_string(statements_.size() + 1);
    PgResult prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return failure(prepared.get(), "prepare " + sql);
    }
    it = statements_.emplace(sql, std::move(name)).first;
  }
  const std::vector<const char*> values = params.pointers();
  PgResult result(PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(),
                                 params.lengths().data(), params.formats().data(),
                                 /*resultFormat=*/0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return failure(result.get(), sql);
  last_sqlstate_.clear();
  return result;
}

}  // namespace slotbook::server
