#include "notify/delivery_worker.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "notify/delivery_kinds.h"
#include "notify/delivery_plan.h"
#include "notify/http_client.h"
#include "notify/webhook_signature.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kDispatchBatch = 200;
constexpr int kClaimBatch = 32;

SendOutcome webhook_outcome(const Expected<HttpReply>& reply) {
  if (!reply.ok()) return SendOutcome::retry(reply.error().message);
  if (reply->status >= 200 && reply->status < 300) {
    return SendOutcome::sent("HTTP " + std::to_string(reply->status));
  }
  // Anything else may work later: receivers are fixed, deployed, scaled.
  return SendOutcome::retry("HTTP " + std::to_string(reply->status));
}

}  // namespace

DeliveryWorker::DeliveryWorker(Storage& storage, ClinicCatalog& catalog, BookingService& bookings,
                               const MessageBuilder& messages, const Clock& clock,
                               DeliverySettings settings, std::string server_key,
                               MirrorJobs* mirror)
    : storage_(storage),
      catalog_(catalog),
      bookings_(bookings),
      messages_(messages),
      clock_(clock),
      settings_(std::move(settings)),
      server_key_(std::move(server_key)),
      mirror_(mirror) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  for (int i = 0; i < std::max(1, settings_.threads); ++i) {
    threads_.emplace_back([this] { loop(); });
  }
}

void DeliveryWorker::stop() {
  stopping_ = true;
  stopped_.notify();
  wake();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void DeliveryWorker::wake() { wakeup_.notify(); }

void DeliveryWorker::loop() {
  using Steady = std::chrono::steady_clock;
  auto sampled_at = Steady::now();
  std::uint64_t sampled_wakes = wakeup_.count();
  while (!stopping_) {
    const std::uint64_t seen = wakeup_.count();
    const auto started = Steady::now();
    auto attempted = run_once();
    const auto worked = Steady::now() - started;
    // Background priority: while changes come faster than kRushEvents a second (every
    // committed change wakes the worker), the worker's threads together take at most
    // kRushShare of the time, so a booking rush keeps the cores and the database;
    // deliveries catch up after it.
    const auto now = Steady::now();
    const double seconds = std::chrono::duration<double>(now - sampled_at).count();
    if (seconds >= 0.1) {
      rushing_ = static_cast<double>(wakeup_.count() - sampled_wakes) / seconds > kRushEvents;
      sampled_at = now;
      sampled_wakes = wakeup_.count();
    }
    if (rushing_ && !stopping_) {
      const auto pause = std::min<Steady::duration>(
          std::chrono::duration_cast<Steady::duration>(
              worked * (std::max(1, settings_.threads) / kRushShare - 1)),
          std::chrono::seconds(2));
      stopped_.wait(0, std::chrono::duration_cast<std::chrono::milliseconds>(pause));
    }
    if (!attempted.ok()) {
      spdlog::warn("delivery round failed: {}", attempted.error().message);
    } else if (*attempted > 0) {
      continue;  // more may be due
    }
    wakeup_.wait(seen, settings_.poll);
  }
}

Expected<int> DeliveryWorker::run_once() {
  // In a rush one batch a round (the pause after the round keeps the share small); else
  // all that waits.
  for (bool more = true; more;) {
    auto dispatched = dispatch();
    if (!dispatched.ok()) return dispatched.error();
    more = *dispatched == kDispatchBatch && !rushing_;
  }
  const UtcSeconds now = clock_.now();
  std::vector<DeliveryRecord> claimed;
  Status status = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto rows = tx.claim_deliveries(now, now + kLease, kClaimBatch);
    if (!rows.ok()) return rows.error();
    claimed = std::move(*rows);
    return Status();
  });
  if (!status.ok()) return status.error();
  // Outcomes are stored together (one commit for many sends), at least every
  // kFlushEvery so the staff API sees progress. A send starts only while the lease
  // still covers the longest one; the rest go back unattempted.
  const auto claimed_at = std::chrono::steady_clock::now();
  auto last_flush = claimed_at;
  std::vector<DeliveryRecord> settled, released;
  for (DeliveryRecord& delivery : claimed) {
    const auto elapsed = std::chrono::steady_clock::now() - claimed_at;
    if (stopping_ || elapsed > kLease - kLongestSend) {
      delivery.lease_until = UtcSeconds{};
      delivery.attempts -= 1;  // not attempted after all
      released.push_back(std::move(delivery));
      continue;
    }
    const Attempt outcome = attempt(delivery);
    settled.push_back(settle(std::move(delivery), outcome));
    if (std::chrono::steady_clock::now() - last_flush > kFlushEvery) {
      store(settled, {});
      settled.clear();
      last_flush = std::chrono::steady_clock::now();
    }
  }
  store(settled, released);
  return static_cast<int>(claimed.size());
}

Expected<int> DeliveryWorker::dispatch() {
  return storage_.dispatch_outbox(
      kDispatchBatch, clock_.now(),
      [this](WriteTransaction& tx, const std::vector<OutboxRecord>& records) {
        return plan(tx, records);
      });
}

Status DeliveryWorker::plan(WriteTransaction& tx, const std::vector<OutboxRecord>& records) {
  auto webhooks = tx.webhooks();
  if (!webhooks.ok()) return webhooks.error();
  const UtcSeconds now = clock_.now();
  for (const OutboxRecord& record : records) {
    auto event = parse_event_json(record.payload_json);
    if (!event.ok()) {
      // One unreadable record must not hold up every later one.
      spdlog::error("outbox record {} skipped: {}", record.position, event.error().message);
      continue;
    }
    auto clinic = catalog_.get(tx, event->clinic_id);
    if (!clinic.ok() && clinic.error().kind != FailureKind::kNotFound) return clinic.error();
    const ClinicConfig* config = clinic.ok() ? clinic->get() : nullptr;
    if (auto cancel = cancels_reminders(*event)) {
      auto cancelled = tx.cancel_pending_reminders(event->booking_id(), cancel->keep_for, now);
      if (!cancelled.ok()) return cancelled.error();
    }
    std::vector<DeliveryRecord> planned =
        plan_deliveries(*event, record.position, config, settings_.channels(), *webhooks, now);
    if (mirror_ && event->after) {
      // The calendars of whoever had the booking and has it now.
      std::vector<CalendarConnectionRecord> connections;
      for (const BookingRecord* b : {&*event->after, event->before ? &*event->before : nullptr}) {
        if (!b || (b != &*event->after && b->practitioner_id == event->after->practitioner_id)) {
          continue;
        }
        auto theirs = tx.calendar_connections(b->practitioner_id);
        if (!theirs.ok()) return theirs.error();
        connections.insert(connections.end(), theirs->begin(), theirs->end());
      }
      for (DeliveryRecord& job :
           plan_mirror_jobs(*event, record.position, connections, settings_.zoom, now)) {
        planned.push_back(std::move(job));
      }
    }
    for (const DeliveryRecord& delivery : planned) {
      if (Status inserted = tx.insert_delivery(delivery); !inserted.ok()) return inserted;
    }
  }
  return Status();
}

DeliveryWorker::Attempt DeliveryWorker::attempt(const DeliveryRecord& delivery) {
  // What to send is gathered in one read; the send itself runs after it, so no database
  // connection or snapshot is held while a receiver takes its time.
  Prepared prepared;
  Status read = storage_.read([&](ReadView& view) -> Status {
    prepared = prepare(delivery, view);
    return Status();
  });
  if (!read.ok()) return Attempt{SendOutcome::retry(read.error().message)};
  if (prepared.decided) return *prepared.decided;
  return Attempt{prepared.send()};
}

DeliveryWorker::Prepared DeliveryWorker::prepare(const DeliveryRecord& delivery,
                                                 ReadView& view) const {
  auto decided = [](SendOutcome outcome, bool dropped) {
    Prepared p;
    p.decided = Attempt{std::move(outcome), dropped};
    return p;
  };
  auto drop = [&](std::string why) { return decided(SendOutcome::rejected(std::move(why)), true); };
  auto retry = [&](const Failure& failure) {
    return decided(SendOutcome::retry(failure.message), false);
  };
  auto sending = [](std::function<SendOutcome()> send) {
    Prepared p;
    p.send = std::move(send);
    return p;
  };
  std::optional<DomainEvent> event;
  if (delivery.outbox_position > 0) {
    auto record = view.outbox_record(delivery.outbox_position);
    if (!record.ok()) return retry(record.error());
    if (!*record) return drop("its event is no longer in the outbox");
    auto parsed = parse_event_json((*record)->payload_json);
    if (!parsed.ok()) return drop(parsed.error().message);
    event = std::move(*parsed);
  }
  auto clinic = catalog_.get(view, delivery.clinic_id);
  if (!clinic.ok() && clinic.error().kind != FailureKind::kNotFound) return retry(clinic.error());
  if (delivery.channel == delivery::kWebhook) {
    auto webhook = view.webhook(delivery.recipient);
    if (!webhook.ok()) return retry(webhook.error());
    if (!*webhook) return drop("the webhook was deleted");
    if ((*webhook)->disabled_at) return drop("the webhook is disabled");
    if (!event) return drop("a webhook delivery without its event");
    auto request =
        webhook_request(delivery, *event, clinic.ok() ? clinic->get() : nullptr, **webhook);
    if (!request.ok()) return drop(request.error().message);
    return sending([request = std::move(*request)] { return webhook_outcome(http_send(request)); });
  }
  if (!clinic.ok()) return drop("the clinic is gone");
  if (delivery.channel == delivery::kCalendar || delivery.channel == delivery::kMeeting) {
    if (!mirror_) return drop("this server runs no calendar or meeting jobs");
    return sending([this, delivery] { return mirror_->run(delivery); });
  }

  auto stored = view.booking(delivery.booking_id);
  if (!stored.ok()) return retry(stored.error());
  if (!*stored) return drop("the booking is gone");
  MessageSubject subject{event && event->after ? *event->after : **stored,
                         event ? event->before : std::nullopt, *clinic,
                         (*stored)->manage_token_sealed};
  // A video link the provider made after the event is told as soon as it exists.
  if (subject.booking.meeting_url.empty() &&
      subject.booking.meeting_provider == (*stored)->meeting_provider) {
    subject.booking.meeting_url = (*stored)->meeting_url;
  }
  const UtcSeconds now = clock_.now();
  if (delivery.purpose == delivery::kReminder) {
    // A reminder tells of the booking as it is: gone, moved or started, it has nothing
    // to say (reschedules cancel their old reminders; this catches the races).
    const BookingRecord& b = **stored;
    if (!is_active(b.status)) return drop("the booking is " + std::string(to_string(b.status)));
    if (b.start_utc <= now) return drop("the appointment has started");
    if (delivery.reminder_for != UtcSeconds{} && b.start_utc != delivery.reminder_for) {
      return drop("the booking moved");
    }
    subject.booking = b;
    subject.before.reset();
  }

  if (delivery.channel == delivery::kEmail) {
    if (!settings_.smtp) return decided(SendOutcome::retry("no --smtp-url configured"), false);
    auto email = messages_.email(delivery, subject, now);
    if (!email.ok()) return drop(email.error().message);
    return sending([this, email = std::move(*email)] {
      return send_mail(*settings_.smtp, settings_.envelope_from, email.to, email.message);
    });
  }
  if (delivery.channel == delivery::kSms) {
    if (!settings_.sms) return decided(SendOutcome::retry("no SMS sender configured"), false);
    if (!subject.booking.sms_opt_in) return drop("the patient did not agree to text messages");
    auto body = messages_.sms(delivery, subject);
    if (!body.ok()) return drop(body.error().message);
    return sending([this, to = subject.booking.patient_phone, body = std::move(*body)] {
      return send_sms(*settings_.sms, to, body);
    });
  }
  return drop("unknown channel " + delivery.channel);
}

Expected<HttpRequest> DeliveryWorker::webhook_request(const DeliveryRecord& delivery,
                                                      const DomainEvent& event,
                                                      const ClinicConfig* clinic,
                                                      const WebhookRecord& webhook) const {
  const auto sealed = from_base64(webhook.sealed_secret);
  const auto secret = sealed ? open_sealed(server_key_, *sealed) : std::nullopt;
  if (!secret) return storage_failure("the webhook's secret cannot be opened");
  auto key = webhook_secret_key(*secret);
  if (!key.ok()) return key.error();
  const std::string body = webhook_body(delivery.purpose, event, clinic);
  const std::int64_t timestamp = to_unix(clock_.now());
  HttpRequest request;
  request.url = webhook.url;
  request.content_type = "application/json";
  request.body = body;
  request.headers = {"webhook-id: " + delivery.id,
                     "webhook-timestamp: " + std::to_string(timestamp),
                     "webhook-signature: " + sign_webhook(*key, delivery.id, timestamp, body)};
  request.timeout = std::chrono::seconds(10);
  request.public_addresses_only = !settings_.allow_private_webhooks;
  return request;
}

DeliveryRecord DeliveryWorker::settle(DeliveryRecord d, const Attempt& attempt) const {
  const UtcSeconds now = clock_.now();
  const SendOutcome& outcome = attempt.outcome;
  d.lease_until = UtcSeconds{};
  d.updated_at = now;
  d.last_error = outcome.kind == SendOutcome::Kind::kSent ? "" : outcome.detail;
  if (outcome.kind == SendOutcome::Kind::kSent) {
    d.status = delivery::kSent;
    d.sent_at = now;
    d.receipt = outcome.receipt;
  } else if (attempt.dropped) {
    d.status = delivery::kCancelled;
  } else if (outcome.kind == SendOutcome::Kind::kRejected ||
             settings_.retry.exhausted(d.attempts)) {
    d.status = delivery::kFailed;
  } else {
    d.status = delivery::kPending;
    auto pause = std::chrono::ceil<std::chrono::seconds>(settings_.retry.delay_after(d.attempts));
    if (outcome.retry_after) pause = std::max(pause, *outcome.retry_after);
    d.next_attempt_at = now + pause;
  }
  return d;
}

Status DeliveryWorker::track_webhook(WriteTransaction& tx, DeliveryRecord& d) const {
  auto webhook = tx.webhook(d.recipient);
  if (!webhook.ok()) return webhook.error();
  if (!*webhook) return Status();
  WebhookRecord w = **webhook;
  if (d.status == delivery::kSent) {
    if (!w.failing_since && w.last_error.empty()) return Status();
    w.failing_since.reset();
    w.last_error.clear();
  } else {
    if (!w.failing_since) w.failing_since = d.updated_at;
    w.last_error = d.last_error;
    const UtcSeconds disable_at = *w.failing_since + settings_.webhook_disable_after;
    if (!w.disabled_at && d.updated_at >= disable_at) {
      w.disabled_at = d.updated_at;
      spdlog::warn("webhook {} disabled: failing since {}", w.id,
                   format_instant(Instant(*w.failing_since)));
    } else if (!w.disabled_at && d.status == delivery::kFailed) {
      // Out of attempts before the receiver has failed for the whole disable period: one
      // more try at its end, so a receiver that stays down is disabled even when nothing
      // else is sent to it (and one that came back gets this message after all).
      d.status = delivery::kPending;
      d.next_attempt_at = disable_at;
    }
  }
  return tx.update_webhook(w);
}

void DeliveryWorker::store(const std::vector<DeliveryRecord>& settled,
                           const std::vector<DeliveryRecord>& released) {
  if (settled.empty() && released.empty()) return;
  std::vector<DeliveryRecord> outcomes;  // as stored
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    for (const DeliveryRecord& d : released) {
      if (Status updated = tx.update_delivery(d); !updated.ok()) return updated;
    }
    outcomes = settled;
    for (DeliveryRecord& d : outcomes) {
      // A webhook's health counts attempts that reached (or failed to reach) it.
      const bool attempted = d.status == delivery::kSent || d.status == delivery::kFailed ||
                             (d.status == delivery::kPending && !d.last_error.empty());
      if (d.channel == delivery::kWebhook && attempted) {
        if (Status tracked = track_webhook(tx, d); !tracked.ok()) return tracked;
      }
      if (Status updated = tx.update_delivery(d); !updated.ok()) return updated;
    }
    return Status();
  });
  if (!stored.ok()) {
    // The leases run out and the deliveries are attempted again: at least once.
    spdlog::error("{} delivery outcomes not stored: {}", settled.size(), stored.error().message);
    return;
  }
  for (const DeliveryRecord& d : outcomes) {
    spdlog::info("delivery {} {} {} to {}: {}{}", d.id, d.channel, d.purpose, d.recipient, d.status,
                 d.last_error.empty() ? "" : " (" + d.last_error + ")");
  }
  // Each reminder once on its booking, however many of its channels went (record_reminder_sent
  // decides under the booking's lock, so also across processes).
  std::set<std::string> reminders;
  for (const DeliveryRecord& d : outcomes) {
    if (d.status != delivery::kSent || d.purpose != delivery::kReminder) continue;
    const std::string reminder = reminder_of(d);
    if (!reminders.insert(reminder).second) continue;
    auto recorded = bookings_.record_reminder_sent(
        d.booking_id, [&](ReadView& view) -> Expected<std::optional<UtcSeconds>> {
          DeliveryFilter sent;
          sent.booking_id = d.booking_id;
          sent.status = std::string(delivery::kSent);
          std::int64_t total = 0;
          auto rows = view.list_deliveries(sent, &total);
          if (!rows.ok()) return rows.error();
          std::optional<UtcSeconds> first;
          for (const DeliveryRecord& other : *rows) {
            if (other.purpose != delivery::kReminder || reminder_of(other) != reminder ||
                !other.sent_at) {
              continue;
            }
            if (!first || *other.sent_at < *first) first = other.sent_at;
          }
          return first;
        });
    if (!recorded.ok()) {
      spdlog::warn("reminder {} sent but not recorded on booking {}: {}", d.id, d.booking_id,
                   recorded.error().message);
    }
  }
}

}  // namespace slotbook::server
