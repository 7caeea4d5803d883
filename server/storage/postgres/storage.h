// PgStorage: Storage (storage.h) on PostgreSQL, for several booking-server processes on
// one database.
//
// Writes: READ COMMITTED transactions that first take transaction-scoped advisory locks
// on what their scope names, always in one order (configuration changes, the clinic, the
// idempotency key, the practitioners sorted), so writes that may touch the same
// practitioner run one after the other in every process and two writes cannot deadlock:
// a configuration change takes its clinic exclusively (and the lock of all configuration
// changes), a booking write takes its clinic shared and each practitioner exclusively.
// Under those locks every statement reads the latest committed state, which is what makes
// "read occupancy, ask the engine, insert" race-free. Serialization failures, deadlocks
// and unique-key races re-run the work (at most kWriteAttempts times, with jitter), unseen
// by the caller. The bookings table's exclusion constraint (schema.cc) refuses
// overlapping occupancies even if a service forgot a lock: insert_booking and
// update_booking report that as occupancy_conflict(). Commits are durable with
// PostgreSQL's default synchronous_commit=on. A write whose scope names no clinic (the
// outbox's bookkeeping) takes no advisory lock: claim_undispatched's FOR UPDATE SKIP
// LOCKED keeps dispatchers apart.
//
// Reads: REPEATABLE READ READ ONLY transactions (one snapshot).
//
// Connections: a pool of at most `pool_size`, opened on demand; a connection that broke
// is closed and replaced by the next request that needs one. When the database has no
// slot for another connection, the pool keeps the ones it has and requests wait for
// them. While the database is
// unreachable, calls fail with kUnavailable (503) and recover by themselves when it
// returns. Each outbox insert NOTIFYs (delivered at commit); watch_changes LISTENs on one
// more connection of its own and reconnects with backoff.
// Thread-safe.
#ifndef SLOTBOOK_SERVER_STORAGE_POSTGRES_STORAGE_H_
#define SLOTBOOK_SERVER_STORAGE_POSTGRES_STORAGE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/storage.h"

namespace slotbook::server {

class PgConnection;

class PgStorage final : public Storage {
 public:
  static constexpr int kWriteAttempts = 8;

  // Connects to `uri`, migrates the schema (migrate_postgres) and keeps up to `pool_size`
  // connections (at least 1). Fails with kUnavailable when the database cannot be
  // reached, kStorage when the schema cannot be brought up to date.
  static Expected<std::unique_ptr<PgStorage>> open(const std::string& uri, int pool_size);
  // Migrates the database at `uri` and returns its schema version, keeping nothing open.
  static Expected<int> migrate(const std::string& uri);
  ~PgStorage() override;

  Status write(const WriteScope& scope,
               const std::function<Status(WriteTransaction&)>& work) override;
  Status read(const std::function<Status(ReadView&)>& work) override;
  Expected<std::int64_t> prune_holds(UtcSeconds now) override;
  Expected<std::int64_t> prune_answers(UtcSeconds created_before,
                                       std::int64_t keep_per_client) override;
  std::unique_ptr<ChangeWatch> watch_changes(
      std::function<void(const std::string& clinic_id)> on_change) override;

  // "synchronous_commit=on server_version=15.x ..." as the server reports them.
  Expected<std::string> durability();

 private:
  class Lease;
  PgStorage(std::string uri, int pool_size);
  Expected<Lease> acquire();
  void release(std::unique_ptr<PgConnection> connection);
  // Runs `work` once in a transaction opened by `begin` (SQL text: BEGIN and the locks)
  // on a pooled connection. `*retry` says whether the failure it returns is worth
  // another attempt.
  Status attempt(const std::string& begin, const std::function<Status(WriteTransaction&)>& work,
                 bool* retry);

  const std::string uri_;
  // At most --db-pool; lowered to what this process has when the database refuses a
  // connection for want of slots.
  int pool_cap_;
  std::mutex pool_mutex_;
  std::condition_variable connection_available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle or leased
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_POSTGRES_STORAGE_H_
