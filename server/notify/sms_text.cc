#include "notify/sms_text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace slotbook::server {
namespace {

// The basic character set and the extension table (reached through an escape), as
// Unicode: TS 23.038 section 6.2.1.
const icu::UnicodeString& gsm7_alphabet() {
  static const icu::UnicodeString alphabet = icu::UnicodeString::fromUTF8(
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
      "\f^{}\\[~]|€");
  return alphabet;
}

bool in_alphabet(UChar32 c) { return gsm7_alphabet().indexOf(c) >= 0; }

// The plain form of typographic punctuation and spaces; 0 when there is none.
const char* plain_punctuation(UChar32 c) {
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x2032:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2033:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2212:
      return "-";
    case 0x00A0:
    case 0x2002:
    case 0x2003:
    case 0x2009:
    case 0x202F:
      return " ";
    case 0x2026:
      return "...";
    case '\t':
      return " ";
    default:
      return nullptr;
  }
}

}  // namespace

std::string gsm7_where_possible(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);
  // Composed first: an "e" and a combining acute written apart are the alphabet's "é".
  const icu::UnicodeString text =
      nfc->normalize(icu::UnicodeString::fromUTF8(
                         icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
                     status);
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString out;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (in_alphabet(c)) {
      out.append(c);
    } else if (const char* plain = plain_punctuation(c)) {
      out.append(icu::UnicodeString(plain, -1, US_INV));
    } else {
      // A letter with a mark the alphabet lacks: its base letter, when that is in it.
      icu::UnicodeString parts;
      if (nfd->getDecomposition(c, parts) && parts.length() > 0) {
        const UChar32 base = parts.char32At(0);
        bool marks_only = true;
        for (int32_t j = parts.moveIndex32(0, 1); j < parts.length(); j = parts.moveIndex32(j, 1)) {
          if (u_charType(parts.char32At(j)) != U_NON_SPACING_MARK) marks_only = false;
        }
        if (marks_only && in_alphabet(base)) {
          out.append(base);
          continue;
        }
      }
      out.append(c);
    }
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace slotbook::server
