// Text messages in the GSM 7-bit alphabet where the text allows it (3GPP TS 23.038): a
// single character outside it makes the whole message UCS-2, where a segment holds 70
// characters instead of 160, so a Spanish "sáb" or a typographic quote would double what
// the clinic pays. Letters with accents the alphabet lacks lose the accent (á -> a, but é,
// ñ and ü are kept: GSM-7 has them), typographic quotes, dashes, spaces and the ellipsis
// become their plain forms; anything else (a name in another script) is kept as it is, and
// the message goes as UCS-2. Twilio calls this "smart encoding".
#ifndef SLOTBOOK_SERVER_NOTIFY_SMS_TEXT_H_
#define SLOTBOOK_SERVER_NOTIFY_SMS_TEXT_H_

#include <string>
#include <string_view>

namespace slotbook::server {

// `utf8` with every character that has a GSM-7 equivalent written as that equivalent.
std::string gsm7_where_possible(std::string_view utf8);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_SMS_TEXT_H_
