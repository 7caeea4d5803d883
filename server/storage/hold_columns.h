// The holds table as both SQL backends store it (like booking_columns.h): one column list,
// one reader, one binder. Backend code only.
#ifndef SLOTBOOK_SERVER_STORAGE_HOLD_COLUMNS_H_
#define SLOTBOOK_SERVER_STORAGE_HOLD_COLUMNS_H_

#include "storage/records.h"

namespace slotbook::server {

inline constexpr const char* kHoldColumns =
    "id, token_hash, clinic_id, practitioner_id, appointment_type, start_utc, end_utc, "
    "occupied_from, occupied_to, created_at, expires_at, renewals";
inline constexpr int kHoldColumnCount = 12;

template <typename Row>
HoldRecord hold_from_row(const Row& row) {
  HoldRecord h;
  h.id = row.text(0);
  h.token_hash = row.text(1);
  h.clinic_id = row.text(2);
  h.practitioner_id = row.text(3);
  h.appointment_type = row.text(4);
  h.start_utc = row.time(5);
  h.end_utc = row.time(6);
  h.occupancy = {row.time(7), row.time(8)};
  h.created_at = row.time(9);
  h.expires_at = row.time(10);
  h.renewals = static_cast<int>(row.integer(11));
  return h;
}

template <typename Bind>
void bind_hold_columns(const HoldRecord& h, Bind&& bind) {
  bind(h.id), bind(h.token_hash), bind(h.clinic_id), bind(h.practitioner_id);
  bind(h.appointment_type), bind(h.start_utc), bind(h.end_utc), bind(h.occupancy.from);
  bind(h.occupancy.to), bind(h.created_at), bind(h.expires_at);
  bind(static_cast<std::int64_t>(h.renewals));
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_HOLD_COLUMNS_H_
