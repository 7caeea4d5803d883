// Phone numbers as the SMS channel needs them: E.164 text ("+14155552671"), parsed and
// validated by libphonenumber, so what is stored is a number Twilio can deliver to, written
// one way only (two spellings of one number compare equal once normalised).
//
// Thread-safe: libphonenumber's PhoneNumberUtil is a read-only singleton after its first
// use. Nothing here logs: the library's logger is replaced by a NullLogger on first use.
#ifndef SLOTBOOK_SERVER_NOTIFY_PHONE_NUMBER_H_
#define SLOTBOOK_SERVER_NOTIFY_PHONE_NUMBER_H_

#include <string>
#include <string_view>

#include "common/expected.h"

namespace slotbook::server {

// `text` as an E.164 number. `text` may be written as people write numbers ("(415)
// 555-2671", "+44 20 7946 0018", "tel:+1-415-555-2671"); it is read with `country` (ISO
// 3166 alpha-2, e.g. "US") as the region of numbers written without a country code. With an
// empty `country` the number must start with + and its country code.
// Fails invalid("invalid_phone", <why, for people>) when `country` is not a known region,
// when the text is not a number, when libphonenumber does not consider the number valid
// (IsValidNumber: right length and a range in use for its country) and when it has an
// extension (a text message cannot reach an extension; dropping it silently would send to
// a switchboard).
Expected<std::string> normalize_phone(std::string_view text, std::string_view country);

// Whether `code` is an ISO 3166 alpha-2 region libphonenumber has metadata for, written in
// upper case ("US", "GB"; not "us", "USA", "XX" or the non-geographic "001").
bool is_phone_region(std::string_view code);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_PHONE_NUMBER_H_
