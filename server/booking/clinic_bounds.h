// What a clinic configuration may hold, checked when one is stored (PUT or --clinic).
// The engine checks meaning (engine-contract.md); these bound size and name shape, so one
// configuration cannot make every booking slow (thousands of practitioners) or name a
// clinic or practitioner in a way that breaks URLs and ids ("a/b", "any"). docs/api.md
// states the same numbers. Configurations stored before a bound existed still load.
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_BOUNDS_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_BOUNDS_H_

#include <cstddef>

#include "booking/clinic_config.h"
#include "common/expected.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxIdLength = 64;  // clinic, practitioner and type ids
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxPractitioners = 100;
inline constexpr std::size_t kMaxAppointmentTypes = 50;
inline constexpr std::size_t kMaxClosedDates = 366;
inline constexpr std::size_t kMaxOverridesPerPractitioner = 366;
inline constexpr std::size_t kMaxIntervalsPerDay = 12;

// Ok, or kInvalid "invalid_clinic_config" naming the first field over a bound. Ids are
// 1-64 of A-Z a-z 0-9 _ -; "any" is no practitioner's and no clinic's id (it means "any
// practitioner" in every request).
Status check_clinic_bounds(const ClinicConfig& clinic);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_BOUNDS_H_
