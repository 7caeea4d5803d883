// Signatures of outgoing webhooks by the Standard Webhooks specification
// (https://www.standardwebhooks.com, symmetric scheme "v1"), so a receiver can check them
// with any of that project's libraries: HMAC-SHA256 over "{id}.{timestamp}.{body}" with a
// secret shown to people as "whsec_" + base64.
//
// Stateless and thread-safe. Secrets come from OpenSSL's CSPRNG.
#ifndef SLOTBOOK_SERVER_NOTIFY_WEBHOOK_SIGNATURE_H_
#define SLOTBOOK_SERVER_NOTIFY_WEBHOOK_SIGNATURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/expected.h"

namespace slotbook::server {

// A new secret: "whsec_" + base64 of 24 random bytes (the specification's minimum).
// Aborts when the system has no randomness to give: a guessable secret would be worse than
// no server.
std::string new_webhook_secret();

// The key bytes of a "whsec_" secret: the canonical base64 after the prefix, decoding to 24
// to 64 bytes (the specification's range). Fails invalid("invalid_webhook_secret", ...)
// otherwise, so a secret with a typo is refused rather than signing with the wrong key.
Expected<std::string> webhook_secret_key(std::string_view secret);

// The webhook-signature header value for one attempt: "v1," + base64(HMAC-SHA256(key,
// id + "." + timestamp + "." + body)), `timestamp` in Unix seconds. REQUIRES: `id` contains
// no "." (the specification's guard against shifting bytes between the fields); `key` from
// webhook_secret_key.
std::string sign_webhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                         std::string_view body);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_WEBHOOK_SIGNATURE_H_
