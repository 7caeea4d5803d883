#include "booking/availability.h"

#include <nlohmann/json.hpp>

#include "booking/occupancy.h"

namespace slotbook::server {

Expected<std::unique_ptr<Availability>> list_availability(Storage& storage, ClinicCatalog& catalog,
                                                          const ZoneSource& zones, UtcSeconds now,
                                                          const AvailabilityRequest& request) {
  auto out = std::make_unique<Availability>();
  Status status = storage.read([&](ReadView& view) -> Status {
    auto clinic = catalog.get(view, request.clinic_id);
    if (!clinic.ok()) return clinic.failure();
    out->clinic = *clinic;
    const TimeWindow load =
        bookings_to_load(**clinic, listing_span(**clinic, request.start_date, request.end_date));
    // One practitioner asked for: the engine needs only theirs.
    const std::string only = request.practitioner_id.value_or("");
    auto bookings = view.occupying_bookings(request.clinic_id, load, only);
    if (!bookings.ok()) return bookings.failure();
    const std::vector<std::string> only_list = {only};
    SnapshotInput input{out->clinic.get(), &*bookings, request.ad_hoc, ""};
    if (!only.empty()) input.only_practitioners = &only_list;
    auto snapshot = engine_snapshot(input, zones);
    if (!snapshot.ok()) return snapshot.failure();
    out->snapshot = std::move(*snapshot);
    return Status();
  });
  if (!status.ok()) return status.failure();

  // The engine owns the query rules (range order, 90-day limit): ask it to parse.
  nlohmann::json query = {
      {"appointment_type",
       request.ad_hoc ? ad_hoc_type_id(*request.ad_hoc) : request.appointment_type},
      {"practitioner_id",
       request.practitioner_id ? nlohmann::json(*request.practitioner_id) : nlohmann::json()},
      {"start_date", format_date(request.start_date)},
      {"end_date", format_date(request.end_date)},
      {"now", format_instant(Instant(now))}};
  auto parsed = parse_slot_query(query);
  if (!parsed.ok()) {
    return invalid(std::string(to_string(parsed.error().code)), parsed.error().message);
  }
  out->query = std::move(parsed).value();
  auto slots = list_slots(out->snapshot, out->query);
  if (!slots.ok()) {
    const Error& error = slots.error();
    const std::string code(to_string(error.code));
    if (error.code == ErrorCode::kUnknownAppointmentType ||
        error.code == ErrorCode::kUnknownPractitioner) {
      return not_found(code, error.message);
    }
    return invalid(code, error.message);
  }
  out->slots = std::move(slots).value();
  return out;
}

}  // namespace slotbook::server
