// Email out through an SMTP relay, by libcurl. The relay is the operator's (configured at
// start, trusted, possibly on a private network); this client hands it one message for one
// recipient and reports what the relay said.
//
// Thread-safe once init_http_clients() has run; each thread keeps its own connection to the
// relay open between messages (see CurlLease).
#ifndef SLOTBOOK_SERVER_NOTIFY_SMTP_CLIENT_H_
#define SLOTBOOK_SERVER_NOTIFY_SMTP_CLIENT_H_

#include <chrono>
#include <string>
#include <string_view>

#include "common/expected.h"
#include "notify/send_outcome.h"

namespace slotbook::server {

struct SmtpSettings {
  // smtp://host[:port] (STARTTLS required, except to a loopback host, where it is used if
  // offered) or smtps://host[:port] (TLS from the first byte). Certificates are verified.
  std::string url;
  std::string username, password;    // SMTP_USERNAME / SMTP_PASSWORD; empty username: no AUTH
  std::chrono::seconds timeout{30};  // the whole exchange, connecting included
};

// Ok for an smtp:// or smtps:// URL with a host, an optional port and no path beyond "/".
// A user name, password, query or fragment in the URL is refused too (credentials come
// from the environment, not from text that ends up in logs). Else
// invalid("invalid_smtp_url", <why, for people>).
Status check_smtp_url(std::string_view url);

// Whether the URL's host is this machine: the name "localhost" or a loopback address
// literal (127.x.y.z, ::1, ::ffff:127.x.y.z). Names are not resolved. False for a URL that
// does not parse.
bool is_loopback_url(std::string_view url);

// Hands `message` (a whole RFC 5322 message, CRLF line ends; libcurl dot-stuffs lines that
// start with "." and adds the final ".") to the relay, from `envelope_from` to `recipient`
// (bare addresses, without angle brackets). kSent when the relay answers 250 to the
// message. kRejected when the relay refuses the recipient or the message for good (a 5xx
// reply to RCPT TO or DATA or after the data), and, without contacting the relay, when an
// address contains a control character, a space or angle brackets. kRetry for everything
// else: 4xx replies, connection, timeout, TLS and AUTH failures, a refused MAIL FROM (the
// sender is the operator's configuration, which can be fixed before the next attempt).
// `detail` carries the relay's last reply line and libcurl's error text, never the
// password. REQUIRES: check_smtp_url(settings.url).ok().
SendOutcome send_mail(const SmtpSettings& settings, std::string_view envelope_from,
                      std::string_view recipient, std::string_view message);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_SMTP_CLIENT_H_
