// POST /api/calendar/check-availability and check-availability-range: the engine's free
// slots for one date or a range, per appointment type or bare duration.
#include "http/staff/staff_dialect.h"

#include "common/memory.h"
#include "slotbook/limits.h"

namespace slotbook::server {
namespace {

void availability(AppContext& app, const Request& req, Response& res, bool range) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kViewSchedule);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  std::optional<LocalDate> start, end;
  if (range) {
    start = fields.date("start_date", true);
    end = fields.date("end_date", true);
  } else {
    start = end = fields.date("date", true);
  }
  auto type = fields.text("appointment_type", false, kMaxText);
  auto duration = fields.integer("duration_minutes", false, 1, kMaxDurationMinutes);
  auto practitioner = fields.text("practitioner_id", false, kMaxText);
  // Seed 000 echoes the date asked about in availability errors.
  Json echo = Json::object();
  for (const char* name : {"date", "start_date", "end_date"}) {
    if (call.body.contains(name) && call.body[name].is_string()) echo[name] = call.body[name];
  }
  if (!errors.empty()) return staff_fields(res, errors, echo);
  auto clinic = staff_clinic(app, req, call);
  if (!clinic.ok()) return staff_failure(res, clinic.error(), echo);

  AvailabilityRequest request;
  request.clinic_id = (*clinic)->id();
  if (type) {
    auto type_id = (*clinic)->resolve_type(*type);
    if (!type_id.ok()) return staff_failure(res, type_id.error(), echo);
    request.appointment_type = *type_id;
  } else {
    const int minutes = static_cast<int>(duration.value_or(30));
    request.ad_hoc = AdHocDuration{minutes, minutes};
  }
  if (practitioner && *practitioner != "any") request.practitioner_id = practitioner;
  request.start_date = *start;
  request.end_date = *end;
  auto listed = app.queries.availability(request);
  if (!listed.ok()) {
    if (listed.error().code == "too_many_slots") release_free_memory();
    return staff_failure(res, listed.error(), echo);
  }
  const Availability& a = **listed;
  const int slot_minutes = a.slots.type.duration_minutes;
  auto day_slots = [&](const SlotDay& day) {
    Json slots = Json::array();
    for (std::uint32_t i = day.first_slot; i < day.first_slot + day.slot_count; ++i) {
      const Slot& slot = a.slots.slots[i];
      Json ids = Json::array();
      for (std::uint32_t k = 0; k < slot.practitioner_count; ++k) {
        ids.push_back(
            a.snapshot.practitioners[a.slots.practitioners[slot.first_practitioner + k]].id);
      }
      slots.push_back({{"date", format_date(day.date)},
                       {"time", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.start)))},
                       {"duration_minutes", slot_minutes},
                       {"start", format_instant(Instant(slot.start))},
                       {"practitioner_ids", std::move(ids)}});
    }
    return slots;
  };
  if (!range) {
    Json slots = a.slots.days.empty() ? Json::array() : day_slots(a.slots.days.front());
    return send_json(res, 200,
                     Json{{"success", true},
                          {"date", format_date(*start)},
                          {"timezone", a.clinic->timezone()},
                          {"available_slots", std::move(slots)}});
  }
  std::size_t size = 0;
  {
    Json results = Json::array();
    for (const SlotDay& day : a.slots.days) {
      Json slots = day_slots(day);
      const std::string first = slots.front()["time"];
      results.push_back({{"date", format_date(day.date)},
                         {"available_count", day.slot_count},
                         {"first_available_time", first},
                         {"available_slots", std::move(slots)}});
    }
    send_json(res, 200,
              Json{{"success", true},
                   {"timezone", a.clinic->timezone()},
                   {"results", std::move(results)}});
    size = res.body.size();
  }  // the JSON tree is freed here
  if (size > kReleaseAfterBytes) release_free_memory();
}

}  // namespace

void register_staff_availability_routes(Router& server, AppContext& app) {
  server.Post("/api/calendar/check-availability",
              [&app](const Request& req, Response& res) { availability(app, req, res, false); });
  server.Post("/api/calendar/check-availability-range",
              [&app](const Request& req, Response& res) { availability(app, req, res, true); });
}

}  // namespace slotbook::server
