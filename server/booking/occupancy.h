// Which stored bookings the engine must see to decide about a span of time. The one
// place that decides how far back and ahead occupancy is loaded: booking validation,
// slot listings and the widget snapshot all ask here, and storage filters on the result.
#ifndef SLOTBOOK_SERVER_BOOKING_OCCUPANCY_H_
#define SLOTBOOK_SERVER_BOOKING_OCCUPANCY_H_

#include "booking/booking_record.h"
#include "booking/clinic_config.h"

namespace slotbook::server {

// The engine decides about instants in `decided`. A stored booking matters when its
// occupancy (its time widened by its type's buffers) intersects `decided`; its buffers
// are at most the clinic's largest, so every booking that matters has its own
// [start, end) inside the returned window (a superset: the engine still decides).
TimeWindow bookings_to_load(const ClinicConfig& clinic, TimeWindow decided);

// What a listing of local dates [first, last] decides about: every grid start on those
// dates, up to the end of the longest appointment with its buffers.
TimeWindow listing_span(const ClinicConfig& clinic, LocalDate first, LocalDate last);

// What validating a booking of [start, end) with these buffers decides about.
TimeWindow booking_span(UtcSeconds start, UtcSeconds end, int buffer_before_minutes,
                        int buffer_after_minutes);

// Whether `after` takes other time than `before` (practitioner, type or times differ), so
// its occupancy is computed anew.
bool moves(const BookingRecord& before, const BookingRecord& after);

// The booking's stored occupancy narrowed to what `clinic` (a new configuration) sees as
// its occupancy: shrinking buffers shrink it, growing ones leave it, so it stays within
// the engine's view without ever overlapping a neighbour booked under the old buffers.
TimeWindow narrowed_occupancy(const BookingRecord& booking, const ClinicConfig& clinic);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_OCCUPANCY_H_
