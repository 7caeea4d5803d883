// LocalizedText: a display text a clinic gives either plainly ("Consultation") or per
// language ({"en": "Consultation", "es": "Consulta"}): appointment type and practitioner
// names, intake question and option labels. The engine and the seed-shaped APIs see one
// plain string (in_language("")); the widget gets the languages too.
#ifndef SLOTBOOK_SERVER_BOOKING_LOCALIZED_TEXT_H_
#define SLOTBOOK_SERVER_BOOKING_LOCALIZED_TEXT_H_

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

inline constexpr std::size_t kMaxLocalizedTexts = 20;  // languages per text

class LocalizedText {
 public:
  LocalizedText() = default;
  explicit LocalizedText(std::string plain) : plain_(std::move(plain)) {}

  // A JSON string, or an object of language tag -> non-empty string (at most
  // kMaxLocalizedTexts, each at most `max_length` characters). Fails
  // invalid("invalid_clinic_config", "<field>: <why>").
  static Expected<LocalizedText> from_json(const nlohmann::json& value, std::string_view field,
                                           std::size_t max_length);

  bool empty() const { return plain_.empty() && by_language_.empty(); }
  bool is_localized() const { return !by_language_.empty(); }
  // The text for BCP 47 tag `language`: that tag, else its base language ("es" for
  // "es-MX"), else English, else the first language given; the plain text as is.
  std::string in_language(std::string_view language) const;
  // {"en": ..., "es": ...}; null when the text is plain.
  nlohmann::json languages_json() const;

 private:
  std::string plain_;
  std::map<std::string, std::string> by_language_;  // keys lower case
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_LOCALIZED_TEXT_H_
