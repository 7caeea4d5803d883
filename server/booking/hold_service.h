// HoldService: a patient's short reservation of a slot while they type their details
// (docs/api.md "Holds"). A hold is taken only where the engine would accept a booking
// (placement.h), in the same kind of scoped write, so a hold and a booking can never share
// a time. While it lives it occupies the time for everyone else (engine_snapshot.h loads
// it with the bookings); at `expires_at` it is simply gone, and the periodic cleanup
// removes its row (Storage::prune_holds). A hold fixes the practitioner, so a booking
// made with it cannot change who it is with. It carries no patient data; its token is
// stored hashed.
//
// Every change appends a hold.changed event (domain_event.h), which rebuilds the widget
// snapshots of every process. Thread-safe.
#ifndef SLOTBOOK_SERVER_BOOKING_HOLD_SERVICE_H_
#define SLOTBOOK_SERVER_BOOKING_HOLD_SERVICE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "booking/clinic_config.h"
#include "booking/domain_event.h"
#include "common/clock.h"
#include "common/expected.h"
#include "slotbook/engine.h"
#include "storage/records.h"

namespace slotbook::server {

class ClinicCatalog;
class Storage;
class WriteTransaction;

struct HoldRequest {
  std::string clinic_id;
  std::string appointment_type;
  std::string practitioner_id;  // an id, or "any": the hold fixes one
  Instant start;
};

struct HoldDecision {
  Refusal refusal = Refusal::kNone;  // kNone: `hold` is stored
  HoldRecord hold;
  std::string token;  // the plain token, only in this answer
  int renewals_left = 0;
};

// What a booking carries to use its hold (hold_id, hold_token).
struct HoldClaim {
  std::string id;
  std::string token;
  bool empty() const { return id.empty(); }
};

// Whether `hold` is `claim`'s and covers a booking in `clinic_id` of `type` at `start` with
// `practitioner_id` (or "any") at `now`: same slot, still alive, the right token.
bool hold_covers(const HoldRecord& hold, const HoldClaim& claim, std::string_view clinic_id,
                 std::string_view type, std::string_view practitioner_id, UtcSeconds start,
                 UtcSeconds now);

class HoldService {
 public:
  HoldService(Storage& storage, ClinicCatalog& catalog, const Clock& clock, const EventBus& events)
      : storage_(storage), catalog_(catalog), clock_(clock), events_(events) {}

  // Holds the slot for the clinic's hold_minutes if the engine finds it free (refusal
  // otherwise, as a booking's). Failures: clinic_not_found, holds_disabled (kInvalidState:
  // the clinic's hold_minutes is 0), storage.
  Expected<HoldDecision> hold(const HoldRequest& request);
  // Extends a live hold by the clinic's hold_minutes from now, at most kMaxHoldRenewals
  // times. Failures: hold_not_found (unknown, expired, or another token),
  // renewal_limit_reached (kInvalidState), storage.
  Expected<HoldDecision> renew(std::string_view id, std::string_view token);
  // Frees the slot. Failures: hold_not_found, storage.
  Status release(std::string_view id, std::string_view token);

 private:
  // Loads hold `id` under its practitioner's scope and hands it to `change` when it is
  // alive and `token`'s; publishes the hold.changed event after commit.
  using Change = std::function<Status(WriteTransaction&, HoldRecord&, const ClinicConfig&)>;
  Status change_hold(std::string_view id, std::string_view token, const Change& change);

  Storage& storage_;
  ClinicCatalog& catalog_;
  const Clock& clock_;
  const EventBus& events_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_HOLD_SERVICE_H_
