#include "booking/hold_service.h"

#include <algorithm>

#include "booking/clinic_catalog.h"
#include "booking/hold_rules.h"
#include "booking/placement.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kHoldTokenBytes = 24;  // 192 bits, like a manage token

std::string hold_token_hash(std::string_view token) {
  return sha256_hex("hold:" + std::string(token));
}

Failure hold_not_found() {
  return not_found("hold_not_found", "no such hold: it was released, used or has run out");
}

}  // namespace

bool hold_covers(const HoldRecord& hold, const HoldClaim& claim, std::string_view clinic_id,
                 std::string_view type, std::string_view practitioner_id, UtcSeconds start,
                 UtcSeconds now) {
  return hold.id == claim.id &&
         constant_time_equals(hold_token_hash(claim.token), hold.token_hash) &&
         hold.clinic_id == clinic_id && hold.appointment_type == type && hold.start_utc == start &&
         (practitioner_id == "any" || hold.practitioner_id == practitioner_id) &&
         now < hold.expires_at;
}

Expected<HoldDecision> HoldService::hold(const HoldRequest& request) {
  const UtcSeconds now = clock_.now();
  auto clinic_now =
      read_value(storage_, [&](ReadView& view) { return catalog_.get(view, request.clinic_id); });
  if (!clinic_now.ok()) return clinic_now.error();
  if ((*clinic_now)->hold_minutes() == 0) {
    return Failure{FailureKind::kInvalidState, "holds_disabled", "this clinic does not hold times"};
  }
  // Sorted by id and unique, as a scope must be.
  const std::vector<std::string> who =
      placement_candidates(**clinic_now, request.appointment_type, false, request.practitioner_id);
  const WriteScope scope{request.clinic_id, who, {}};

  HoldDecision decision;
  std::vector<DomainEvent> events;
  Status status = storage_.write(scope, [&](WriteTransaction& tx) -> Status {
    decision = HoldDecision();  // `work` may run again
    events.clear();
    auto clinic = catalog_.get(tx, request.clinic_id);
    if (!clinic.ok()) return clinic.error();
    const ClinicConfig& config = **clinic;
    auto placement = place(
        tx, config,
        {request.appointment_type, std::nullopt, request.practitioner_id, request.start, {}, {}},
        now);
    if (!placement.ok()) return placement.error();
    decision.refusal = placement->refusal;
    if (decision.refusal == Refusal::kNone &&
        !std::binary_search(who.begin(), who.end(), placement->practitioner_id)) {
      decision.refusal = Refusal::kConflict;  // added to the clinic after the scope was taken
    }
    if (decision.refusal != Refusal::kNone) return Status();
    HoldRecord& h = decision.hold;
    h.id = "hold_" + random_code("0123456789abcdef", 24);
    decision.token = random_token(kHoldTokenBytes);
    h.token_hash = hold_token_hash(decision.token);
    h.clinic_id = request.clinic_id;
    h.practitioner_id = placement->practitioner_id;
    h.appointment_type = request.appointment_type;
    h.start_utc = to_seconds(request.start);
    h.end_utc = placement->end_utc;
    BookingRecord as_booking;  // the hold occupies what the booking would
    as_booking.appointment_type = h.appointment_type;
    as_booking.start_utc = h.start_utc;
    as_booking.end_utc = h.end_utc;
    h.occupancy = config.occupancy(as_booking);
    h.created_at = now;
    h.expires_at = now + std::chrono::minutes(config.hold_minutes());
    decision.renewals_left = kMaxHoldRenewals;
    if (Status stored = tx.put_hold(h); !stored.ok()) return stored;
    events.push_back(hold_event(h.clinic_id, h.practitioner_id, now));
    return tx.append_outbox(outbox_record(events.back()));
  });
  if (!status.ok()) return status.error();
  events_.publish(events);
  return decision;
}

Status HoldService::change_hold(std::string_view id, std::string_view token, const Change& change) {
  const UtcSeconds now = clock_.now();
  auto found = read_value(storage_, [&](ReadView& view) { return view.hold(id); });
  if (!found.ok()) return found.error();
  if (!found->has_value()) return hold_not_found();
  const WriteScope scope{(*found)->clinic_id, {(*found)->practitioner_id}, {}};
  std::vector<DomainEvent> events;
  Status status = storage_.write(scope, [&](WriteTransaction& tx) -> Status {
    events.clear();
    auto hold = tx.hold(id);
    if (!hold.ok()) return hold.error();
    if (!hold->has_value() || now >= (*hold)->expires_at ||
        !constant_time_equals(hold_token_hash(token), (*hold)->token_hash)) {
      return hold_not_found();
    }
    auto clinic = catalog_.get(tx, (*hold)->clinic_id);
    if (!clinic.ok()) return clinic.error();
    if (Status changed = change(tx, **hold, **clinic); !changed.ok()) return changed;
    events.push_back(hold_event((*hold)->clinic_id, (*hold)->practitioner_id, now));
    return tx.append_outbox(outbox_record(events.back()));
  });
  if (!status.ok()) return status;
  events_.publish(events);
  return Status();
}

Expected<HoldDecision> HoldService::renew(std::string_view id, std::string_view token) {
  HoldDecision decision;
  Status status = change_hold(
      id, token, [&](WriteTransaction& tx, HoldRecord& hold, const ClinicConfig& clinic) -> Status {
        if (hold.renewals >= kMaxHoldRenewals) {
          return Failure{FailureKind::kInvalidState, "renewal_limit_reached",
                         "this hold was renewed " + std::to_string(kMaxHoldRenewals) +
                             " times already; book the time or take a new hold"};
        }
        hold.renewals += 1;
        // A clinic that turned holds off since lets the hold run its course.
        hold.expires_at =
            std::max(hold.expires_at, clock_.now() + std::chrono::minutes(clinic.hold_minutes()));
        decision.hold = hold;
        decision.renewals_left = kMaxHoldRenewals - hold.renewals;
        return tx.put_hold(hold);
      });
  if (!status.ok()) return status.error();
  return decision;
}

Status HoldService::release(std::string_view id, std::string_view token) {
  return change_hold(id, token, [&](WriteTransaction& tx, HoldRecord& hold, const ClinicConfig&) {
    auto deleted = tx.delete_hold(hold.id);
    return deleted.ok() ? Status() : Status(deleted.error());
  });
}

}  // namespace slotbook::server
