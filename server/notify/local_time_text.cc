#include "notify/local_time_text.h"

#include <memory>
#include <set>

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace slotbook::server {
namespace {

// The languages ICU has locale data for. Asked once: the list never changes in a process.
const std::set<std::string>& languages_with_data() {
  static const std::set<std::string> languages = [] {
    std::set<std::string> result;
    int32_t count = 0;
    const icu::Locale* available = icu::Locale::getAvailableLocales(count);
    for (int32_t i = 0; i < count; ++i) result.insert(available[i].getLanguage());
    return result;
  }();
  return languages;
}

// Without this check an unknown language would get ICU's default locale, which depends
// on the host's environment, or the root locale ("2027 M01 14").
icu::Locale locale_for(std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(language.data(), static_cast<int32_t>(language.size())), status);
  if (U_FAILURE(status) || locale.isBogus() || *locale.getLanguage() == '\0' ||
      languages_with_data().count(locale.getLanguage()) == 0) {
    return icu::Locale::getEnglish();
  }
  return locale;
}

std::string to_plain_utf8(const icu::UnicodeString& text) {
  icu::UnicodeString plain(text);
  plain.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x202F)), icu::UnicodeString(" "));
  plain.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x00A0)), icu::UnicodeString(" "));
  std::string utf8;
  plain.toUTF8String(utf8);
  return utf8;
}

// Empty if ICU cannot build a formatter for the skeleton (no data at all).
std::string format_skeleton(const char* skeleton, const icu::Locale& locale, UDate when) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateFormat> format(
      icu::DateFormat::createInstanceForSkeleton(icu::UnicodeString(skeleton), locale, status));
  if (U_FAILURE(status) || !format) return {};
  // GMT: `when` is the wall time itself, so formatting must not shift it.
  format->setTimeZone(*icu::TimeZone::getGMT());
  icu::UnicodeString out;
  format->format(when, out);
  return to_plain_utf8(out);
}

}  // namespace

LocalTimeText local_time_text(date::local_seconds local, std::string_view language) {
  const icu::Locale locale = locale_for(language);
  const UDate when = static_cast<UDate>(local.time_since_epoch().count()) * 1000.0;
  LocalTimeText text{format_skeleton("yMMMMEEEEd", locale, when),
                     format_skeleton("MMMEd", locale, when), format_skeleton("jmm", locale, when)};
  if (text.date.empty()) text.date = date::format("%F", local);
  if (text.date_short.empty()) text.date_short = date::format("%F", local);
  if (text.time.empty()) text.time = date::format("%R", local);
  return text;
}

}  // namespace slotbook::server
