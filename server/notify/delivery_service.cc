#include "notify/delivery_service.h"

#include <set>

#include <nlohmann/json.hpp>

#include "booking/audit_trail.h"
#include "notify/address_guard.h"
#include "notify/delivery_kinds.h"
#include "notify/webhook_signature.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {

DeliveryService::DeliveryService(Storage& storage, BookingService& bookings, const Clock& clock,
                                 DeliveryChannels channels, std::string server_key,
                                 bool allow_private_webhooks, std::function<void()> wake)
    : storage_(storage),
      bookings_(bookings),
      clock_(clock),
      channels_(channels),
      server_key_(std::move(server_key)),
      allow_private_webhooks_(allow_private_webhooks),
      wake_(std::move(wake)) {}

Expected<std::vector<DeliveryRecord>> DeliveryService::list(const DeliveryFilter& filter,
                                                            std::int64_t* total) {
  std::vector<DeliveryRecord> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto rows = view.list_deliveries(filter, total);
    if (!rows.ok()) return rows.error();
    out = std::move(*rows);
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<DeliveryRecord> DeliveryService::retry(std::string_view id) {
  const UtcSeconds now = clock_.now();
  DeliveryRecord out;
  Status status = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto found = tx.delivery(id);
    if (!found.ok()) return found.error();
    if (!*found) return not_found("delivery_not_found", "no such delivery");
    out = **found;
    if (out.status == delivery::kSent || out.status == delivery::kCancelled) {
      return Failure{FailureKind::kInvalidState, "delivery_not_retryable",
                     "a " + out.status + " delivery is not retried"};
    }
    if (out.status == delivery::kFailed) out.attempts = 0;
    out.status = delivery::kPending;
    out.next_attempt_at = now;
    out.updated_at = now;
    return tx.update_delivery(out);
  });
  if (!status.ok()) return status.error();
  if (wake_) wake_();
  return out;
}

Expected<DeliveryRecord> DeliveryService::delivery(std::string_view id) {
  auto found = read_value(storage_, [&](ReadView& view) { return view.delivery(id); });
  if (!found.ok()) return found.error();
  if (!*found) return not_found("delivery_not_found", "no such delivery");
  return std::move(**found);
}

Expected<BookingDecision> DeliveryService::request_reminder(std::string_view id,
                                                            const Actor& actor) {
  std::optional<BookingRecord> booking;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto found = view.booking(id);
    if (!found.ok()) return found.error();
    booking = std::move(*found);
    return Status();
  });
  if (!read.ok()) return read.error();
  if (!booking) return not_found("booking_not_found", "no such booking");
  const bool by_email = channels_.email && !booking->patient_email.empty();
  const bool by_sms = patient_gets_sms(EventKind::kBookingReminderRequested, *booking);
  if (!by_email && !by_sms) return bookings_.mark_reminder_sent(id, actor);
  auto decision = bookings_.request_reminder(id, actor);
  if (decision.ok() && wake_) wake_();
  return decision;
}

Expected<std::vector<std::string>> DeliveryService::resend_confirmation(std::string_view id,
                                                                        const Actor& actor) {
  auto found = read_value(storage_, [&](ReadView& view) { return view.booking(id); });
  if (!found.ok()) return found.error();
  const std::optional<BookingRecord>& booking = *found;
  if (!booking) return not_found("booking_not_found", "no such booking");
  std::vector<std::string> channels;
  if (channels_.email && !booking->patient_email.empty()) channels.push_back("email");
  if (patient_gets_sms(EventKind::kBookingConfirmationRequested, *booking)) {
    channels.push_back("sms");
  }
  if (!is_active(booking->status)) {
    return invalid_state("a " + std::string(to_string(booking->status)) +
                         " booking is not confirmed again");
  }
  if (channels.empty()) return channels;
  auto decision = bookings_.request_confirmation(id, actor);
  if (!decision.ok()) return decision.error();
  if (wake_) wake_();
  return channels;
}

bool DeliveryService::patient_gets_sms(EventKind kind, const BookingRecord& booking) const {
  return slotbook::server::patient_gets_sms(kind, booking, channels_);
}

namespace {

Failure refuse(std::string why) { return invalid("invalid_webhook", std::move(why)); }

// What the audit log keeps of a webhook: never its secret.
std::string webhook_audit_json(const WebhookRecord& w) {
  return nlohmann::ordered_json{{"url", w.url},
                                {"events", nlohmann::json::parse(w.events_json, nullptr, false)},
                                {"description", w.description},
                                {"clinic_id", w.clinic_id},
                                {"enabled", !w.disabled_at.has_value()}}
      .dump();
}

}  // namespace

Status DeliveryService::check_url(const std::string& url) const {
  if (url.size() > kMaxWebhookUrl) {
    return refuse("url: at most " + std::to_string(kMaxWebhookUrl) + " characters");
  }
  if (Status checked = check_webhook_url(url, allow_private_webhooks_); !checked.ok()) {
    return refuse("url: " + checked.error().message);
  }
  return Status();
}

Expected<std::string> DeliveryService::events_json(const std::vector<std::string>& events) {
  if (events.empty()) return refuse("events: name at least one event type");
  std::set<std::string> types;
  for (const std::string& type : events) {
    if (!is_webhook_type(type)) {
      return refuse("events: unknown event type \"" + type +
                    "\" (booking.created, booking.rescheduled, booking.cancelled, "
                    "booking.status_changed, booking.reminder_sent, clinic.updated)");
    }
    types.insert(type);
  }
  return nlohmann::json(std::vector<std::string>(types.begin(), types.end())).dump();
}

Expected<CreatedWebhook> DeliveryService::create_webhook(const NewWebhook& request,
                                                         const Actor& actor) {
  if (Status url = check_url(request.url); !url.ok()) return url.error();
  auto events = events_json(request.events);
  if (!events.ok()) return events.error();
  if (request.description.size() > kMaxWebhookDescription) {
    return refuse("description: at most " + std::to_string(kMaxWebhookDescription) + " characters");
  }
  CreatedWebhook out;
  out.secret = new_webhook_secret();
  WebhookRecord& w = out.webhook;
  w.id = "wh_" + random_code("0123456789abcdef", 24);
  w.clinic_id = request.clinic_id;
  w.url = request.url;
  w.events_json = std::move(*events);
  w.description = request.description;
  w.sealed_secret = to_base64(seal(server_key_, out.secret));
  w.created_at = clock_.now();
  Status status = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (!w.clinic_id.empty()) {
      auto version = tx.clinic_version(w.clinic_id);
      if (!version.ok()) return version.error();
      if (!*version) return not_found("clinic_not_found", "no clinic " + w.clinic_id);
    }
    auto existing = tx.webhooks();
    if (!existing.ok()) return existing.error();
    if (existing->size() >= kMaxWebhooks) {
      return invalid("too_many_webhooks",
                     "at most " + std::to_string(kMaxWebhooks) + " webhooks; delete one first");
    }
    if (Status inserted = tx.insert_webhook(w); !inserted.ok()) return inserted;
    return tx.append_audit(setting_audit("webhook.created", w.clinic_id, "webhook", w.id, actor, "",
                                         webhook_audit_json(w), w.created_at));
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<WebhookRecord> DeliveryService::change_webhook(std::string_view id,
                                                        const WebhookChange& change,
                                                        const Actor& actor) {
  if (change.url) {
    if (Status url = check_url(*change.url); !url.ok()) return url.error();
  }
  std::optional<std::string> events;
  if (change.events) {
    auto checked = events_json(*change.events);
    if (!checked.ok()) return checked.error();
    events = std::move(*checked);
  }
  if (change.description && change.description->size() > kMaxWebhookDescription) {
    return refuse("description: at most " + std::to_string(kMaxWebhookDescription) + " characters");
  }
  WebhookRecord out;
  Status status = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto found = tx.webhook(id);
    if (!found.ok()) return found.error();
    if (!*found) return not_found("webhook_not_found", "no such webhook");
    out = **found;
    const std::string before = webhook_audit_json(out);
    if (change.url) out.url = *change.url;
    if (events) out.events_json = *events;
    if (change.description) out.description = *change.description;
    if (change.enabled == true) {
      out.disabled_at.reset();
      out.failing_since.reset();
      out.last_error.clear();
    } else if (change.enabled == false && !out.disabled_at) {
      out.disabled_at = clock_.now();
    }
    if (Status updated = tx.update_webhook(out); !updated.ok()) return updated;
    return tx.append_audit(setting_audit("webhook.changed", out.clinic_id, "webhook", out.id, actor,
                                         before, webhook_audit_json(out), clock_.now()));
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<std::vector<WebhookRecord>> DeliveryService::webhooks() {
  std::vector<WebhookRecord> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto rows = view.webhooks();
    if (!rows.ok()) return rows.error();
    out = std::move(*rows);
    return Status();
  });
  if (!status.ok()) return status.error();
  return out;
}

Expected<WebhookRecord> DeliveryService::webhook(std::string_view id) {
  std::optional<WebhookRecord> out;
  Status status = storage_.read([&](ReadView& view) -> Status {
    auto row = view.webhook(id);
    if (!row.ok()) return row.error();
    out = std::move(*row);
    return Status();
  });
  if (!status.ok()) return status.error();
  if (!out) return not_found("webhook_not_found", "no such webhook");
  return std::move(*out);
}

Status DeliveryService::delete_webhook(std::string_view id, const Actor& actor) {
  bool existed = false;
  Status status = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto found = tx.webhook(id);
    if (!found.ok()) return found.error();
    auto deleted = tx.delete_webhook(id);
    if (!deleted.ok()) return deleted.error();
    existed = *deleted;
    if (!existed || !*found) return Status();
    return tx.append_audit(setting_audit("webhook.deleted", (*found)->clinic_id, "webhook",
                                         (*found)->id, actor, webhook_audit_json(**found), "",
                                         clock_.now()));
  });
  if (!status.ok()) return status;
  if (!existed) return not_found("webhook_not_found", "no such webhook");
  return Status();
}

}  // namespace slotbook::server
