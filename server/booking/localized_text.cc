#include "booking/localized_text.h"

#include <algorithm>
#include <cctype>

#include "common/text_checks.h"

namespace slotbook::server {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Failure bad(std::string_view field, const std::string& why) {
  return invalid("invalid_clinic_config", std::string(field) + ": " + why);
}

}  // namespace

Expected<LocalizedText> LocalizedText::from_json(const nlohmann::json& value,
                                                 std::string_view field, std::size_t max_length) {
  LocalizedText out;
  auto check = [&](const nlohmann::json& text, std::string_view where) -> Expected<std::string> {
    if (!text.is_string() || text.get_ref<const std::string&>().empty()) {
      return bad(where, "must be a non-empty string");
    }
    if (utf8_length(text.get_ref<const std::string&>()) > max_length) {
      return bad(where, "must be at most " + std::to_string(max_length) + " characters");
    }
    return text.get<std::string>();
  };
  if (value.is_string()) {
    auto plain = check(value, field);
    if (!plain.ok()) return plain.error();
    out.plain_ = std::move(*plain);
    return out;
  }
  if (!value.is_object() || value.empty()) {
    return bad(field, "must be a string or an object of language tags to strings");
  }
  if (value.size() > kMaxLocalizedTexts) {
    return bad(field, "at most " + std::to_string(kMaxLocalizedTexts) + " languages");
  }
  for (const auto& [tag, text] : value.items()) {
    const std::string where = std::string(field) + "." + tag;
    if (!is_language_tag(tag)) return bad(where, "the key must be a BCP 47 language tag");
    auto checked = check(text, where);
    if (!checked.ok()) return checked.error();
    out.by_language_[lower(tag)] = std::move(*checked);
  }
  return out;
}

std::string LocalizedText::in_language(std::string_view language) const {
  if (by_language_.empty()) return plain_;
  const std::string tag = lower(language);
  for (const std::string& wanted : {tag, tag.substr(0, tag.find('-')), std::string("en")}) {
    if (auto it = by_language_.find(wanted); it != by_language_.end()) return it->second;
  }
  return by_language_.begin()->second;
}

nlohmann::json LocalizedText::languages_json() const {
  if (by_language_.empty()) return nullptr;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [tag, text] : by_language_) out[tag] = text;
  return out;
}

}  // namespace slotbook::server
