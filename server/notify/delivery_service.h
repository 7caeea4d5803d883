// What the staff API asks of deliveries and webhooks (docs/api.md "Deliveries",
// "Webhooks"): list and retry deliveries, ask for a reminder now, and manage webhook
// subscriptions. Each change is one write transaction; sending stays with the worker,
// which is woken after a change.
#ifndef SLOTBOOK_SERVER_NOTIFY_DELIVERY_SERVICE_H_
#define SLOTBOOK_SERVER_NOTIFY_DELIVERY_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "booking/booking_service.h"
#include "common/clock.h"
#include "notify/delivery_plan.h"
#include "storage/records.h"

namespace slotbook::server {

class Storage;

inline constexpr std::size_t kMaxWebhooks = 50;
inline constexpr std::size_t kMaxWebhookUrl = 2000;
inline constexpr std::size_t kMaxWebhookDescription = 500;

struct NewWebhook {
  std::string url;
  std::vector<std::string> events;
  std::string description;
  std::string clinic_id;  // empty: every clinic's events
};

// What a PATCH changes; absent fields stay.
struct WebhookChange {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> description;
  std::optional<bool> enabled;  // true: enabled again, its failure record cleared
};

struct CreatedWebhook {
  WebhookRecord webhook;
  std::string secret;  // "whsec_...": shown once, in the answer that creates it
};

class DeliveryService {
 public:
  // `wake` tells the delivery worker something is due (may be empty).
  DeliveryService(Storage& storage, BookingService& bookings, const Clock& clock,
                  DeliveryChannels channels, std::string server_key, bool allow_private_webhooks,
                  std::function<void()> wake);

  Expected<std::vector<DeliveryRecord>> list(const DeliveryFilter& filter, std::int64_t* total);
  Expected<DeliveryRecord> delivery(std::string_view id);  // delivery_not_found
  // A failed delivery becomes pending again with a fresh count of attempts; a pending
  // one becomes due now. Failures: delivery_not_found, delivery_not_retryable
  // (kInvalidState: sent or cancelled).
  Expected<DeliveryRecord> retry(std::string_view id);

  // Asks for a reminder of booking `id` now, on every channel the patient can be reached
  // on (the worker sends it; reminder_sent_at is set when it went). When no channel
  // reaches the patient (no email configured or no address, no SMS consent), records
  // that staff reminded them some other way, as seed 000's "mark reminder as sent".
  // Failures: booking_not_found, invalid_state (cancelled).
  Expected<BookingDecision> request_reminder(std::string_view id, const Actor& actor);
  // Sends the confirmation of booking `id` to the patient again, as the booking is now, on
  // every channel that reaches them; returns those channels ("email", "sms"), empty when
  // none does (nothing is queued then). Failures: booking_not_found, invalid_state
  // (cancelled or over).
  Expected<std::vector<std::string>> resend_confirmation(std::string_view id, const Actor& actor);

  // Whether the patient of `booking` is texted about an event of `kind` (sms_sent).
  bool patient_gets_sms(EventKind kind, const BookingRecord& booking) const;

  // Failures: invalid_webhook (kInvalid: URL, events, description; the message says
  // which), clinic_not_found, too_many_webhooks.
  // Changes to webhooks are audited as `actor`'s (never with the secret).
  Expected<CreatedWebhook> create_webhook(const NewWebhook& request, const Actor& actor);
  // Failures: webhook_not_found, invalid_webhook.
  Expected<WebhookRecord> change_webhook(std::string_view id, const WebhookChange& change,
                                         const Actor& actor);
  Expected<std::vector<WebhookRecord>> webhooks();
  Expected<WebhookRecord> webhook(std::string_view id);            // webhook_not_found
  Status delete_webhook(std::string_view id, const Actor& actor);  // webhook_not_found

 private:
  Storage& storage_;
  BookingService& bookings_;
  const Clock& clock_;
  const DeliveryChannels channels_;
  const std::string server_key_;
  const bool allow_private_webhooks_;
  const std::function<void()> wake_;

  // The checked form of a subscription's fields; fails invalid_webhook.
  Status check_url(const std::string& url) const;
  static Expected<std::string> events_json(const std::vector<std::string>& events);
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_DELIVERY_SERVICE_H_
