#include "booking/clinic_bounds.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace slotbook::server {
namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Failure refuse(std::string message) { return invalid("invalid_clinic_config", std::move(message)); }

Status check_id(std::string_view what, std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !std::all_of(id.begin(), id.end(), is_id_char)) {
    return refuse(std::string(what) + " '" + std::string(id.substr(0, kMaxIdLength)) +
                  (id.size() > kMaxIdLength ? "...'" : "'") + " must be 1-" +
                  std::to_string(kMaxIdLength) + " characters of A-Z, a-z, 0-9, _ and -");
  }
  if (id == "any")
    return refuse(std::string(what) + " may not be 'any' (it means any practitioner)");
  return Status();
}

Status check_count(std::string_view what, std::size_t count, std::size_t bound) {
  if (count <= bound) return Status();
  return refuse(std::string(what) + ": " + std::to_string(count) + " given, at most " +
                std::to_string(bound));
}

Status check_name(std::string_view what, const std::string& name) {
  return name.size() <= kMaxNameLength ? Status()
                                       : refuse(std::string(what) + " is longer than " +
                                                std::to_string(kMaxNameLength) + " characters");
}

Status check_day(std::string_view what, const DayHours& hours) {
  return check_count(what, hours.size(), kMaxIntervalsPerDay);
}

}  // namespace

Status check_clinic_bounds(const ClinicConfig& clinic) {
  const Snapshot& s = clinic.checked();
  for (Status status :
       {check_id("clinic.id", s.clinic_id), check_name("clinic.name", s.clinic_name),
        check_count("clinic.closed_dates", s.closed_dates.size(), kMaxClosedDates),
        check_count("practitioners", s.practitioners.size(), kMaxPractitioners),
        check_count("appointment_types", s.appointment_types.size(), kMaxAppointmentTypes)}) {
    if (!status.ok()) return status;
  }
  for (const AppointmentType& type : s.appointment_types) {
    const std::string what = "appointment type '" + type.id + "'";
    if (Status st = check_id("appointment type id", type.id); !st.ok()) return st;
    if (Status st = check_name(what + " name", type.name); !st.ok()) return st;
  }
  for (const Practitioner& p : s.practitioners) {
    if (Status st = check_id("practitioner id", p.id); !st.ok()) return st;
    const std::string what = "practitioner '" + p.id + "'";
    if (Status st = check_name(what + " name", p.name); !st.ok()) return st;
    if (Status st =
            check_count(what + " overrides", p.overrides.size(), kMaxOverridesPerPractitioner);
        !st.ok()) {
      return st;
    }
    for (const DayHours& day : p.weekly_hours) {
      if (Status st = check_day(what + " intervals in one day", day); !st.ok()) return st;
    }
    for (const auto& [date, day] : p.overrides) {
      if (Status st = check_day(what + " intervals in one override", day); !st.ok()) return st;
    }
  }
  return Status();
}

}  // namespace slotbook::server
