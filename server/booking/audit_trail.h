// The audit log's entries (storage AuditRecord): who changed which booking or setting,
// when, with the state before and after. Booking services write them in the transaction
// of the change, next to its domain event, so the log holds exactly what committed.
// Entries keep what staff need to see what changed (times, practitioner, type, status,
// notes), never the patient's contact details.
#ifndef SLOTBOOK_SERVER_BOOKING_AUDIT_TRAIL_H_
#define SLOTBOOK_SERVER_BOOKING_AUDIT_TRAIL_H_

#include <string>

#include <nlohmann/json.hpp>

#include "booking/actor.h"
#include "booking/domain_event.h"
#include "common/expected.h"
#include "storage/records.h"

namespace slotbook::server {

class WriteTransaction;

// The entry for a booking event (action = the event's type).
AuditRecord booking_audit(const DomainEvent& event, const Actor& actor);
// The entry for a change to something that is not a booking: a clinic's configuration,
// an API key, a user. `before_json`/`after_json` are JSON texts ("" when absent).
AuditRecord setting_audit(std::string action, std::string clinic_id, std::string target_type,
                          std::string target_id, const Actor& actor, std::string before_json,
                          std::string after_json, UtcSeconds at);

// Appends `event` to the outbox and, unless it is the server's own bookkeeping that no
// one asked for (a calendar's busy times), its audit entry.
Status record_event(WriteTransaction& tx, const DomainEvent& event, const Actor& actor);

// The entry as the staff API shows it: {id, at, actor: {type, id, name}, action, clinic_id,
// target_type, target_id, before, after}.
nlohmann::ordered_json audit_json(const AuditRecord& entry);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_AUDIT_TRAIL_H_
