#include "booking/booking_queries.h"

#include <algorithm>

#include <limits>

#include "booking/clinic_catalog.h"
#include "booking/occupancy.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {

Expected<std::shared_ptr<const ClinicConfig>> BookingQueries::clinic(std::string_view id) {
  std::shared_ptr<const ClinicConfig> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto found = catalog_.get(view, id);
    if (!found.ok()) return found.error();
    out = *found;
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<std::shared_ptr<const ClinicConfig>> BookingQueries::named_or_only_clinic(
    std::string_view id) {
  if (!id.empty()) return clinic(id);
  std::vector<std::string> ids;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto found = view.clinic_ids();
    if (!found.ok()) return found.error();
    ids = std::move(*found);
    return Status();
  });
  if (!status.ok()) return status.error();
  if (ids.size() != 1)
    return invalid("clinic_id_required", "name the clinic: clinic_id is required");
  return clinic(ids.front());
}

Expected<std::string> BookingQueries::clinic_of_practitioner(std::string_view practitioner_id) {
  std::string found;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto ids = view.clinic_ids();
    if (!ids.ok()) return ids.error();
    for (const std::string& id : *ids) {
      auto clinic = catalog_.get(view, id);
      if (!clinic.ok()) return clinic.error();
      if ((*clinic)->checked().find_practitioner(practitioner_id)) {
        found = id;
        return Status();
      }
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  return found;
}

Expected<BookingWithClinic> BookingQueries::booking(std::string_view id) {
  BookingWithClinic out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto booking = view.booking(id);
    if (!booking.ok()) return booking.error();
    if (!booking->has_value()) return not_found("booking_not_found", "no booking with this id");
    out.booking = std::move(**booking);
    auto clinic = catalog_.get(view, out.booking.clinic_id);
    if (!clinic.ok()) return clinic.error();
    out.clinic = *clinic;
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<BookingWithClinic> BookingQueries::booking_for_token(std::string_view id,
                                                              std::string_view token) {
  const Failure refused = not_found("booking_not_found", "no booking with this id and token");
  if (token.empty()) return refused;
  auto found = booking(id);
  if (!found.ok()) {
    return found.error().kind == FailureKind::kNotFound ? refused : found.error();
  }
  const std::string& stored_hash = found->booking.manage_token_hash;
  if (stored_hash.empty() || !constant_time_equals(sha256_hex(token), stored_hash)) return refused;
  return found;
}

Expected<BookingWithClinic> BookingQueries::booking_for_token(std::string_view token) {
  std::optional<std::string> id;
  if (!token.empty()) {
    Status status = storage_.read([&](ReadView& view) -> Status {
      auto found = view.booking_id_for_token_hash(sha256_hex(token));
      if (!found.ok()) return found.error();
      id = std::move(*found);
      return Status();
    });
    if (!status.ok()) return status.error();
  }
  if (!id) return not_found("booking_not_found", "no booking with this token");
  return booking_for_token(*id, token);
}

Expected<BookingPage> BookingQueries::upcoming(const ClinicConfig& clinic,
                                               const UpcomingFilter& wanted) {
  const UtcSeconds now = clock_.now();
  BookingFilter filter;
  filter.clinic_id = clinic.id();
  filter.practitioner_id = wanted.practitioner_id;
  filter.status = wanted.status;
  filter.start_from = now;
  filter.start_before = now + date::days(wanted.days);
  filter.skip = wanted.skip;
  filter.limit = wanted.limit;
  BookingPage page;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto rows = view.list_bookings(filter, &page.total);
    if (!rows.ok()) return rows.error();
    page.bookings = std::move(*rows);
    return Status();
  });
  if (!status.ok()) return status.error();
  return page;
}

namespace {

// Every booking of `clinic` starting on the local dates [first, last].
BookingFilter starting_on_dates(const ClinicConfig& clinic, LocalDate first, LocalDate last) {
  const ZoneRules& zone = clinic.checked().zone;
  BookingFilter filter;
  filter.clinic_id = clinic.id();
  filter.start_from = to_seconds(zone.to_instant(LocalTime(first)));
  filter.start_before = to_seconds(zone.to_instant(LocalTime(last + date::days(1))));
  filter.limit = std::numeric_limits<int>::max();
  return filter;
}

}  // namespace

Expected<std::vector<BookingRecord>> BookingQueries::occupying_on_dates(const ClinicConfig& clinic,
                                                                        LocalDate first,
                                                                        LocalDate last) {
  const BookingFilter filter = starting_on_dates(clinic, first, last);
  std::vector<BookingRecord> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    std::int64_t total = 0;
    auto rows = view.list_bookings(filter, &total);
    if (!rows.ok()) return rows.error();
    for (BookingRecord& b : *rows) {
      if (occupies_time(b.status)) out.push_back(std::move(b));
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<std::vector<std::shared_ptr<const ClinicConfig>>> BookingQueries::clinics() {
  std::vector<std::shared_ptr<const ClinicConfig>> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto ids = view.clinic_ids();
    if (!ids.ok()) return ids.error();
    for (const std::string& id : *ids) {
      auto clinic = catalog_.get(view, id);
      if (!clinic.ok()) return clinic.error();
      out.push_back(std::move(*clinic));
    }
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<BookingQueries::Schedule> BookingQueries::schedule(const ClinicConfig& clinic,
                                                            LocalDate first, LocalDate last,
                                                            std::string_view practitioner_id) {
  BookingFilter filter = starting_on_dates(clinic, first, last);
  if (!practitioner_id.empty()) filter.practitioner_id = std::string(practitioner_id);
  Schedule out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    std::int64_t total = 0;
    auto rows = view.list_bookings(filter, &total);
    if (!rows.ok()) return rows.error();
    out.bookings = std::move(*rows);
    auto busy = view.external_busy(clinic.id(), TimeWindow{filter.start_from, filter.start_before},
                                   practitioner_id);
    if (!busy.ok()) return busy.error();
    out.busy = std::move(*busy);
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<std::vector<BookingRecord>> BookingQueries::search(const ClinicConfig& clinic,
                                                            std::string_view text, int limit) {
  return read_value(storage_,
                    [&](ReadView& view) { return view.search_bookings(clinic.id(), text, limit); });
}

Expected<std::unique_ptr<Availability>> BookingQueries::availability(
    const AvailabilityRequest& request) {
  auto out = std::make_unique<Availability>();
  const UtcSeconds now = clock_.now();
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto clinic = catalog_.get(view, request.clinic_id);
    if (!clinic.ok()) return clinic.error();
    out->clinic = *clinic;
    // One practitioner asked for: the engine needs only theirs.
    const std::string only = request.practitioner_id.value_or("");
    Occupancy occupancy;
    Status loaded =
        load_occupancy(view, **clinic, listing_span(**clinic, request.start_date, request.end_date),
                       only, now, occupancy);
    if (!loaded.ok()) return loaded;
    const std::vector<std::string> only_list = {only};
    out->snapshot = engine_snapshot(
        {out->clinic.get(), &occupancy, "", "", only.empty() ? nullptr : &only_list});
    return Status();
  });
  if (!status.ok()) return status.error();

  out->query.appointment_type = request.appointment_type;
  out->query.ad_hoc = request.ad_hoc;
  out->query.practitioner_id = request.practitioner_id;
  out->query.start_date = request.start_date;
  out->query.end_date = request.end_date;
  out->query.now = Instant(now);
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
  if (slots->practitioners.size() > kMaxListedSlotEntries) {
    const std::size_t entries = slots->practitioners.size();
    return invalid("too_many_slots",
                   "the answer would list " + std::to_string(entries) +
                       " slot-practitioner pairs, more than " +
                       std::to_string(kMaxListedSlotEntries) +
                       ": ask for fewer days, one practitioner or a longer appointment type");
  }
  out->slots = std::move(slots).value();
  return out;
}

Expected<std::vector<BookingQueries::GridStart>> BookingQueries::day_grid(
    const AvailabilityRequest& request) {
  auto free = availability(request);
  if (!free.ok()) return free.error();
  const Availability& a = **free;
  const std::vector<std::string> only = {*request.practitioner_id};
  // The same question of the day with nothing booked: the grid itself.
  const Snapshot empty = engine_snapshot({a.clinic.get(), nullptr, "", "", &only});
  auto grid = list_slots(empty, a.query);
  if (!grid.ok()) return invalid(std::string(to_string(grid.error().code)), grid.error().message);
  std::vector<GridStart> out;
  for (const Slot& slot : grid->slots) {
    const bool available =
        std::any_of(a.slots.slots.begin(), a.slots.slots.end(),
                    [&](const Slot& free_slot) { return free_slot.start == slot.start; });
    out.push_back({slot.start, available});
  }
  return out;
}

Status BookingQueries::health() {
  return storage_.read([](ReadView& view) -> Status {
    auto ids = view.clinic_ids();
    return ids.ok() ? Status() : Status(ids.error());
  });
}

}  // namespace slotbook::server
