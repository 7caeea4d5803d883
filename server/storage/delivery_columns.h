// The deliveries and webhooks tables as both SQL backends store them (like
// booking_columns.h): one column list, one reader and one binder each. Backend code only.
#ifndef SLOTBOOK_SERVER_STORAGE_DELIVERY_COLUMNS_H_
#define SLOTBOOK_SERVER_STORAGE_DELIVERY_COLUMNS_H_

#include <cstdint>

#include "storage/records.h"

namespace slotbook::server {

inline constexpr const char* kDeliveryColumns =
    "id, clinic_id, booking_id, outbox_position, channel, purpose, recipient, status, "
    "attempts, next_attempt_at, lease_until, last_error, receipt, dedupe_key, reminder_for, "
    "created_at, updated_at, sent_at";
inline constexpr int kDeliveryColumnCount = 18;

template <typename Row>
DeliveryRecord delivery_from_row(const Row& row) {
  DeliveryRecord d;
  d.id = row.text(0);
  d.clinic_id = row.text(1);
  d.booking_id = row.text(2);
  d.outbox_position = row.integer(3);
  d.channel = row.text(4);
  d.purpose = row.text(5);
  d.recipient = row.text(6);
  d.status = row.text(7);
  d.attempts = static_cast<int>(row.integer(8));
  d.next_attempt_at = row.time(9);
  d.lease_until = row.time(10);
  d.last_error = row.text(11);
  d.receipt = row.text(12);
  d.dedupe_key = row.text(13);
  d.reminder_for = row.time(14);
  d.created_at = row.time(15);
  d.updated_at = row.time(16);
  d.sent_at = row.optional_time(17);
  return d;
}

template <typename Bind>
void bind_delivery_columns(const DeliveryRecord& d, Bind&& bind) {
  bind(d.id), bind(d.clinic_id), bind(d.booking_id), bind(d.outbox_position), bind(d.channel);
  bind(d.purpose), bind(d.recipient), bind(d.status), bind(static_cast<std::int64_t>(d.attempts));
  bind(d.next_attempt_at), bind(d.lease_until), bind(d.last_error), bind(d.receipt);
  bind(d.dedupe_key), bind(d.reminder_for), bind(d.created_at), bind(d.updated_at);
  bind(d.sent_at);
}

inline constexpr const char* kWebhookColumns =
    "id, url, events, description, sealed_secret, created_at, failing_since, disabled_at, "
    "last_error, clinic_id";
inline constexpr int kWebhookColumnCount = 10;

template <typename Row>
WebhookRecord webhook_from_row(const Row& row) {
  WebhookRecord w;
  w.id = row.text(0);
  w.url = row.text(1);
  w.events_json = row.text(2);
  w.description = row.text(3);
  w.sealed_secret = row.text(4);
  w.created_at = row.time(5);
  w.failing_since = row.optional_time(6);
  w.disabled_at = row.optional_time(7);
  w.last_error = row.text(8);
  w.clinic_id = row.text(9);
  return w;
}

template <typename Bind>
void bind_webhook_columns(const WebhookRecord& w, Bind&& bind) {
  bind(w.id), bind(w.url), bind(w.events_json), bind(w.description), bind(w.sealed_secret);
  bind(w.created_at), bind(w.failing_since), bind(w.disabled_at), bind(w.last_error);
  bind(w.clinic_id);
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_DELIVERY_COLUMNS_H_
