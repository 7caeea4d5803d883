// Text messages out through Twilio's Programmable Messaging API (the Messages resource of
// API version 2010-04-01): one POST per message, form-encoded, HTTP Basic with the account
// SID and auth token.
//
// Thread-safe once init_http_clients() has run (it is an http_send).
#ifndef SLOTBOOK_SERVER_NOTIFY_TWILIO_CLIENT_H_
#define SLOTBOOK_SERVER_NOTIFY_TWILIO_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "notify/send_outcome.h"

namespace slotbook::server {

struct SmsSettings {
  std::string api_url = "https://api.twilio.com";  // --sms-url; a trailing slash is fine
  std::string account_sid, auth_token;             // TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN
  std::string from;                                // --sms-from, E.164
  std::chrono::milliseconds timeout{10000};
};

// The longest Body Twilio accepts, in characters (counted as UTF-16 code units, as Twilio's
// encoder does, so an emoji counts two).
inline constexpr std::size_t kMaxSmsCharacters = 1600;

// Creates one message: POST {api_url}/2010-04-01/Accounts/{AccountSid}/Messages.json with
// To, From and Body, the SID path-escaped. `to` is E.164 (normalize_phone).
// kSent on 2xx, with the reply's "sid" as receipt. kRetry on 429, 5xx, 401 (the operator's
// credentials, fixable before the next attempt, as with SMTP AUTH), other unexpected
// statuses and transport failures. kRejected on other 4xx (Twilio refuses this message:
// a bad or unsubscribed number, say), with Twilio's error "code" and "message" in `detail`,
// and, without sending, when `body` is longer than kMaxSmsCharacters.
SendOutcome send_sms(const SmsSettings& settings, std::string_view to, std::string_view body);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_TWILIO_CLIENT_H_
