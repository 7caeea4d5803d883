// One email as the bytes an SMTP relay is given (RFC 5322 with MIME), composed with GMime:
// the patient's or the front desk's message with its text, HTML and, for bookings, the
// iTIP calendar invitation. Composing is pure: it neither reads the clock nor sends.
//
// Header safety: every header value the caller gives (names, subject, extra headers) has
// CR, LF, NUL and other control characters replaced by a space and invalid UTF-8 repaired
// before GMime sees it, so no value can end its header or start another ("Eve\r\nBcc: x"
// stays one display name). GMime then quotes, folds and RFC 2047-encodes the values.
//
// Thread safety: all functions may be called from any number of threads at once. GMime is
// initialised once, on first use, by this module.
#ifndef SLOTBOOK_SERVER_NOTIFY_EMAIL_MESSAGE_H_
#define SLOTBOOK_SERVER_NOTIFY_EMAIL_MESSAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/date.h>

#include "common/expected.h"

namespace slotbook::server {

struct Mailbox {
  std::string name;     // display name, UTF-8; may be empty
  std::string address;  // an addr-spec: is_mail_address(address)
};

// Parses one mailbox: "Clinic <bookings@example.org>", "\"Dr. Lee's Clinic\" <a@b.org>",
// "<a@b.org>" or "a@b.org" (surrounding spaces ignored). A quoted name has its
// backslash escapes removed. Fails (invalid, code "invalid_mailbox") on anything else: CR
// or LF anywhere, more than one address, groups, comments, an address that is not
// is_mail_address.
Expected<Mailbox> parse_mailbox(std::string_view text);

// Whether `address` is one plain addr-spec a message may be sent to: local@domain with
// exactly one "@", a dot-atom or quoted-string local part of at most 64 octets, and a
// domain of at least two dot-separated labels (letters, digits, inner hyphens; at most
// 63 octets each, 253 in all). ASCII only, no display name, no spaces outside quotes, no
// comments, no CR/LF.
bool is_mail_address(std::string_view address);

struct EmailContent {
  Mailbox from;
  Mailbox to;
  std::optional<Mailbox> reply_to;
  std::string subject;          // UTF-8
  std::string text;             // the text/plain body, UTF-8
  std::string html;             // the text/html body, UTF-8; empty: the message has no HTML part
  std::string calendar;         // an iTIP VCALENDAR (CRLF lines); empty: no calendar part
  std::string calendar_method;  // "REQUEST" or "CANCEL" (the part's method= parameter)
  // Without angle brackets, e.g. "dlv_abc@bookings.example.org". Stable per delivery, so
  // a retried send is recognisable as the same message.
  std::string message_id;
  date::sys_seconds date;
  // e.g. {"X-Slotbook-Delivery", id}. Values are sanitised like every header value.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

// The whole message: CRLF line endings, no line over 998 octets (headers folded at 78
// where possible), non-ASCII header text as RFC 2047 encoded words (UTF-8), bodies UTF-8
// quoted-printable. Headers: Date (RFC 5322, UTC), From, Reply-To (if set), Subject, To,
// Message-Id, MIME-Version, then the extra headers in their order. Body: multipart/alternative
// of text/plain; charset=utf-8, then text/html; charset=utf-8 (if html is not empty), then
// text/calendar; charset=utf-8; method=REQUEST|CANCEL (if calendar is not empty). Line
// breaks in the bodies may be LF or CRLF; they are sent as CRLF.
// Fails (invalid):
//   "invalid_mailbox"          from, to or reply_to address is not is_mail_address;
//   "invalid_message_id"       message_id is not local@domain of printable ASCII without
//                              spaces or angle brackets;
//   "invalid_calendar_method"  calendar is set and calendar_method is not REQUEST/CANCEL;
//   "invalid_header"           an extra header's name is not an RFC 5322 field name, or
//                              names a header this function writes itself (From, To, Cc,
//                              Bcc, Reply-To, Subject, Date, Message-Id, MIME-Version,
//                              Content-*).
Expected<std::string> compose_email(const EmailContent& content);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_EMAIL_MESSAGE_H_
