// DeliveryWorker: the threads inside booking-server that tell people and systems about
// bookings (docs/notifications.md). Each round it
//   1. dispatches the outbox (Storage::dispatch_outbox): every new domain event becomes
//      its deliveries (delivery_plan.h) in the same transaction that marks it dispatched;
//   2. claims due deliveries with a lease (WriteTransaction::claim_deliveries) and sends
//      each outside any transaction: SMTP, Twilio, or a signed webhook POST;
//   3. records the outcome: sent; pending again after RetryPolicy's pause; failed after
//      its last attempt or when the receiver refused it for good.
// At-least-once: a process killed while sending leaves the lease to run out (kLease),
// then any worker of any process sends again, with the same delivery id. Leases keep
// workers of several processes off one delivery at a time. Nothing here runs on a
// request's thread: a booking's answer never waits for a message.
#ifndef SLOTBOOK_SERVER_NOTIFY_DELIVERY_WORKER_H_
#define SLOTBOOK_SERVER_NOTIFY_DELIVERY_WORKER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "booking/booking_service.h"
#include "booking/clinic_catalog.h"
#include "common/clock.h"
#include "common/wakeup.h"
#include "notify/delivery_plan.h"
#include "notify/http_client.h"
#include "notify/message_builder.h"
#include "notify/retry_policy.h"
#include "notify/send_outcome.h"
#include "notify/smtp_client.h"
#include "notify/twilio_client.h"
#include "storage/storage.h"

namespace slotbook::server {

// Jobs other modules run through the worker's leases, retries and staff API: the
// "calendar" and "meeting" channels (calendars/calendar_writeback.h). Thread-safe.
class MirrorJobs {
 public:
  virtual ~MirrorJobs() = default;
  // Brings the outside copy of the delivery's booking up to date; may read and write
  // storage. kRetry when it may work later, kRejected when it never will.
  virtual SendOutcome run(const DeliveryRecord& delivery) = 0;
};

struct DeliverySettings {
  std::optional<SmtpSettings> smtp;  // no email without it
  std::optional<SmsSettings> sms;    // no SMS without it
  std::string envelope_from;         // --mail-from's address
  RetryPolicy retry;
  int threads = 4;    // senders: mostly waiting on receivers
  bool zoom = false;  // Zoom credentials are configured: Zoom meetings are made
  // Webhook URLs to loopback and private addresses are allowed (tests only).
  bool allow_private_webhooks = false;
  // A webhook whose deliveries have failed for this long without a success is disabled.
  std::chrono::hours webhook_disable_after{72};
  // How often an idle worker looks for due deliveries (reminders, retries) and for events
  // other processes appended.
  std::chrono::milliseconds poll{500};

  DeliveryChannels channels() const { return {smtp.has_value(), sms.has_value()}; }
};

class DeliveryWorker {
 public:
  // How long a claim holds its deliveries: a send starts only while the lease still
  // covers the longest one may take (SMTP's timeout).
  static constexpr auto kLease = std::chrono::seconds(60);
  static constexpr auto kLongestSend = std::chrono::seconds(30);
  // Outcomes of a claim are stored at least this often.
  static constexpr auto kFlushEvery = std::chrono::milliseconds(500);

  // `mirror` (may be null: no calendar or meeting jobs) runs the mirror channels.
  DeliveryWorker(Storage& storage, ClinicCatalog& catalog, BookingService& bookings,
                 const MessageBuilder& messages, const Clock& clock, DeliverySettings settings,
                 std::string server_key, MirrorJobs* mirror = nullptr);
  ~DeliveryWorker();  // stops

  void start();
  // Finishes the sends in progress (each bounded by its timeout) and stops the threads.
  void stop();
  // Something may be waiting: new outbox records, a retry asked for. Cheap; any thread.
  void wake();

  // One round on the calling thread: dispatches what the outbox holds and attempts the
  // deliveries due now. Returns how many deliveries it attempted. (start() runs rounds.)
  Expected<int> run_once();

  const DeliverySettings& settings() const { return settings_; }

 private:
  struct Attempt {
    SendOutcome outcome;
    bool dropped = false;  // nothing to send any more (the booking moved, the webhook went)
  };
  // A delivery made ready in a read: decided without sending, or the send to run.
  struct Prepared {
    std::optional<Attempt> decided;
    std::function<SendOutcome()> send;
  };
  void loop();
  Expected<int> dispatch();
  Status plan(WriteTransaction& tx, const std::vector<OutboxRecord>& records);
  Attempt attempt(const DeliveryRecord& delivery);
  Prepared prepare(const DeliveryRecord& delivery, ReadView& view) const;
  Expected<HttpRequest> webhook_request(const DeliveryRecord& delivery, const DomainEvent& event,
                                        const ClinicConfig* clinic,
                                        const WebhookRecord& webhook) const;
  // The delivery as `attempt` leaves it (sent, pending again, failed, cancelled).
  DeliveryRecord settle(DeliveryRecord delivery, const Attempt& attempt) const;
  // Stores settled deliveries (and their webhooks' health) and gives back `released` ones
  // (claimed, not attempted) in one transaction, then logs the settled ones and records
  // each reminder on its booking when the first of its channels went.
  void store(const std::vector<DeliveryRecord>& settled,
             const std::vector<DeliveryRecord>& released);
  // Records an attempt's outcome on its webhook; may keep `delivery` pending for a last
  // try at the end of the disable period.
  Status track_webhook(WriteTransaction& tx, DeliveryRecord& delivery) const;

  Storage& storage_;
  ClinicCatalog& catalog_;
  BookingService& bookings_;
  const MessageBuilder& messages_;
  const Clock& clock_;
  const DeliverySettings settings_;
  const std::string server_key_;
  MirrorJobs* const mirror_;

  // A booking rush: more changes a second than this, and the worker's share of time then.
  static constexpr double kRushEvents = 100;
  static constexpr double kRushShare = 0.1;

  Wakeup wakeup_;   // counts wakes: every committed change is one
  Wakeup stopped_;  // ends a rush's pause at stop()
  std::atomic<bool> stopping_{false};
  std::atomic<bool> rushing_{false};  // read by every worker thread
  std::vector<std::thread> threads_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_DELIVERY_WORKER_H_
