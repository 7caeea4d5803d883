// SqliteStorage: the embedded default Storage (storage.h) on one SQLite file.
//
// WAL journal, synchronous=FULL (a commit is on disk before write() returns), foreign
// keys on, busy_timeout 5 s. One writer connection runs writes as BEGIN IMMEDIATE ...
// COMMIT, so writes are serialized in this process and against any other process on the
// same file. Group commit: the write() calls that arrive while a transaction runs wait and
// then run together in the next one, in arrival order, each in its own savepoint (it sees
// the changes of those before it; a failed one is rolled back alone), with one commit and
// one fsync for all; each write() returns only after that commit. A pool of reader
// connections serves read() in parallel (WAL readers never block the writer). The schema
// is migrated on open (sqlite_schema.h), and the leases of pending deliveries are
// released: one process owns the file, so a lease it finds was held by itself before it
// was killed, and the delivery is due again at once.
// Thread-safe.
#ifndef SLOTBOOK_SERVER_STORAGE_SQLITE_STORAGE_H_
#define SLOTBOOK_SERVER_STORAGE_SQLITE_STORAGE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/storage.h"

namespace slotbook::server {

class SqliteConnection;

class SqliteStorage final : public Storage {
 public:
  // Opens or creates the database at `path` and migrates it to the newest schema, with
  // `readers` reader connections (at least 1). Fails with kStorage if the file cannot be
  // opened or its schema is newer than this build knows.
  static Expected<std::unique_ptr<SqliteStorage>> open(const std::string& path, int readers);
  ~SqliteStorage() override;

  Status write(const WriteScope& scope,
               const std::function<Status(WriteTransaction&)>& work) override;
  Status read(const std::function<Status(ReadView&)>& work) override;
  Expected<std::int64_t> prune_holds(UtcSeconds now) override;
  Expected<std::int64_t> prune_answers(UtcSeconds created_before,
                                       std::int64_t keep_per_client) override;

  // What the connections (the writer and each idle reader) report they run with, as
  // "journal_mode=wal synchronous=2" (2 is FULL), or the first reader that differs.
  // The server logs it at start; tests hold it to the promise above.
  Expected<std::string> durability();

 private:
  struct PendingWrite;
  SqliteStorage() = default;
  // Runs the works of `batch` in order in one transaction, each in a savepoint, and
  // commits once.
  void run_batch(const std::vector<PendingWrite*>& batch);
  SqliteConnection* acquire_reader();
  void release_reader(SqliteConnection* connection);

  // Group commit: write() calls that arrive while a batch runs queue up and go together
  // in the next one, so one fsync makes many bookings durable.
  std::mutex queue_mutex_;
  std::condition_variable batch_done_;
  std::vector<PendingWrite*> queue_;
  bool batch_running_ = false;

  std::mutex write_mutex_;  // the writer connection (batches, pruning)
  std::unique_ptr<SqliteConnection> writer_;

  std::mutex readers_mutex_;
  std::condition_variable reader_available_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> idle_readers_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_SQLITE_STORAGE_H_
