// Reading fields of a JSON request body with field-level errors. Strings are capped in
// characters (UTF-8 code points); numbers must be JSON integers (30.0, "30" and true are
// refused). A null optional field counts as absent.
#ifndef SLOTBOOK_SERVER_HTTP_REQUEST_FIELDS_H_
#define SLOTBOOK_SERVER_HTTP_REQUEST_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/text_checks.h"
#include "slotbook/time.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxText = 255;        // names, emails, ids (the seed's limit)
inline constexpr std::size_t kMaxPhone = 50;        // the seed's phone limit
inline constexpr std::size_t kMaxLanguageTag = 35;  // RFC 5646's practical bound
inline constexpr std::size_t kMaxNotes = 2000;      // free text a patient writes
inline constexpr std::size_t kMaxReferral = 200;    // a deep link's source, booking-referral

struct FieldError {
  std::string field;    // dotted path, e.g. "patient.email"
  std::string message;  // for people
  std::string type;     // machine kind: "missing", "type_error", "value_error"
};

class FieldReader {
 public:
  // `object` must outlive the reader. `prefix` is prepended to field paths ("patient.").
  FieldReader(const nlohmann::json& object, std::string prefix, std::vector<FieldError>* errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  // A string of at most `max_chars`; required strings must not be blank.
  std::optional<std::string> text(const char* name, bool required, std::size_t max_chars);
  std::optional<bool> boolean(const char* name, bool required);
  std::optional<std::int64_t> integer(const char* name, bool required, std::int64_t min,
                                      std::int64_t max);
  // "YYYY-MM-DD", a date that exists (else the error `message`).
  std::optional<LocalDate> date(const char* name, bool required,
                                const char* message = "Invalid date format (YYYY-MM-DD)");
  // "HH:MM" or "HH:MM:00", 00:00-23:59, as minutes since midnight (else the error
  // `message`).
  std::optional<int> time_of_day(const char* name, bool required,
                                 const char* message = "Invalid time format (HH:MM, 24-hour)");
  // An RFC 3339 instant ("2026-12-01T14:00:00Z").
  std::optional<Instant> instant(const char* name, bool required);
  // The nested object (nullptr when absent or not an object; an error if required).
  const nlohmann::json* object(const char* name, bool required);
  bool has(const char* name) const;
  void fail(const char* name, std::string message, std::string type = "value_error");

 private:
  const nlohmann::json* find(const char* name) const;
  const nlohmann::json& object_;
  std::string prefix_;
  std::vector<FieldError>* errors_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_REQUEST_FIELDS_H_
