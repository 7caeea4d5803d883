#include "calendars/calendar_sync.h"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

#include "calendars/google_calendar.h"
#include "calendars/ics_feed.h"
#include "calendars/microsoft_graph.h"
#include "calendars/span_math.h"
#include "notify/http_client.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

ProviderFailure retry_failure(std::string detail) {
  return provider_failure(ProviderFailure::Kind::kRetry, std::move(detail));
}

// From now to the end of the clinic's booking horizon: all the engine ever decides about.
TimeWindow sync_window(const ClinicConfig& clinic, UtcSeconds now) {
  return {now, now + date::days(clinic.horizon_days() + 2)};
}

std::vector<TimeWindow> to_windows(const std::vector<BusySpan>& spans) {
  std::vector<TimeWindow> out;
  out.reserve(spans.size());
  for (const BusySpan& span : spans) out.push_back({span.start, span.end});
  return out;
}

bool same_spans(const std::vector<TimeWindow>& a, const std::vector<ExternalBusyRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].from != b[i].span.from || a[i].to != b[i].span.to) return false;
  }
  return true;
}

}  // namespace

CalendarSync::CalendarSync(Storage& storage, ClinicCatalog& catalog, const Clock& clock,
                           const EventBus& events, const ProviderSettings& settings,
                           ConnectionAccess& access)
    : storage_(storage),
      catalog_(catalog),
      clock_(clock),
      events_(events),
      settings_(settings),
      access_(access) {}

std::string CalendarSync::ics_connection_id(const std::string& practitioner_id,
                                            const std::string& url) {
  return "cal_ics_" + sha256_hex(practitioner_id + "\n" + url).substr(0, 24);
}

bool CalendarSync::due(const CalendarConnectionRecord& connection, UtcSeconds now) const {
  return connection.status == kConnected &&
         (!connection.last_attempt_at ||
          now - *connection.last_attempt_at >= settings_.sync_interval);
}

void CalendarSync::sync_due() {
  if (Status reconciled = reconcile_feeds(); !reconciled.ok()) {
    spdlog::error("calendar feeds: {}", reconciled.error().message);
    return;
  }
  std::vector<CalendarConnectionRecord> connections;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto all = view.calendar_connections("");
    if (!all.ok()) return all.error();
    connections = std::move(*all);
    return Status();
  });
  if (!read.ok()) {
    spdlog::error("calendar sync: {}", read.error().message);
    return;
  }
  any_connections_ = !connections.empty();
  const UtcSeconds now = clock_.now();
  for (const CalendarConnectionRecord& connection : connections) {
    if (!due(connection, now)) continue;
    if (Status synced = sync(connection, settings_.timeout); !synced.ok()) {
      spdlog::error("calendar sync of {}: {}", connection.id, synced.error().message);
    }
  }
}

Status CalendarSync::sync_practitioner(const std::string& practitioner_id) {
  if (Status reconciled = reconcile_feeds(); !reconciled.ok()) return reconciled;
  std::vector<CalendarConnectionRecord> connections;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto found = view.calendar_connections(practitioner_id);
    if (!found.ok()) return found.error();
    connections = std::move(*found);
    return Status();
  });
  if (!read.ok()) return read;
  if (!connections.empty()) any_connections_ = true;
  for (const CalendarConnectionRecord& connection : connections) {
    if (connection.status != kConnected) continue;
    if (Status synced = sync(connection, settings_.timeout); !synced.ok()) return synced;
  }
  return Status();
}

void CalendarSync::refresh_stale(const std::string& clinic_id,
                                 const std::vector<std::string>& practitioner_ids) {
  if (!any_connections_) return;
  std::vector<CalendarConnectionRecord> stale;
  const UtcSeconds now = clock_.now();
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto all = view.calendar_connections("");
    if (!all.ok()) return all.error();
    for (CalendarConnectionRecord& c : *all) {
      const bool wanted =
          practitioner_ids.empty() || std::find(practitioner_ids.begin(), practitioner_ids.end(),
                                                c.practitioner_id) != practitioner_ids.end();
      if (c.clinic_id == clinic_id && wanted && due(c, now)) stale.push_back(std::move(c));
    }
    return Status();
  });
  if (!read.ok()) return;  // the booking goes on with what is stored
  for (const CalendarConnectionRecord& connection : stale) {
    if (Status synced = sync(connection, kBeforeBookingTimeout); !synced.ok()) {
      spdlog::warn("calendar sync before a booking: {}", synced.error().message);
    }
  }
}

Status CalendarSync::reconcile_feeds() {
  // What the configurations list, by connection id.
  std::map<std::string, CalendarConnectionRecord> configured;
  std::vector<CalendarConnectionRecord> feeds;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto ids = view.clinic_ids();
    if (!ids.ok()) return ids.error();
    for (const std::string& clinic_id : *ids) {
      auto clinic = catalog_.get(view, clinic_id);
      if (!clinic.ok()) {
        if (clinic.error().kind == FailureKind::kNotFound) continue;
        return clinic.error();
      }
      for (const auto& [practitioner_id, calendars] : (*clinic)->calendars().practitioners) {
        for (const std::string& url : calendars.ics_urls) {
          CalendarConnectionRecord c;
          c.id = ics_connection_id(practitioner_id, url);
          c.clinic_id = clinic_id;
          c.practitioner_id = practitioner_id;
          c.provider = std::string(kIcs);
          c.source = url;
          c.status = std::string(kConnected);
          configured[c.id] = std::move(c);
        }
      }
    }
    auto all = view.calendar_connections("");
    if (!all.ok()) return all.error();
    for (CalendarConnectionRecord& c : *all) {
      if (c.provider == kIcs) feeds.push_back(std::move(c));
    }
    return Status();
  });
  if (!read.ok()) return read;
  const UtcSeconds now = clock_.now();
  std::vector<DomainEvent> published;
  for (const CalendarConnectionRecord& stored : feeds) {
    if (configured.erase(stored.id) > 0) continue;
    // No longer configured: its busy times go with it.
    Status removed = storage_.write(
        WriteScope{stored.clinic_id, {stored.practitioner_id}, ""},
        [&](WriteTransaction& tx) -> Status {
          auto existed = tx.delete_calendar_connection(stored.id);
          if (!existed.ok()) return existed.error();
          published = {calendar_busy_event(stored.clinic_id, stored.practitioner_id, now)};
          return tx.append_outbox(outbox_record(published.back()));
        });
    if (!removed.ok()) return removed;
    events_.publish(published);
  }
  for (auto& [id, connection] : configured) {
    connection.connected_at = now;
    Status added = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
      auto existing = tx.calendar_connection(id);
      if (!existing.ok()) return existing.error();
      if (*existing) return Status();  // another process was first
      return tx.put_calendar_connection(connection);
    });
    if (!added.ok()) return added;
  }
  return Status();
}

Status CalendarSync::sync(const CalendarConnectionRecord& stored,
                          std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!in_flight_.insert(stored.id).second) return Status();
  }
  struct Done {
    CalendarSync* self;
    std::string id;
    ~Done() {
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->in_flight_.erase(id);
    }
  } done{this, stored.id};

  std::shared_ptr<const ClinicConfig> clinic;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto found = catalog_.get(view, stored.clinic_id);
    if (!found.ok()) return found.error();
    clinic = *found;
    return Status();
  });
  if (!read.ok()) return read.error().kind == FailureKind::kNotFound ? Status() : read;
  CalendarConnectionRecord connection = stored;
  const TimeWindow window = sync_window(*clinic, clock_.now());
  return record(connection, fetch(connection, *clinic, window, timeout));
}

ProviderResult<CalendarSync::Fetched> CalendarSync::fetch(CalendarConnectionRecord& connection,
                                                          const ClinicConfig& clinic,
                                                          TimeWindow window,
                                                          std::chrono::milliseconds timeout) {
  if (connection.provider == kIcs) return fetch_feed(connection, clinic, window, timeout);
  Fetched out;
  if (connection.provider == kGoogle) {
    auto busy =
        access_.with_token<std::vector<BusySpan>>(connection, [&](const std::string& token) {
          return gcal::free_busy(settings_.google_api_url, token, connection.calendar_id,
                                 window.from, window.to, timeout);
        });
    if (!busy.ok()) return busy.error();
    // freeBusy cannot tell slotbook's own events from others: the times written there for
    // bookings are left out (the bookings themselves occupy them).
    std::vector<TimeWindow> own;
    Status read = storage_.read([&](ReadView& view) -> Status {
      auto links = view.calendar_links_into(connection.id, window);
      if (!links.ok()) return links.error();
      for (const CalendarLinkRecord& link : *links) own.push_back(link.written);
      return Status();
    });
    if (!read.ok()) return retry_failure(read.error().message);
    out.spans = subtract_spans(normalized_spans(to_windows(*busy), window), own);
    return out;
  }
  if (connection.provider == kMicrosoft) {
    auto events =
        access_.with_token<std::vector<CalendarEvent>>(connection, [&](const std::string& token) {
          return msgraph::calendar_view(settings_.graph_api_url, token, window.from, window.to,
                                        timeout);
        });
    if (!events.ok()) return events.error();
    std::vector<TimeWindow> spans;
    for (const CalendarEvent& event : *events) {
      if (event.busy && event.slotbook_booking_id.empty())
        spans.push_back({event.start, event.end});
    }
    out.spans = normalized_spans(std::move(spans), window);
    return out;
  }
  return retry_failure("unknown calendar provider " + connection.provider);
}

ProviderResult<CalendarSync::Fetched> CalendarSync::fetch_feed(
    const CalendarConnectionRecord& connection, const ClinicConfig& clinic, TimeWindow window,
    std::chrono::milliseconds timeout) {
  const FeedLimits limits;
  HttpRequest request;
  request.method = "GET";
  request.url = ics_fetch_url(connection.source);
  request.timeout = timeout;
  request.max_body_bytes = limits.max_bytes + 1;  // one more: too large is then visible
  request.public_addresses_only = !settings_.allow_private_addresses;
  request.headers = {"Accept: text/calendar"};
  if (!connection.feed_etag.empty())
    request.headers.push_back("If-None-Match: " + connection.feed_etag);
  auto reply = http_send(request);
  if (!reply.ok()) return retry_failure(reply.error().message);
  Fetched out;
  if (reply->status == 304) {
    out.unchanged = true;
    out.etag = connection.feed_etag;
    return out;
  }
  if (reply->status != 200) {
    ProviderFailure failure =
        retry_failure("the feed answered HTTP " + std::to_string(reply->status));
    failure.status = reply->status;
    failure.retry_after = reply->retry_after;
    return failure;
  }
  const ZoneRules& zone = clinic.checked().zone;
  auto busy = feed_busy(
      reply->body, window.from, window.to,
      [&zone](date::local_seconds wall) { return to_seconds(zone.to_instant(LocalTime(wall))); },
      limits);
  if (!busy.ok()) return retry_failure(busy.error().message);
  for (const FeedBusy& span : *busy) out.spans.push_back({span.start, span.end});
  out.etag = reply->etag;
  return out;
}

Status CalendarSync::record(const CalendarConnectionRecord& connection,
                            const ProviderResult<Fetched>& fetched) {
  const UtcSeconds now = clock_.now();
  std::vector<DomainEvent> published;
  Status stored = storage_.write(
      WriteScope{connection.clinic_id, {connection.practitioner_id}, ""},
      [&](WriteTransaction& tx) -> Status {
        published.clear();
        auto current = tx.calendar_connection(connection.id);
        if (!current.ok()) return current.error();
        if (!*current) return Status();  // disconnected while it synced
        CalendarConnectionRecord row = **current;
        row.last_attempt_at = now;
        if (!fetched.ok()) {
          // A broken connection keeps what broke it (and how to mend it).
          if (row.status != kBroken) row.last_error = fetched.error().detail;
          return tx.put_calendar_connection(row);
        }
        row.last_sync_at = now;
        row.last_error.clear();
        row.feed_etag = fetched->etag;
        if (!fetched->unchanged) {
          auto before = tx.external_busy(
              row.clinic_id, TimeWindow{UtcSeconds::min(), UtcSeconds::max()}, row.practitioner_id);
          if (!before.ok()) return before.error();
          before->erase(std::remove_if(
                            before->begin(), before->end(),
                            [&](const ExternalBusyRecord& b) { return b.connection_id != row.id; }),
                        before->end());
          if (!same_spans(fetched->spans, *before)) {
            Status replaced = tx.replace_external_busy(row.id, row.clinic_id, row.practitioner_id,
                                                       fetched->spans);
            if (!replaced.ok()) return replaced;
            published = {calendar_busy_event(row.clinic_id, row.practitioner_id, now)};
            if (Status appended = tx.append_outbox(outbox_record(published.back()));
                !appended.ok()) {
              return appended;
            }
          }
        }
        return tx.put_calendar_connection(row);
      });
  if (stored.ok()) events_.publish(published);
  if (!fetched.ok()) {
    spdlog::warn("calendar {} of {} not synced: {}", connection.id, connection.practitioner_id,
                 fetched.error().detail);
  }
  return stored;
}

}  // namespace slotbook::server
