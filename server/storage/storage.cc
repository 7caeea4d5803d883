#include "storage/storage.h"

namespace slotbook::server {

Expected<int> Storage::dispatch_outbox(int limit, UtcSeconds now, const OutboxHandler& handle) {
  int dispatched = 0;
  Status status = write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    dispatched = 0;  // `work` may run again
    auto records = tx.claim_undispatched(limit);
    if (!records.ok()) return records.error();
    if (records->empty()) return Status();
    if (Status handled = handle(tx, *records); !handled.ok()) return handled;
    if (Status marked = tx.mark_dispatched(*records, now); !marked.ok()) return marked;
    dispatched = static_cast<int>(records->size());
    return Status();
  });
  if (!status.ok()) return status.error();
  return dispatched;
}

}  // namespace slotbook::server
