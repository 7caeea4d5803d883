// The text of every email and SMS the server sends, as mustache templates: built-in ones
// in English and Spanish (compiled in from server/notify/templates/), which an operator
// can override per language or per clinic with files on disk.
//
// Templates: name (part).
//   To the patient (subject, txt, html, sms): booking_confirmed, booking_rescheduled,
//     booking_cancelled, booking_reminder.
//   To the clinic's front desk (subject, txt, html): clinic_booking_created,
//     clinic_booking_rescheduled, clinic_booking_cancelled.
//
// The context the templates read (a JSON object; all values strings unless noted):
//   clinic_name, patient_name, practitioner_name, appointment_type_name
//   date           long localized date: "Thursday, January 14, 2027" (local_time_text.h)
//   date_short     "Thu, Jan 14"
//   time           "3:00 PM" / "15:00"
//   timezone       the clinic's IANA zone name: "America/New_York"
//   duration_minutes (a number or a string)
//   confirmation_number
//   manage_url     absolute URL of the patient's manage page
//   manage_short_url  the same page through a short link (/m?t=TOKEN), for SMS
//   previous_date, previous_time   (rescheduled only) the old date and time, same formats
//   change_deadline, clinic_phone  (patient messages, when the type's change notice is
//                  not 0) until when the manage link may cancel or move: "Wednesday,
//                  January 13, 2027, 3:00 PM"; the clinic's phone for after it, may be empty
//   cancel_reason  may be empty
//   patient_email, patient_phone, notes (clinic messages)
//   source         who made the change: "widget", "staff", ...
//
// How JSON becomes mustache data: objects and arrays (as lists) recursively; numbers as
// their JSON text; true/false as mustache booleans. An empty string, null and false are
// all falsy, so {{#cancel_reason}}Reason: {{cancel_reason}}{{/cancel_reason}} shows
// nothing when there is no reason, and {{^cancel_reason}} shows its content instead.
// Partials ({{>name}}) are never resolved: a value in the context is never parsed as a
// template.
//
// Thread safety: a loaded MessageTemplates is immutable; any number of threads may call
// render() and resolve_language() at once. Copies share the parsed templates.
#ifndef SLOTBOOK_SERVER_NOTIFY_MESSAGE_TEMPLATES_H_
#define SLOTBOOK_SERVER_NOTIFY_MESSAGE_TEMPLATES_H_

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

class MessageTemplates {
 public:
  // The built-in templates, overridden by files under `override_dir` when it is not empty:
  // DIR/<clinic_id>/<lang>/<name>.<part> first, then DIR/<lang>/<name>.<part>, then the
  // built-in one. A missing override is fine; files that do not end in .subject, .txt,
  // .html or .sms are ignored. Every template is read and parsed here, once.
  // Fails (invalid):
  //   "template_dir_unreadable"  `override_dir` is not a readable directory;
  //   "template_unreadable"      an override file cannot be read;
  //   "template_misplaced"       a template file is not at one of the two depths above;
  //   "template_syntax"          a template does not parse as mustache (the message names
  //                              the file and the position).
  // A language gains templates (for resolve_language) by having files at DIR/<lang>/.
  static Expected<MessageTemplates> load(const std::string& override_dir);

  // Renders template `name`, part `part` ("subject", "txt", "html", "sms") for
  // `clinic_id` in `language` (a BCP 47 tag, see resolve_language) with `data` as the
  // context. A (name, part) missing in that language is taken from English. Only "html"
  // HTML-escapes {{values}}; the other parts are not HTML and insert values as they are.
  // "subject" and "sms" results have every run of whitespace (newlines included)
  // collapsed to one space and are trimmed.
  // Fails (invalid): "unknown_template" if no such template exists in any language;
  // "invalid_template_data" if `data` is not a JSON object.
  Expected<std::string> render(std::string_view clinic_id, std::string_view language,
                               std::string_view name, std::string_view part,
                               const nlohmann::json& data) const;

  // The language render() uses for `language`: the tag itself if it has templates
  // (compared case-insensitively, '_' read as '-'), else its primary subtag ("es-MX" ->
  // "es"), else "en". "en" or "es" for the built-ins.
  std::string resolve_language(std::string_view language) const;

 private:
  struct Library;  // the parsed templates; defined in message_templates.cc

  explicit MessageTemplates(std::shared_ptr<const Library> library)
      : library_(std::move(library)) {}

  std::shared_ptr<const Library> library_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_MESSAGE_TEMPLATES_H_
