// The date and time of an appointment as words for people, in the reader's language: what
// the message templates show as {{date}}, {{date_short}} and {{time}}. ICU decides each
// locale's order and wording from its skeletons; the clinic's zone rules have already
// decided the wall time, so ICU never applies zone data of its own.
//
// Thread safety: local_time_text() may be called from any number of threads at once (it
// creates its formatters per call and shares nothing mutable).
#ifndef SLOTBOOK_SERVER_NOTIFY_LOCAL_TIME_TEXT_H_
#define SLOTBOOK_SERVER_NOTIFY_LOCAL_TIME_TEXT_H_

#include <string>
#include <string_view>

#include <date/date.h>

namespace slotbook::server {

// UTF-8 text; no narrow or ordinary no-break spaces (ICU puts U+202F before "PM"), only
// plain spaces, because mail clients and SMS gateways handle those best.
struct LocalTimeText {
  std::string date;        // "Thursday, January 14, 2027" / "jueves, 14 de enero de 2027"
  std::string date_short;  // "Thu, Jan 14" / "jue, 14 ene"
  std::string time;        // "3:00 PM" / "15:00" (the locale's 12- or 24-hour clock)
};

// Formats `local`, a wall time already in the clinic's zone, as it is (no zone shift).
// `language` is a BCP 47 tag ("en", "es-MX"); a tag that does not parse, or whose language
// ICU has no data for, falls back to English. Pass MessageTemplates::resolve_language() of
// the message's language so the date reads in the same language as the text around it.
// Never fails: if ICU cannot format at all, the fields hold ISO 8601 text instead.
LocalTimeText local_time_text(date::local_seconds local, std::string_view language);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_LOCAL_TIME_TEXT_H_
