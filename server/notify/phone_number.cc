#include "notify/phone_number.h"

#include <set>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

namespace slotbook::server {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// The library's singleton, made silent on first use: some releases log parse problems to
// stdout (StdoutLogger), and the server's output is its own. The static's initialisation is
// thread-safe and happens before any other use from this file.
const PhoneNumberUtil& phone_util() {
  static const PhoneNumberUtil* const util = [] {
    PhoneNumberUtil* instance = PhoneNumberUtil::GetInstance();
    instance->SetLogger(new i18n::phonenumbers::NullLogger());  // takes ownership
    return instance;
  }();
  return *util;
}

Failure bad_phone(std::string why) { return invalid("invalid_phone", std::move(why)); }

std::string parse_problem(PhoneNumberUtil::ErrorType error, bool country_given) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return country_given ? "The phone number starts with an unknown country code."
                           : "The phone number must start with + and its country code.";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "The phone number is too short.";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "The phone number is too long.";
    default:
      return "This is not a phone number.";
  }
}

}  // namespace

bool is_phone_region(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
    return false;
  }
  // The set is fixed by the library's compiled-in metadata, so it is read once.
  static const std::set<std::string> regions = [] {
    std::set<std::string> all;
    phone_util().GetSupportedRegions(&all);
    return all;
  }();
  return regions.count(std::string(code)) > 0;
}

Expected<std::string> normalize_phone(std::string_view text, std::string_view country) {
  const bool country_given = !country.empty();
  if (country_given && !is_phone_region(country)) {
    return bad_phone("'" + std::string(country) +
                     "' is not a country code for phone numbers (ISO 3166, e.g. US).");
  }
  const PhoneNumberUtil& util = phone_util();
  PhoneNumber number;
  // "ZZ" is libphonenumber's unknown region: only numbers with a + country code parse.
  const auto error =
      util.Parse(std::string(text), country_given ? std::string(country) : "ZZ", &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    return bad_phone(parse_problem(error, country_given));
  }
  if (number.has_extension()) {
    return bad_phone("The phone number has an extension, which a text message cannot reach.");
  }
  if (!util.IsValidNumber(number)) {
    return bad_phone("The phone number is not in use in its country (wrong length or range).");
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace slotbook::server
