#include "calendars/calendar_writeback.h"

#include <spdlog/spdlog.h>

#include "booking/booking_view.h"
#include "calendars/google_calendar.h"
#include "calendars/microsoft_graph.h"
#include "calendars/oauth.h"
#include "calendars/zoom_meetings.h"
#include "notify/delivery_kinds.h"

namespace slotbook::server {
namespace {

SendOutcome outcome_of(const ProviderFailure& failure) {
  if (failure.kind == ProviderFailure::Kind::kRetry) {
    return SendOutcome::retry(failure.detail, failure.retry_after);
  }
  return SendOutcome::rejected(failure.detail);
}

// The event slotbook writes in the practitioner's own calendar: who is coming and why,
// where (the video link or the clinic), nothing the practitioner's calendar needs less.
EventDraft draft_for(const BookingRecord& b, const ClinicConfig& clinic, bool online_meeting) {
  EventDraft draft;
  draft.id = gcal::google_event_id(b.id);
  draft.summary = type_display_name(b, clinic) + ": " + b.patient_name;
  draft.description = "Patient: " + b.patient_name +
                      (b.patient_phone.empty() ? "" : "\nPhone: " + b.patient_phone) +
                      "\nType: " + type_display_name(b, clinic) +
                      "\nConfirmation number: " + b.confirmation_number;
  if (!b.notes.empty()) draft.description += "\nNotes: " + b.notes;
  if (!b.meeting_url.empty()) draft.description += "\nVideo meeting: " + b.meeting_url;
  draft.location = b.meeting_url.empty() ? clinic_display_name(clinic) : b.meeting_url;
  draft.time_zone = clinic.timezone();
  draft.slotbook_booking_id = b.id;
  draft.start = b.start_utc;
  draft.end = b.end_utc;
  draft.add_online_meeting = online_meeting;
  draft.conference_request_id = b.id;
  return draft;
}

}  // namespace

struct CalendarWriteBack::Loaded {
  BookingRecord booking;
  std::shared_ptr<const ClinicConfig> clinic;
  std::optional<CalendarLinkRecord> link;
  std::optional<CalendarConnectionRecord> connection;
};

CalendarWriteBack::CalendarWriteBack(Storage& storage, ClinicCatalog& catalog,
                                     BookingService& bookings, const Clock& clock,
                                     const ProviderSettings& settings, ConnectionAccess& access)
    : storage_(storage),
      catalog_(catalog),
      bookings_(bookings),
      clock_(clock),
      settings_(settings),
      access_(access) {}

std::shared_ptr<std::mutex> CalendarWriteBack::lock_for(const std::string& booking_id) {
  std::lock_guard<std::mutex> guard(locks_mutex_);
  std::shared_ptr<std::mutex> lock = locks_[booking_id].lock();
  if (!lock) {
    lock = std::make_shared<std::mutex>();
    locks_[booking_id] = lock;
  }
  // Forget the bookings nobody is working on.
  for (auto it = locks_.begin(); it != locks_.end();) {
    it = it->second.expired() ? locks_.erase(it) : std::next(it);
  }
  return lock;
}

SendOutcome CalendarWriteBack::run(const DeliveryRecord& delivery) {
  if (delivery.channel == delivery::kMeeting) {
    return mirror_to_zoom(delivery.booking_id).outcome;
  }
  return mirror_to_calendar(delivery.booking_id, delivery.recipient).outcome;
}

std::optional<SendOutcome> CalendarWriteBack::load(const std::string& booking_id,
                                                   const std::string& target, Loaded& into) {
  std::optional<SendOutcome> decided;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto booking = view.booking(booking_id);
    if (!booking.ok()) return booking.error();
    if (!*booking) {
      decided = SendOutcome::rejected("the booking is gone");
      return Status();
    }
    into.booking = **booking;
    auto clinic = catalog_.get(view, into.booking.clinic_id);
    if (!clinic.ok()) return clinic.error();
    into.clinic = *clinic;
    auto links = view.calendar_links(booking_id);
    if (!links.ok()) return links.error();
    for (const CalendarLinkRecord& link : *links) {
      if (link.target == target) into.link = link;
    }
    if (target != delivery::kZoom) {
      auto connection = view.calendar_connection(target);
      if (!connection.ok()) return connection.error();
      into.connection = *connection;
    }
    return Status();
  });
  if (!read.ok()) return SendOutcome::retry(read.error().message);
  return decided;
}

CalendarWriteBack::Mirrored CalendarWriteBack::mirror_to_calendar(
    const std::string& booking_id, const std::string& connection_id) {
  auto lock = lock_for(booking_id);
  std::lock_guard<std::mutex> held(*lock);
  Loaded loaded;
  if (auto decided = load(booking_id, connection_id, loaded)) return {*decided, {}, {}};
  if (!loaded.connection) {
    return {SendOutcome::rejected("the calendar was disconnected"), {}, {}};
  }
  if (loaded.connection->status != kConnected) {
    return {SendOutcome::rejected("the calendar connection is broken: connect it again"), {}, {}};
  }
  return converge_calendar(loaded, *loaded.connection);
}

CalendarWriteBack::Mirrored CalendarWriteBack::converge_calendar(Loaded& loaded,
                                                                 CalendarConnectionRecord c) {
  const BookingRecord& b = loaded.booking;
  const bool google = c.provider == kGoogle;
  const bool wanted = occupies_time(b.status) && b.practitioner_id == c.practitioner_id;
  const std::string& api = google ? settings_.google_api_url : settings_.graph_api_url;
  const auto timeout = settings_.timeout;

  if (!wanted) {
    if (!loaded.link) return {SendOutcome::sent("nothing to remove"), {}, {}};
    const std::string event_id = loaded.link->external_id;
    auto deleted = access_.with_token<bool>(c, [&](const std::string& token) {
      return google ? gcal::delete_event(api, token, c.calendar_id, event_id, timeout)
                    : msgraph::delete_event(api, token, event_id, timeout);
    });
    if (!deleted.ok()) return {outcome_of(deleted.error()), event_id, {}};
    drop_link(b.id, c.id);
    return {
        SendOutcome::sent(*deleted ? "event deleted" : "event was gone", event_id), event_id, {}};
  }

  const VideoProvider video = parse_video_provider(b.meeting_provider);
  const bool online = (google && video == VideoProvider::kGoogleMeet) ||
                      (!google && video == VideoProvider::kTeams);
  const EventDraft draft = draft_for(b, *loaded.clinic, online);
  auto written = access_.with_token<CalendarEvent>(
      c, [&](const std::string& token) -> ProviderResult<CalendarEvent> {
        if (loaded.link) {
          auto updated =
              google ? gcal::patch_event(api, token, c.calendar_id, loaded.link->external_id, draft,
                                         timeout)
                     : msgraph::update_event(api, token, loaded.link->external_id, draft, timeout);
          const bool gone =
              !updated.ok() && (updated.error().status == 404 || updated.error().status == 410);
          if (!gone || !google) {
            if (!gone) return updated;
            return msgraph::create_event(api, token, draft, timeout);  // deleted by hand
          }
          // Deleted by hand in Google, which keeps the id: a new event under Google's own id.
          EventDraft fresh = draft;
          fresh.id.clear();
          return gcal::insert_event(api, token, c.calendar_id, fresh, timeout);
        }
        if (!google) return msgraph::create_event(api, token, draft, timeout);
        auto inserted = gcal::insert_event(api, token, c.calendar_id, draft, timeout);
        if (!inserted.ok() && inserted.error().status == 409) {
          // An earlier attempt got through: that event is ours to update.
          return gcal::patch_event(api, token, c.calendar_id, draft.id, draft, timeout);
        }
        return inserted;
      });
  if (!written.ok()) return {outcome_of(written.error()), {}, {}};
  CalendarLinkRecord link;
  link.booking_id = b.id;
  link.target = c.id;
  link.external_id = written->id;
  link.meeting_url = written->hangout_link;
  link.written = TimeWindow{b.start_utc, b.end_utc};
  link.updated_at = clock_.now();
  store_link(link);
  if (online && !written->hangout_link.empty() && written->hangout_link != b.meeting_url) {
    store_meeting_link(b, written->hangout_link);
  }
  return {SendOutcome::sent(loaded.link ? "event updated" : "event created", written->id),
          written->id, written->hangout_link};
}

CalendarWriteBack::Mirrored CalendarWriteBack::mirror_to_zoom(const std::string& booking_id) {
  auto lock = lock_for(booking_id);
  std::lock_guard<std::mutex> held(*lock);
  Loaded loaded;
  if (auto decided = load(booking_id, std::string(delivery::kZoom), loaded)) {
    return {*decided, {}, {}};
  }
  return converge_zoom(loaded);
}

CalendarWriteBack::Mirrored CalendarWriteBack::make_meeting(const std::string& booking_id,
                                                            VideoProvider video,
                                                            const std::string& connection_id) {
  auto set = bookings_.set_meeting_provider(booking_id, to_string(video));
  if (!set.ok()) return {SendOutcome::rejected(set.error().message), {}, {}, {}, {}};
  if (video == VideoProvider::kZoom) return mirror_to_zoom(booking_id);
  return mirror_to_calendar(booking_id, connection_id);
}

ProviderResult<std::string> CalendarWriteBack::zoom_token() {
  std::lock_guard<std::mutex> guard(zoom_mutex_);
  const UtcSeconds now = clock_.now();
  if (!zoom_access_token_.empty() && zoom_expires_at_ - std::chrono::minutes(2) > now) {
    return zoom_access_token_;
  }
  auto grant =
      zoom_account_token(settings_.zoom_token_url, settings_.zoom_account_id,
                         settings_.zoom_client_id, settings_.zoom_client_secret, settings_.timeout);
  if (!grant.ok()) return grant.error();
  zoom_access_token_ = grant->access_token;
  zoom_expires_at_ = now + grant->expires_in;
  return zoom_access_token_;
}

CalendarWriteBack::Mirrored CalendarWriteBack::converge_zoom(Loaded& loaded) {
  const BookingRecord& b = loaded.booking;
  if (!settings_.zoom_configured()) {
    return {SendOutcome::rejected("Zoom is not configured (ZOOM_ACCOUNT_ID)"), {}, {}};
  }
  const bool wanted = occupies_time(b.status) && b.meeting_provider == "zoom";
  const ClinicConfig& clinic = *loaded.clinic;
  const std::string topic = type_display_name(b, clinic) + " with " +
                            clinic.practitioner_name(b.practitioner_id) + ", " +
                            clinic_display_name(clinic);
  const auto duration = std::chrono::duration_cast<std::chrono::minutes>(b.end_utc - b.start_utc);
  const std::string& api = settings_.zoom_api_url;
  const auto timeout = settings_.timeout;
  // Zoom's token lasts an hour and has no refresh token: a refused one is asked for anew.
  auto with_token = [&](auto call) -> decltype(call(std::string())) {
    auto token = zoom_token();
    if (!token.ok()) return token.error();
    auto result = call(*token);
    if (result.ok() || result.error().kind != ProviderFailure::Kind::kUnauthorized) return result;
    {
      std::lock_guard<std::mutex> guard(zoom_mutex_);
      zoom_access_token_.clear();
    }
    token = zoom_token();
    if (!token.ok()) return token.error();
    return call(*token);
  };

  if (!wanted) {
    if (!loaded.link) return {SendOutcome::sent("no meeting to remove"), {}, {}};
    const std::string id = loaded.link->external_id;
    auto deleted = with_token(
        [&](const std::string& token) { return zoom::delete_meeting(api, token, id, timeout); });
    if (!deleted.ok()) return {outcome_of(deleted.error()), id, {}};
    drop_link(b.id, std::string(delivery::kZoom));
    return {SendOutcome::sent(*deleted ? "meeting deleted" : "meeting was gone", id), id, {}};
  }
  if (loaded.link) {
    const CalendarLinkRecord link = *loaded.link;
    const bool moved = link.written.from != b.start_utc || link.written.to != b.end_utc;
    if (!moved) {
      if (b.meeting_url != link.meeting_url) store_meeting_link(b, link.meeting_url);
      return {SendOutcome::sent("meeting up to date", link.external_id), link.external_id,
              link.meeting_url};
    }
    auto updated = with_token([&](const std::string& token) {
      return zoom::update_meeting(api, token, link.external_id, topic, b.start_utc, duration,
                                  clinic.timezone(), timeout);
    });
    if (!updated.ok()) return {outcome_of(updated.error()), link.external_id, {}};
    if (*updated) {
      CalendarLinkRecord moved_link = link;
      moved_link.written = TimeWindow{b.start_utc, b.end_utc};
      moved_link.updated_at = clock_.now();
      store_link(moved_link);
      return {SendOutcome::sent("meeting moved", link.external_id), link.external_id,
              link.meeting_url};
    }
    // Deleted in Zoom meanwhile: make a new one below.
  }
  const auto* calendars = clinic.calendars().practitioner(b.practitioner_id);
  std::string host = calendars ? calendars->zoom_user : "";
  if (host.empty() && calendars) host = calendars->email;
  if (host.empty()) host = "me";
  auto created = with_token([&](const std::string& token) {
    return zoom::create_meeting(api, token, host, topic, "Confirmation " + b.confirmation_number,
                                b.start_utc, duration, clinic.timezone(), timeout);
  });
  if (!created.ok()) return {outcome_of(created.error()), {}, {}};
  CalendarLinkRecord link;
  link.booking_id = b.id;
  link.target = std::string(delivery::kZoom);
  link.external_id = created->id;
  link.meeting_url = created->join_url;
  link.written = TimeWindow{b.start_utc, b.end_utc};
  link.updated_at = clock_.now();
  store_link(link);
  store_meeting_link(b, created->join_url);
  return {SendOutcome::sent("meeting created", created->id), created->id, created->join_url,
          created->password, created->start_url};
}

void CalendarWriteBack::store_link(const CalendarLinkRecord& link) {
  Status stored = storage_.write(WriteScope{},
                                 [&](WriteTransaction& tx) { return tx.put_calendar_link(link); });
  if (!stored.ok()) {
    spdlog::error("storing the link of booking {} to {} failed: {}", link.booking_id, link.target,
                  stored.error().message);
  }
}

void CalendarWriteBack::drop_link(const std::string& booking_id, const std::string& target) {
  Status dropped = storage_.write(WriteScope{}, [&](WriteTransaction& tx) {
    return tx.delete_calendar_link(booking_id, target);
  });
  if (!dropped.ok()) {
    spdlog::error("dropping the link of booking {} to {} failed: {}", booking_id, target,
                  dropped.error().message);
  }
}

void CalendarWriteBack::store_meeting_link(const BookingRecord& booking, const std::string& url) {
  auto stored = bookings_.set_meeting_link(booking.id, booking.meeting_provider, url);
  if (!stored.ok()) {
    spdlog::error("storing the meeting link of booking {} failed: {}", booking.id,
                  stored.error().message);
  }
}

}  // namespace slotbook::server
