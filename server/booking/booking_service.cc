#include "booking/booking_service.h"

#include <algorithm>
#include <vector>

#include "booking/audit_trail.h"
#include "booking/clinic_bounds.h"
#include "booking/clinic_catalog.h"
#include "booking/occupancy.h"
#include "booking/placement.h"
#include "booking/video_meeting.h"
#include "notify/phone_number.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kManageTokenBytes = 24;  // 192 bits

// Refuses a patient's own change that comes too late for the clinic's change policy
// (change_policy.h); staff are not bound by it.
Status check_patient_change(const Actor& actor, const BookingRecord& b, const ClinicConfig& clinic,
                            UtcSeconds now) {
  if (!actor.is_patient()) return Status();
  if (!patient_may_change(b, now)) return invalid_state("the appointment has already started");
  if (!clinic.change_policy().patient_may_change(b, now)) {
    return Failure{FailureKind::kInvalidState, "too_late_to_change",
                   "changes through the manage link were possible until " +
                       format_instant(Instant(clinic.change_policy().deadline(b))) +
                       "; please call the clinic"};
  }
  return Status();
}

// Reminders are of appointments to come: none once the start has passed.
Status refuse_reminder_after_start(const BookingRecord& b, UtcSeconds now) {
  if (b.start_utc > now) return Status();
  return invalid_state("the appointment has already started: no reminder");
}

// The patient's phone as it is stored: E.164 when it reads as a number (of the clinic's
// country unless it starts with +), else as given, unless text messages were asked for:
// those need a number they can reach.
Expected<std::string> stored_phone(const PatientDetails& patient, const ClinicConfig& clinic) {
  if (patient.phone.empty()) {
    if (!patient.sms_opt_in) return std::string();
    return invalid("invalid_phone", "a phone number is needed for text messages");
  }
  auto normalized = normalize_phone(patient.phone, clinic.notifications().country);
  if (normalized.ok()) return std::move(*normalized);
  if (!patient.sms_opt_in) return patient.phone;
  return normalized.error();
}
// No 0/O or 1/I: a confirmation number is read aloud and typed by people.
constexpr std::string_view kConfirmationAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
// A booking's practitioner can change between reading it and locking it; that many
// re-reads are plenty (each needs a concurrent reschedule to lose).
constexpr int kScopeAttempts = 4;

std::string idempotency_key_hash(std::string_view key) {
  return sha256_hex("idempotency:" + std::string(key));
}

std::vector<std::string> sorted_unique(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool in_scope(const WriteScope& scope, const std::string& practitioner_id) {
  return std::binary_search(scope.practitioner_ids.begin(), scope.practitioner_ids.end(),
                            practitioner_id);
}

}  // namespace

BookingService::BookingService(Storage& storage, ClinicCatalog& catalog, const ZoneSource& zones,
                               const Clock& clock, const EventBus& events,
                               std::string manage_link_key, std::string jitsi_url)
    : storage_(storage),
      catalog_(catalog),
      zones_(zones),
      clock_(clock),
      events_(events),
      manage_link_key_(std::move(manage_link_key)),
      jitsi_url_(std::move(jitsi_url)) {}

Expected<std::shared_ptr<const ClinicConfig>> BookingService::current_clinic(
    std::string_view clinic_id) {
  std::shared_ptr<const ClinicConfig> clinic;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto found = catalog_.get(view, clinic_id);
    if (!found.ok()) return found.error();
    clinic = *found;
    return Status();
  });
  if (!status.ok()) return status.error();
  return clinic;
}

Expected<std::string> BookingService::new_confirmation_number(WriteTransaction& tx,
                                                              const ClinicConfig& clinic,
                                                              Instant start) {
  // CP-YYYYMMDD-XXXX: the appointment's date in the clinic's zone, then 4 random symbols
  // (32^4 per day); retried on the rare collision.
  const auto local_day = date::floor<date::days>(clinic.checked().zone.to_local(start));
  std::string date_digits = format_date(local_day);
  date_digits.erase(std::remove(date_digits.begin(), date_digits.end(), '-'), date_digits.end());
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string number = "CP-" + date_digits + "-" + random_code(kConfirmationAlphabet, 4);
    auto exists = tx.confirmation_number_exists(number);
    if (!exists.ok()) return exists.error();
    if (!*exists) return number;
  }
  return storage_failure("no free confirmation number for " + date_digits);
}

Expected<BookResult> BookingService::book(const NewBooking& request,
                                          const IdempotentRequest* idempotent) {
  const UtcSeconds now = clock_.now();
  const UtcSeconds start = to_seconds(request.start);
  // The patient's hold fixes the practitioner ("any" included).
  std::string practitioner_id = request.practitioner_id;
  if (!request.hold.empty()) {
    auto hold = read_value(storage_, [&](ReadView& view) { return view.hold(request.hold.id); });
    if (!hold.ok()) return hold.error();
    if (hold->has_value() && hold_covers(**hold, request.hold, request.clinic_id,
                                         request.appointment_type, practitioner_id, start, now)) {
      practitioner_id = (*hold)->practitioner_id;
    }
  }
  // A named practitioner is the whole scope; "any" needs the clinic to know who.
  WriteScope scope{request.clinic_id, {practitioner_id}, {}};
  if (practitioner_id == "any") {
    auto clinic_now = current_clinic(request.clinic_id);
    if (!clinic_now.ok()) return clinic_now.error();
    scope.practitioner_ids = sorted_unique(placement_candidates(
        **clinic_now, request.appointment_type, request.ad_hoc.has_value(), "any"));
  }
  if (refresh_occupancy_) refresh_occupancy_(request.clinic_id, scope.practitioner_ids);
  const std::string key_hash = idempotent ? idempotency_key_hash(idempotent->key) : "";
  scope.idempotency_key_hash = key_hash;
  BookResult result;
  std::vector<DomainEvent> events;
  Status status = storage_.write(scope, [&](WriteTransaction& tx) -> Status {
    result = BookResult();  // `work` may run again
    events.clear();
    if (idempotent) {
      auto stored = tx.stored_answer(key_hash);
      if (!stored.ok()) return stored.error();
      if (stored->has_value() && (*stored)->created_at + kAnswerLifetime > now) {
        if ((*stored)->request_hash != idempotent->request_hash) {
          return invalid("idempotency_key_reused",
                         "this Idempotency-Key was already used for a different request");
        }
        auto body = open_sealed(idempotent->key, (*stored)->sealed_body);
        if (!body) return storage_failure("a stored idempotent answer could not be opened");
        result.replay = StoredReply{(*stored)->status, std::move(*body)};
        return Status();
      }
    }
    auto clinic = catalog_.get(tx, request.clinic_id);
    if (!clinic.ok()) return clinic.error();
    BookingDecision& decision = result.decision;
    decision.clinic = *clinic;
    const LocalDate today =
        date::floor<date::days>((*clinic)->checked().zone.to_local(Instant(now)));
    CheckedAnswers answers = check_answers((*clinic)->questions(), request.appointment_type,
                                           request.answers, today, request.actor.is_patient());
    if (!answers.problems.empty()) {
      result.answer_problems = std::move(answers.problems);
      return Status();
    }
    std::string used_hold;  // the hold this booking consumes
    if (!request.hold.empty()) {
      auto hold = tx.hold(request.hold.id);
      if (!hold.ok()) return hold.error();
      if (hold->has_value() && hold_covers(**hold, request.hold, request.clinic_id,
                                           request.appointment_type, practitioner_id, start, now)) {
        used_hold = request.hold.id;
      }
    }
    auto placement = place(
        tx, **clinic,
        {request.appointment_type, request.ad_hoc, practitioner_id, request.start, {}, used_hold},
        now);
    if (!placement.ok()) return placement.error();
    decision.refusal = placement->refusal;
    if (decision.refusal == Refusal::kNone && !in_scope(scope, placement->practitioner_id)) {
      // A practitioner added to the clinic after the scope was taken is not locked.
      decision.refusal = Refusal::kConflict;
    }
    if (decision.refusal == Refusal::kNone) {
      BookingRecord& b = decision.booking;
      b.id = new_booking_id();
      b.clinic_id = request.clinic_id;
      b.practitioner_id = placement->practitioner_id;
      b.appointment_type = request.ad_hoc ? "" : request.appointment_type;
      b.start_utc = to_seconds(request.start);
      b.end_utc = placement->end_utc;
      b.occupancy = (*clinic)->occupancy(b);
      b.status = request.status;
      auto number = new_confirmation_number(tx, **clinic, request.start);
      if (!number.ok()) return number.error();
      b.confirmation_number = std::move(*number);
      b.patient_name = request.patient.name;
      b.patient_email = request.patient.email;
      auto phone = stored_phone(request.patient, **clinic);
      if (!phone.ok()) return phone.error();
      b.patient_phone = std::move(*phone);
      b.sms_opt_in = request.patient.sms_opt_in;
      b.patient_id = request.patient.id;
      b.patient_language = request.patient.language;
      b.notes = request.notes;
      b.source = request.source;
      b.external_reference_id = request.external_reference_id;
      b.referral_source = request.referral_source;
      b.booking_referral = request.booking_referral;
      if (request.issue_manage_token) {
        decision.manage_token = random_token(kManageTokenBytes);
        b.manage_token_hash = sha256_hex(decision.manage_token);
        if (!manage_link_key_.empty()) {
          b.manage_token_sealed = to_base64(seal(manage_link_key_, decision.manage_token));
        }
      }
      b.answers_json = std::move(answers.stored_json);
      assign_video_meeting(b, **clinic, jitsi_url_);
      b.created_at = b.updated_at = now;
      Status inserted = tx.insert_booking(b);
      if (inserted.ok() && !used_hold.empty()) {
        auto deleted = tx.delete_hold(used_hold);
        if (!deleted.ok()) return deleted.error();
      }
      if (inserted.ok()) {
        events.push_back(booking_event(EventKind::kBookingCreated, std::nullopt, b, now));
        Status appended = record_event(tx, events.back(), request.actor);
        if (!appended.ok()) return appended;
      } else if (is_occupancy_conflict(inserted.error())) {
        decision.refusal = Refusal::kConflict;  // storage refused the overlap
        decision.booking = BookingRecord();
        decision.manage_token.clear();
      } else {
        return inserted;
      }
    }
    if (idempotent) {
      StoredReply reply = idempotent->render(decision);
      Status stored = tx.store_answer(key_hash, StoredAnswer{idempotent->request_hash, reply.status,
                                                             seal(idempotent->key, reply.body), now,
                                                             sha256_hex(idempotent->client)});
      if (!stored.ok()) return stored;
      result.replay = std::move(reply);
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  events_.publish(events);
  return result;
}

Expected<BookingDecision> BookingService::change_booking(
    std::string_view id,
    const std::function<std::vector<std::string>(const BookingRecord&, const ClinicConfig&)>&
        practitioners_touched,
    const Change& change, const Actor& actor, std::optional<EventKind> event) {
  const UtcSeconds now = clock_.now();
  for (int attempt = 0; attempt < kScopeAttempts; ++attempt) {
    // Read the booking to learn what to lock, then re-read it under the lock.
    WriteScope scope;
    Status read = storage_.read([&](ReadView& view) -> Status {
      auto booking = view.booking(id);
      if (!booking.ok()) return booking.error();
      if (!booking->has_value()) return not_found("booking_not_found", "no such booking");
      auto clinic = catalog_.get(view, (*booking)->clinic_id);
      if (!clinic.ok()) return clinic.error();
      std::vector<std::string> ids = practitioners_touched(**booking, **clinic);
      ids.push_back((*booking)->practitioner_id);
      scope = WriteScope{(*booking)->clinic_id, sorted_unique(std::move(ids)), {}};
      return Status();
    });
    if (!read.ok()) return read.error();

    BookingDecision decision;
    std::vector<DomainEvent> events;
    bool moved_meanwhile = false;
    Status status = storage_.write(scope, [&](WriteTransaction& tx) -> Status {
      decision = BookingDecision();  // `work` may run again
      events.clear();
      moved_meanwhile = false;
      auto booking = tx.booking(id);
      if (!booking.ok()) return booking.error();
      if (!booking->has_value()) return not_found("booking_not_found", "no such booking");
      if (!in_scope(scope, (*booking)->practitioner_id)) {
        moved_meanwhile = true;  // someone moved it to a practitioner this scope lacks
        return Status();
      }
      decision.booking = std::move(**booking);
      auto clinic = catalog_.get(tx, decision.booking.clinic_id);
      if (!clinic.ok()) return clinic.error();
      decision.clinic = *clinic;
      const BookingRecord before = decision.booking;
      Status applied = change(tx, decision, now);
      if (!applied.ok() || decision.refusal != Refusal::kNone) return applied;
      BookingRecord& after = decision.booking;
      if (!in_scope(scope, after.practitioner_id)) {
        decision.refusal = Refusal::kConflict;  // only a concurrent configuration change
        return Status();
      }
      const std::optional<EventKind> kind = event ? event : classify_change(before, after);
      if (!kind) return Status();
      if (moves(before, after)) after.occupancy = decision.clinic->occupancy(after);
      after.updated_at = now;
      Status updated = tx.update_booking(after);
      if (!updated.ok()) {
        if (!is_occupancy_conflict(updated.error())) return updated;
        decision.booking = before;  // storage refused the overlap
        decision.refusal = Refusal::kConflict;
        return Status();
      }
      events.push_back(booking_event(*kind, before, after, now));
      return record_event(tx, events.back(), actor);
    });
    if (!status.ok()) return status.error();
    if (moved_meanwhile) continue;
    events_.publish(events);
    return decision;
  }
  return storage_failure("booking " + std::string(id) + " kept moving while being changed");
}

std::vector<std::string> BookingService::touched_by(const RescheduleRequest& request,
                                                    const BookingRecord& b,
                                                    const ClinicConfig& clinic) {
  const std::string type = request.appointment_type.value_or(b.appointment_type);
  return placement_candidates(clinic, type, type.empty(),
                              request.practitioner_id.value_or(b.practitioner_id));
}

Status BookingService::apply_reschedule(WriteTransaction& tx, BookingDecision& d, UtcSeconds now,
                                        const RescheduleRequest& request) {
  BookingRecord& b = d.booking;
  if (!is_active(b.status)) {
    return invalid_state("a " + std::string(to_string(b.status)) +
                         " booking cannot be rescheduled");
  }
  if (Status allowed = check_patient_change(request.actor, b, *d.clinic, now); !allowed.ok()) {
    return allowed;
  }
  if (request.notes) b.notes = *request.notes;
  const Instant start = request.start ? *request.start : Instant(b.start_utc);
  const std::string practitioner = request.practitioner_id.value_or(b.practitioner_id);
  const std::string type = request.appointment_type.value_or(b.appointment_type);
  const UtcSeconds start_s = to_seconds(start);
  if (start_s == b.start_utc && practitioner == b.practitioner_id && type == b.appointment_type) {
    return Status();  // nothing about the time changes
  }
  std::optional<AdHocDuration> ad_hoc;
  if (type.empty()) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(b.end_utc - b.start_utc);
    ad_hoc = AdHocDuration{static_cast<int>(minutes.count()), 1};
  }
  auto placement = place(tx, *d.clinic, {type, ad_hoc, practitioner, start, b.id, {}}, now);
  if (!placement.ok()) return placement.error();
  d.refusal = placement->refusal;
  if (d.refusal != Refusal::kNone) return Status();
  b.practitioner_id = placement->practitioner_id;
  b.appointment_type = type;
  b.start_utc = start_s;
  b.end_utc = placement->end_utc;
  b.sequence += 1;
  assign_video_meeting(b, *d.clinic, jitsi_url_);
  return Status();
}

Status BookingService::apply_status(BookingDecision& d, UtcSeconds now, BookingStatus status) {
  BookingRecord& b = d.booking;
  using S = BookingStatus;
  const bool allowed =
      (b.status == S::kPending && (status == S::kConfirmed || status == S::kCancelled)) ||
      (b.status == S::kConfirmed &&
       (status == S::kCompleted || status == S::kCancelled || status == S::kNoShow));
  if (!allowed) {
    return invalid_state("cannot change status from " + std::string(to_string(b.status)) + " to " +
                         std::string(to_string(status)));
  }
  // What happened at the appointment is known only once it has begun.
  if ((status == S::kCompleted || status == S::kNoShow) && now < b.start_utc) {
    return invalid_state("an appointment that has not started cannot be " +
                         std::string(to_string(status)));
  }
  if (status == S::kCancelled) {
    b.cancelled_at = now;
    b.sequence += 1;
  }
  b.status = status;
  return Status();
}

Expected<BookingDecision> BookingService::reschedule(std::string_view id,
                                                     const RescheduleRequest& request) {
  return update(id, request, std::nullopt);
}

Expected<BookingDecision> BookingService::update(std::string_view id,
                                                 const RescheduleRequest& request,
                                                 std::optional<BookingStatus> status) {
  auto touched = [&](const BookingRecord& b, const ClinicConfig& clinic) {
    return touched_by(request, b, clinic);
  };
  return change_booking(
      id, touched,
      [&](WriteTransaction& tx, BookingDecision& d, UtcSeconds now) -> Status {
        const bool moves_or_edits =
            request.start || request.practitioner_id || request.appointment_type || request.notes;
        if (moves_or_edits || !status) {
          Status moved = apply_reschedule(tx, d, now, request);
          if (!moved.ok() || d.refusal != Refusal::kNone) return moved;
        }
        return status ? apply_status(d, now, *status) : Status();
      },
      request.actor);
}

namespace {
std::vector<std::string> only_its_own(const BookingRecord&, const ClinicConfig&) { return {}; }
}  // namespace

Expected<BookingDecision> BookingService::cancel(std::string_view id, std::string_view reason,
                                                 const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds now) -> Status {
        BookingRecord& b = d.booking;
        if (b.status == BookingStatus::kCancelled) return Status();
        if (!is_active(b.status)) {
          return invalid_state("a " + std::string(to_string(b.status)) +
                               " booking cannot be cancelled");
        }
        if (Status allowed = check_patient_change(actor, b, *d.clinic, now); !allowed.ok()) {
          return allowed;
        }
        b.status = BookingStatus::kCancelled;
        b.cancel_reason = std::string(reason);
        b.cancelled_at = now;
        b.sequence += 1;
        return Status();
      },
      actor);
}

Expected<BookingDecision> BookingService::set_status(std::string_view id, BookingStatus status,
                                                     const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds now) -> Status {
        return apply_status(d, now, status);
      },
      actor);
}

Expected<BookingDecision> BookingService::request_confirmation(std::string_view id,
                                                               const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds) -> Status {
        if (!is_active(d.booking.status)) {
          return invalid_state("a " + std::string(to_string(d.booking.status)) +
                               " booking is not confirmed again");
        }
        return Status();
      },
      actor, EventKind::kBookingConfirmationRequested);
}

Expected<BookingDecision> BookingService::request_reminder(std::string_view id,
                                                           const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds now) -> Status {
        if (!occupies_time(d.booking.status)) {
          return invalid_state("a " + std::string(to_string(d.booking.status)) +
                               " booking gets no reminder");
        }
        return refuse_reminder_after_start(d.booking, now);
      },
      actor, EventKind::kBookingReminderRequested);
}

Expected<BookingDecision> BookingService::mark_reminder_sent(std::string_view id,
                                                             const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds now) -> Status {
        if (!occupies_time(d.booking.status)) {
          return invalid_state("a cancelled booking gets no reminder");
        }
        if (Status late = refuse_reminder_after_start(d.booking, now); !late.ok()) return late;
        d.booking.reminder_sent_at = now;
        return Status();
      },
      actor);
}

Expected<BookingDecision> BookingService::record_reminder_sent(std::string_view id,
                                                               const FirstSent& first_sent) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction& tx, BookingDecision& d, UtcSeconds) -> Status {
        auto first = first_sent(tx);
        if (!first.ok()) return first.error();
        const std::optional<UtcSeconds>& recorded = d.booking.reminder_sent_at;
        // Another channel of this reminder came first (a batch or another process).
        if (!*first || (recorded && *recorded >= **first)) return Status();
        d.booking.reminder_sent_at = **first;
        return Status();
      },
      Actor::system());
}

Expected<BookingDecision> BookingService::set_meeting_link(std::string_view id,
                                                           std::string_view provider,
                                                           std::string_view url) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds) -> Status {
        // Moved to a type of another provider meanwhile: not this link.
        if (d.booking.meeting_provider == provider) d.booking.meeting_url = url;
        return Status();
      },
      Actor::system());
}

Expected<BookingDecision> BookingService::set_meeting_provider(std::string_view id,
                                                               std::string_view provider,
                                                               const Actor& actor) {
  return change_booking(
      id, only_its_own,
      [&](WriteTransaction&, BookingDecision& d, UtcSeconds) -> Status {
        BookingRecord& b = d.booking;
        if (!occupies_time(b.status)) {
          return invalid_state("a " + std::string(to_string(b.status)) +
                               " booking gets no meeting");
        }
        if (b.meeting_provider == provider) return Status();
        b.meeting_provider = std::string(provider);
        b.meeting_url.clear();
        return Status();
      },
      actor);
}

namespace {

// Why `booking` cannot stay under `clinic` as configured now; empty when it can.
std::string orphaned_because(const BookingRecord& booking, const ClinicConfig& clinic) {
  const Snapshot& s = clinic.checked();
  const Practitioner* p = s.find_practitioner(booking.practitioner_id);
  if (!p) return "its practitioner " + booking.practitioner_id + " is removed";
  if (booking.appointment_type.empty()) return "";
  if (!s.find_type(booking.appointment_type)) {
    return "its appointment type " + booking.appointment_type + " is removed";
  }
  if (!p->offers(booking.appointment_type)) {
    return booking.practitioner_id + " no longer offers " + booking.appointment_type;
  }
  return "";
}

constexpr std::size_t kOrphansNamed = 5;  // in a refusal's message; the count says the rest

// What storing a checked configuration would change, read inside the transaction.
struct ConfigPlan {
  std::int64_t version_before = 0;  // 0: the clinic is new
  std::string config_before;        // its configuration JSON; "" when new
  std::vector<std::pair<BookingRecord, std::string>> orphans;  // with why
  std::vector<BookingRecord> narrowed;  // smaller buffers free time around them
  std::vector<BookingRecord> upcoming;  // the rest, as they are
};

Expected<ConfigPlan> plan_config(ReadView& tx, ClinicCatalog& catalog, const ClinicConfig& checked,
                                 UtcSeconds now) {
  const std::string& id = checked.id();
  // A practitioner belongs to one clinic: partner traffic is routed by practitioner id.
  auto clinic_ids = tx.clinic_ids();
  if (!clinic_ids.ok()) return clinic_ids.error();
  for (const std::string& other_id : *clinic_ids) {
    if (other_id == id) continue;
    auto other = catalog.get(tx, other_id);
    if (!other.ok()) return other.error();
    for (const Practitioner& p : checked.checked().practitioners) {
      if ((*other)->checked().find_practitioner(p.id)) {
        return invalid("practitioner_id_taken", "practitioner id '" + p.id +
                                                    "' is already clinic '" + other_id +
                                                    "''s: practitioner ids are unique");
      }
    }
  }
  ConfigPlan plan;
  auto before = tx.clinic(id);
  if (!before.ok()) return before.error();
  if (before->has_value()) {
    plan.version_before = (*before)->version;
    plan.config_before = (*before)->config_json;
  }
  // Bookings still to come that the new configuration would leave without a practitioner
  // or type: refused by name, or cancelled when the caller says so.
  auto upcoming = tx.occupying_bookings(id, TimeWindow{now, UtcSeconds::max()});
  if (!upcoming.ok()) return upcoming.error();
  for (BookingRecord& b : *upcoming) {
    // One that already started is history, not a patient's plan: never orphaned.
    std::string why = b.start_utc < now ? "" : orphaned_because(b, checked);
    if (!why.empty()) {
      plan.orphans.emplace_back(std::move(b), std::move(why));
      continue;
    }
    const TimeWindow occupancy = narrowed_occupancy(b, checked);
    if (occupancy.from != b.occupancy.from || occupancy.to != b.occupancy.to) {
      b.occupancy = occupancy;
      plan.narrowed.push_back(b);
    }
    plan.upcoming.push_back(std::move(b));
  }
  return plan;
}

Failure orphans_refusal(const ConfigPlan& plan) {
  const auto& orphans = plan.orphans;
  std::string message = std::to_string(orphans.size()) + " upcoming booking" +
                        (orphans.size() == 1 ? "" : "s") + " would be orphaned:";
  for (std::size_t i = 0; i < orphans.size() && i < kOrphansNamed; ++i) {
    message += (i ? "; " : " ") + orphans[i].first.id + " (" +
               orphans[i].first.confirmation_number + ": " + orphans[i].second + ")";
  }
  if (orphans.size() > kOrphansNamed) message += "; ...";
  return invalid(
      "bookings_in_the_way",
      message + ". Move or cancel them first, or repeat with force=true to cancel them.");
}

// Whether the appointment itself (not its buffers, not its grid) lies inside its
// practitioner's working hours under `clinic`: the engine validates it as an ad hoc
// booking of its length, asked for exactly the notice ahead of its start, so only the
// hours (and closures) can refuse it.
bool inside_hours(const BookingRecord& b, const ClinicConfig& clinic) {
  const Snapshot& snapshot = clinic.checked();
  const int minutes = static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(b.end_utc - b.start_utc).count());
  const Instant start(b.start_utc);
  const Instant asked = start - std::chrono::minutes(snapshot.rules.min_notice_minutes);
  const Refusal refusal = validate_booking(
      snapshot, BookingRequest{"", b.practitioner_id, start, asked, AdHocDuration{minutes, 1}});
  return refusal != Refusal::kOutsideHours;
}

}  // namespace

Expected<std::shared_ptr<const ClinicConfig>> BookingService::put_clinic(
    const nlohmann::json& config, bool cancel_orphans, const Actor& actor) {
  auto checked = ClinicConfig::from_json(config, zones_);
  if (!checked.ok()) return checked.error();
  if (Status bounded = check_clinic_bounds(*checked); !bounded.ok()) return bounded.error();
  const std::string id = checked->id();
  const std::string text = checked->json().dump();
  const UtcSeconds now = clock_.now();
  std::shared_ptr<const ClinicConfig> stored;
  std::vector<DomainEvent> events;
  Status status = storage_.write(WriteScope{id, {}, {}}, [&](WriteTransaction& tx) -> Status {
    events.clear();  // `work` may run again
    auto plan = plan_config(tx, catalog_, *checked, now);
    if (!plan.ok()) return plan.error();
    if (!plan->orphans.empty() && !cancel_orphans) return orphans_refusal(*plan);
    for (auto& [booking, why] : plan->orphans) {
      const BookingRecord was = booking;
      booking.status = BookingStatus::kCancelled;
      booking.cancel_reason = "the clinic changed its configuration: " + why;
      booking.cancelled_at = now;
      booking.sequence += 1;
      booking.updated_at = now;
      if (Status st = tx.update_booking(booking); !st.ok()) return st;
      events.push_back(booking_event(EventKind::kBookingCancelled, was, booking, now));
      if (Status st = record_event(tx, events.back(), actor); !st.ok()) return st;
    }
    for (const BookingRecord& booking : plan->narrowed) {
      if (Status st = tx.update_booking(booking); !st.ok()) return st;
    }
    Status put = tx.put_clinic(id, text, now);
    if (!put.ok()) return put;
    // Not through the catalog: it would hold this version even if the change rolls back,
    // and the next change that commits gets the same version number.
    auto version = tx.clinic_version(id);
    if (!version.ok()) return version.error();
    if (!version->has_value()) return storage_failure("clinic " + id + " vanished while stored");
    stored = std::make_shared<const ClinicConfig>(checked->with_version(**version));
    if (stored->version() == plan->version_before) return Status();  // identical: no change
    events.push_back(clinic_config_event(id, plan->version_before, stored->version(), now));
    if (Status st = record_event(tx, events.back(), actor); !st.ok()) return st;
    return tx.append_audit(setting_audit(std::string(to_string(EventKind::kClinicConfigChanged)),
                                         id, "clinic", id, actor, plan->config_before, text, now));
  });
  if (!status.ok()) return status.error();
  events_.publish(events);
  return stored;
}

Expected<BookingService::ConfigPreview> BookingService::preview_clinic(const nlohmann::json& config,
                                                                       bool cancel_orphans) {
  auto checked = ClinicConfig::from_json(config, zones_);
  if (!checked.ok()) return checked.error();
  if (Status bounded = check_clinic_bounds(*checked); !bounded.ok()) return bounded.error();
  const UtcSeconds now = clock_.now();
  ConfigPreview preview;
  preview.clinic = std::make_shared<const ClinicConfig>(std::move(*checked));
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto plan = plan_config(view, catalog_, *preview.clinic, now);
    if (!plan.ok()) return plan.error();
    if (!plan->orphans.empty() && !cancel_orphans) return orphans_refusal(*plan);
    for (BookingRecord& b : plan->upcoming) {
      if (b.start_utc >= now && !inside_hours(b, *preview.clinic)) {
        preview.outside_hours.push_back(std::move(b));
      }
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  return preview;
}

}  // namespace slotbook::server
