// What became of one attempt to hand a message to its receiver (an SMTP relay, the SMS
// API, a webhook endpoint). The delivery worker decides from it whether the job is done,
// is tried again later, or has failed for good.
#ifndef SLOTBOOK_SERVER_NOTIFY_SEND_OUTCOME_H_
#define SLOTBOOK_SERVER_NOTIFY_SEND_OUTCOME_H_

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace slotbook::server {

struct SendOutcome {
  enum class Kind {
    kSent,      // the receiver took it (2xx, SMTP 250)
    kRetry,     // may work later: timeout, refused connection, 5xx, 429, SMTP 4xx
    kRejected,  // will never work as it is: SMTP 5xx for a recipient, 4xx from an API
  };
  Kind kind = Kind::kRetry;
  // For people and the staff API: what the receiver said or what went wrong. Never a
  // credential, never the message body.
  std::string detail;
  // The receiver's own id for what it took, when it gives one (Twilio's message SID).
  std::string receipt;
  // kRetry: not before this long, as the receiver asked (HTTP Retry-After).
  std::optional<std::chrono::seconds> retry_after;

  static SendOutcome sent(std::string detail = {}, std::string receipt = {}) {
    return {Kind::kSent, std::move(detail), std::move(receipt), std::nullopt};
  }
  static SendOutcome retry(std::string detail,
                           std::optional<std::chrono::seconds> after = std::nullopt) {
    return {Kind::kRetry, std::move(detail), {}, after};
  }
  static SendOutcome rejected(std::string detail) {
    return {Kind::kRejected, std::move(detail), {}, std::nullopt};
  }
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_SEND_OUTCOME_H_
