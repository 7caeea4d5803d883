// CalendarWriteBack: keeps the outside copies of bookings in step with slotbook
// (docs/integrations.md "Write-back"): the event in each connected Google or Microsoft
// calendar of the practitioner, and the Zoom meeting of a Zoom video type. It runs the
// delivery worker's "calendar" and "meeting" jobs (delivery_plan.h plan_mirror_jobs), so
// they have the outbox's leases, retries with backoff and the staff API.
//
// Each job converges: it reads the booking as it is and the link it keeps
// (CalendarLinkRecord: the provider's id) and makes the outside copy match, creating,
// updating or deleting it. Idempotent against retries even when an attempt got through
// but its answer was lost: Google events get a client-specified id from the booking id (a
// second insert collides and becomes a patch), Microsoft events a transactionId (Graph
// returns the first event). Zoom has no such key: a meeting is created only when the
// booking has no link, and jobs of one booking run one at a time in this process.
//
// Meet and Teams links come back with the calendar event, Zoom's with the meeting; each
// is stored on the booking (BookingService::set_meeting_link, booking.meeting_ready), so
// the patient hears of it by email and sees it on the manage page and in the .ics.
#ifndef SLOTBOOK_SERVER_CALENDARS_CALENDAR_WRITEBACK_H_
#define SLOTBOOK_SERVER_CALENDARS_CALENDAR_WRITEBACK_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "booking/booking_service.h"
#include "booking/clinic_catalog.h"
#include "calendars/connection_access.h"
#include "calendars/provider_settings.h"
#include "notify/delivery_worker.h"

namespace slotbook::server {

class CalendarWriteBack final : public MirrorJobs {
 public:
  CalendarWriteBack(Storage& storage, ClinicCatalog& catalog, BookingService& bookings,
                    const Clock& clock, const ProviderSettings& settings, ConnectionAccess& access);

  SendOutcome run(const DeliveryRecord& delivery) override;

  // What a job did, for the seed endpoints that mirror a booking on request
  // (POST /calendar/sync-booking, /api/create-*-meeting): the provider's id and the join
  // link, if any.
  struct Mirrored {
    Mirrored(SendOutcome outcome, std::string external_id = {}, std::string meeting_url = {},
             std::string password = {}, std::string host_url = {})
        : outcome(std::move(outcome)),
          external_id(std::move(external_id)),
          meeting_url(std::move(meeting_url)),
          password(std::move(password)),
          host_url(std::move(host_url)) {}
    SendOutcome outcome;
    std::string external_id;
    std::string meeting_url;
    std::string password;  // Zoom: the meeting's passcode
    std::string host_url;  // Zoom: the host's start link, when the meeting was made now
  };
  Mirrored mirror_to_calendar(const std::string& booking_id, const std::string& connection_id);
  Mirrored mirror_to_zoom(const std::string& booking_id);
  // Makes the booking a `video` meeting (zoom; google_meet or teams through the
  // connection `connection_id`) and mirrors it now.
  Mirrored make_meeting(const std::string& booking_id, VideoProvider video,
                        const std::string& connection_id);

 private:
  struct Loaded;
  // Reads the booking, its clinic and its link to `target`; an outcome when the job has
  // nothing it can do.
  std::optional<SendOutcome> load(const std::string& booking_id, const std::string& target,
                                  Loaded& into);
  Mirrored converge_calendar(Loaded& loaded, CalendarConnectionRecord connection);
  Mirrored converge_zoom(Loaded& loaded);
  ProviderResult<std::string> zoom_token();
  void store_link(const CalendarLinkRecord& link);
  void drop_link(const std::string& booking_id, const std::string& target);
  void store_meeting_link(const BookingRecord& booking, const std::string& url);
  std::shared_ptr<std::mutex> lock_for(const std::string& booking_id);

  Storage& storage_;
  ClinicCatalog& catalog_;
  BookingService& bookings_;
  const Clock& clock_;
  const ProviderSettings& settings_;
  ConnectionAccess& access_;

  std::mutex zoom_mutex_;
  std::string zoom_access_token_;
  UtcSeconds zoom_expires_at_{};

  std::mutex locks_mutex_;
  std::map<std::string, std::weak_ptr<std::mutex>> locks_;  // per booking
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CALENDAR_WRITEBACK_H_
