// ClinicConfig: one clinic's stored configuration (the contract's snapshot form without
// `busy`), checked by the engine once and kept parsed (clinic_catalog.h caches them by
// version). Immutable; shared between threads through shared_ptr<const ClinicConfig>.
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_CONFIG_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_CONFIG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "booking/change_policy.h"
#include "booking/clinic_calendars.h"
#include "booking/clinic_notifications.h"
#include "booking/clinic_publishing.h"
#include "booking/intake_questions.h"
#include "booking/localized_text.h"
#include "common/expected.h"
#include "slotbook/snapshot.h"
#include "slotbook/zone_rules.h"

namespace slotbook::server {

class ClinicConfig {
 public:
  // Checks `config` with the engine (parse_snapshot, names per language read as their
  // plain form), parse_clinic_notifications, parse_clinic_calendars, parse_change_policy,
  // parse_intake_questions, parse_hold_minutes and parse_clinic_publishing; drops any `busy` and
  // `zone_rules`. Fails with kInvalid, code "invalid_clinic_config", and the message of the part
  // that refused it.
  static Expected<ClinicConfig> from_json(nlohmann::json config, const ZoneSource& zones,
                                          std::int64_t version = 0);

  // The same configuration as stored under `version`.
  ClinicConfig with_version(std::int64_t version) const;

  const nlohmann::json& json() const { return json_; }  // as stored
  // The configuration without what only staff may see: the front desk's address and the
  // practitioners' feeds and addresses (clinic_calendars.h), with plain names for the
  // engine and, where the clinic named them per language, `names`. What the widget
  // downloads.
  nlohmann::json public_json() const;
  const Snapshot& checked() const { return checked_; }  // parsed, without busy
  const std::string& id() const { return checked_.clinic_id; }
  const std::string& timezone() const { return checked_.zone.name(); }
  std::int64_t version() const { return version_; }
  // Country, front-desk address and reminder rules (clinic_notifications.h).
  const ClinicNotifications& notifications() const { return notifications_; }
  // Practitioners' ICS feeds and addresses, video types (clinic_calendars.h).
  const ClinicCalendars& calendars() const { return calendars_; }
  // How late patients may change their bookings, and the clinic's phone (change_policy.h).
  const ChangePolicy& change_policy() const { return change_policy_; }
  // Whether and how the clinic publishes its open times, and its Location's public facts
  // (clinic_publishing.h).
  const ClinicPublishing& publishing() const { return publishing_; }
  // The clinic's own questions at booking (intake_questions.h).
  const std::vector<IntakeQuestion>& questions() const { return questions_; }
  // How long a patient's hold on a slot lasts; 0: holds are off (hold_rules.h).
  int hold_minutes() const { return hold_minutes_; }

  // The time a stored booking occupies: [start - buffer_before, end + buffer_after) of
  // its appointment type as configured now (no buffers for a bare-duration booking).
  TimeWindow occupancy(const BookingRecord& booking) const;
  // The furthest any appointment type can be booked ahead, in days.
  int horizon_days() const;
  // The largest buffers of any configured type (how far occupancy reaches).
  std::chrono::minutes max_buffer_before() const;
  std::chrono::minutes max_buffer_after() const;
  // The clinic-wide rules as the engine resolved them, which ad hoc types follow.
  const ClinicRules& rules() const { return checked_.rules; }
  // The id of the appointment type `id_or_name` names: a type id exactly, else a type's
  // display name without regard to case (seed 000 books "General Checkup"). Text that
  // names no type comes back as is, for the engine to call unknown. Failure:
  // ambiguous_appointment_type (kInvalid) when two types share the name.
  Expected<std::string> resolve_type(std::string_view id_or_name) const;
  // The instant wall time `local` names in the clinic's zone (of two, the earlier);
  // nullopt when the clocks skip it (a DST gap). A request naming a wall time is refused
  // rather than silently moved to another time.
  std::optional<Instant> wall_time(LocalTime local) const;
  // "2027-03-14 02:30 does not occur in America/New_York (the clocks skip it)".
  std::string skipped_wall_time_message(LocalTime local) const;
  // Display names, in BCP 47 `language` when the clinic named them per language
  // (localized_text.h; empty: the plain form); the id itself when unnamed or unknown.
  std::string practitioner_name(std::string_view id, std::string_view language = {}) const;
  std::string type_name(std::string_view id, std::string_view language = {}) const;

 private:
  nlohmann::json json_;
  Snapshot checked_;
  ClinicNotifications notifications_;
  ClinicCalendars calendars_;
  ChangePolicy change_policy_;
  ClinicPublishing publishing_;
  std::vector<IntakeQuestion> questions_;
  int hold_minutes_ = 0;
  std::map<std::string, LocalizedText> type_names_;  // only those named per language
  std::map<std::string, LocalizedText> practitioner_names_;
  std::int64_t version_ = 0;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_CONFIG_H_
