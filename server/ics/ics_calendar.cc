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

// The VEVENT of `booking`: the same UID and SEQUENCE in every calendar it appears in.
icalcomponent* booking_event(const BookingRecord& booking, const ClinicConfig& clinic,
                             UtcSeconds now, const std::string& summary) {
  icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  const std::string uid = booking.id + "@slotbook";
  const std::string clinic_name = clinic_display_name(clinic);
  // A video appointment happens at its join link: calendar apps show LOCATION and URL as
  // the place to go, and DESCRIPTION carries it for those that show neither.
  const bool video = !booking.meeting_url.empty();
  const std::string location = video ? booking.meeting_url : clinic_name;
  std::string description = "Confirmation number: " + booking.confirmation_number;
  if (video) description += "\nJoin the video meeting: " + booking.meeting_url;
  icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
  icalcomponent_add_property(event, icalproperty_new_dtstamp(utc_time(now)));
  icalcomponent_add_property(event, icalproperty_new_dtstart(utc_time(booking.start_utc)));
  icalcomponent_add_property(event, icalproperty_new_dtend(utc_time(booking.end_utc)));
  icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
  icalcomponent_add_property(event, icalproperty_new_location(location.c_str()));
  if (video) icalcomponent_add_property(event, icalproperty_new_url(booking.meeting_url.c_str()));
  icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
  icalcomponent_add_property(event, icalproperty_new_sequence(booking.sequence));
  icalcomponent_add_property(event, icalproperty_new_status(ics_status(booking.status)));
  return event;
}

using Calendar = std::unique_ptr<icalcomponent, ComponentDeleter>;

Calendar new_calendar(icalproperty_method method) {
  Calendar calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(),
                             icalproperty_new_prodid("-//slotbook//booking-server//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(method));
  return calendar;
}

std::string text_of(const Calendar& calendar) {
  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

}  // namespace

void init_ics() { (void)icaltimezone_get_utc_timezone(); }

std::string booking_ics(const BookingRecord& booking, const ClinicConfig& clinic, UtcSeconds now,
                        const IcsInvite* invite) {
  const bool cancelled = booking.status == BookingStatus::kCancelled;
  Calendar calendar = new_calendar(!invite     ? ICAL_METHOD_PUBLISH
                                   : cancelled ? ICAL_METHOD_CANCEL
                                               : ICAL_METHOD_REQUEST);
  const std::string summary = type_display_name(booking, clinic) + " with " +
                              clinic.practitioner_name(booking.practitioner_id);
  icalcomponent* event = booking_event(booking, clinic, now, summary);
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
  return text_of(calendar);
}

std::string schedule_ics(const std::vector<BookingRecord>& bookings, const ClinicConfig& clinic,
                         std::string_view name, UtcSeconds now) {
  Calendar calendar = new_calendar(ICAL_METHOD_PUBLISH);
  const std::string calendar_name(name);
  icalproperty* title = icalproperty_new_x(calendar_name.c_str());
  icalproperty_set_x_name(title, "X-WR-CALNAME");
  icalcomponent_add_property(calendar.get(), title);
  for (const BookingRecord& booking : bookings) {
    std::string summary = type_display_name(booking, clinic) + ": " + booking.patient_name;
    if (clinic.checked().practitioners.size() > 1) {
      summary += " (" + clinic.practitioner_name(booking.practitioner_id) + ")";
    }
    icalcomponent_add_component(calendar.get(), booking_event(booking, clinic, now, summary));
  }
  return text_of(calendar);
}

}  // namespace slotbook::server
