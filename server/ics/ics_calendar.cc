#include "ics/ics_calendar.h"

#include <cstdlib>
#include <memory>

#include <libical/ical.h>

#include "booking/booking_view.h"

namespace slotbook::server {
namespace {

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

icaltimetype utc_time(UtcSeconds time) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(to_unix(time)), 0,
                                       icaltimezone_get_utc_timezone());
}

icalproperty_status ics_status(BookingStatus status) {
  if (status == BookingStatus::kCancelled) return ICAL_STATUS_CANCELLED;
  if (status == BookingStatus::kPending) return ICAL_STATUS_TENTATIVE;
  return ICAL_STATUS_CONFIRMED;
}

}  // namespace

void init_ics() { (void)icaltimezone_get_utc_timezone(); }

std::string booking_ics(const BookingRecord& booking, const ClinicConfig& clinic, UtcSeconds now,
                        const IcsInvite* invite) {
  std::unique_ptr<icalcomponent, ComponentDeleter> calendar(
      icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(),
                             icalproperty_new_prodid("-//slotbook//booking-server//EN"));
  const bool cancelled = booking.status == BookingStatus::kCancelled;
  const icalproperty_method method =
      !invite ? ICAL_METHOD_PUBLISH : (cancelled ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST);
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(method));

  icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  const std::string uid = booking.id + "@slotbook";
  const std::string summary = type_display_name(booking, clinic) + " with " +
                              clinic.practitioner_name(booking.practitioner_id);
  const std::string clinic_name = clinic_display_name(clinic);
  const std::string description = "Confirmation number: " + booking.confirmation_number;
  icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
  icalcomponent_add_property(event, icalproperty_new_dtstamp(utc_time(now)));
  icalcomponent_add_property(event, icalproperty_new_dtstart(utc_time(booking.start_utc)));
  icalcomponent_add_property(event, icalproperty_new_dtend(utc_time(booking.end_utc)));
  icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
  icalcomponent_add_property(event, icalproperty_new_location(clinic_name.c_str()));
  icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
  icalcomponent_add_property(event, icalproperty_new_sequence(booking.sequence));
  icalcomponent_add_property(event, icalproperty_new_status(ics_status(booking.status)));
  if (invite) {
    const std::string organizer = "mailto:" + invite->organizer_email;
    icalproperty* organizer_property = icalproperty_new_organizer(organizer.c_str());
    if (!invite->organizer_name.empty()) {
      icalproperty_add_parameter(organizer_property,
                                 icalparameter_new_cn(invite->organizer_name.c_str()));
    }
    icalcomponent_add_property(event, organizer_property);
    const std::string attendee = "mailto:" + invite->attendee_email;
    icalproperty* attendee_property = icalproperty_new_attendee(attendee.c_str());
    if (!invite->attendee_name.empty()) {
      icalproperty_add_parameter(attendee_property,
                                 icalparameter_new_cn(invite->attendee_name.c_str()));
    }
    icalproperty_add_parameter(attendee_property, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    // The patient chose the time: the invitation is theirs already.
    icalproperty_add_parameter(attendee_property,
                               icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
    icalcomponent_add_property(event, attendee_property);
  }
  icalcomponent_add_component(calendar.get(), event);

  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

}  // namespace slotbook::server
