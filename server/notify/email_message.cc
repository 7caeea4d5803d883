#include "notify/email_message.h"

#include <array>
#include <memory>
#include <mutex>

#include <gmime/gmime.h>

namespace slotbook::server {
namespace {

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Owns one GObject reference.
struct ObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T>
using GPtr = std::unique_ptr<T, ObjectUnref>;

Failure bad_mailbox(std::string_view what) {
  return invalid("invalid_mailbox", "not a single mail address: " + std::string(what));
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext.
bool is_atext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return is_ascii_alnum(c) || kSpecials.find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i + 1] == '.') return false;
    } else if (!is_atext(text[i])) {
      return false;
    }
  }
  return true;
}

// A quoted-string of printable ASCII and spaces, with backslash quoted-pairs.
bool is_quoted_local(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c < 0x20 || c > 0x7e) return false;
    if (c == '"') return false;
    if (c == '\\') {
      ++i;
      if (i + 1 >= text.size() || text[i] < 0x20 || text[i] > 0x7e) return false;
    }
  }
  return true;
}

bool is_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  int labels = 0;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_ascii_alnum(c) && c != '-') return false;
    }
    ++labels;
    start = end + 1;
  }
  return labels >= 2;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Replaces what could end a header line or confuse a mail agent (CR, LF, NUL, other
// controls) with a space and repairs invalid UTF-8, before a value reaches GMime.
std::string header_safe(std::string_view value) {
  std::string clean(value);
  for (char& c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) c = ' ';
  }
  gchar* valid = g_utf8_make_valid(clean.data(), static_cast<gssize>(clean.size()));
  std::string result(valid);
  g_free(valid);
  return result;
}

// Bodies in GMime's own form (LF lines, valid UTF-8); the DOS newline format writes them
// back with CRLF, whatever the caller used.
std::string body_safe(std::string_view text) {
  std::string lf;
  lf.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      lf.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] != '\0') {
      lf.push_back(text[i]);
    }
  }
  gchar* valid = g_utf8_make_valid(lf.data(), static_cast<gssize>(lf.size()));
  std::string result(valid);
  g_free(valid);
  return result;
}

bool is_message_id(std::string_view id) {
  const auto at = id.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == id.size()) return false;
  for (char c : id) {
    if (c <= 0x20 || c > 0x7e || c == '<' || c == '>') return false;
  }
  return true;
}

bool is_field_name(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    if (c <= 0x20 || c > 0x7e || c == ':') return false;
  }
  return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (g_ascii_tolower(a[i]) != g_ascii_tolower(b[i])) return false;
  }
  return true;
}

// Headers compose_email writes itself: an extra header of the same name would contradict
// or duplicate them.
bool is_reserved_header(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kReserved = {
      "From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-Id", "MIME-Version"};
  for (std::string_view reserved : kReserved) {
    if (equals_ignoring_case(name, reserved)) return true;
  }
  return name.size() >= 8 && equals_ignoring_case(name.substr(0, 8), "Content-");
}

void add_mailbox(InternetAddressList* list, const Mailbox& mailbox) {
  const std::string name = header_safe(mailbox.name);
  GPtr<InternetAddress> address(
      internet_address_mailbox_new(name.empty() ? nullptr : name.c_str(), mailbox.address.c_str()));
  internet_address_set_charset(address.get(), "utf-8");
  internet_address_list_add(list, address.get());  // the list takes its own reference
}

GPtr<GMimeTextPart> text_part(const char* subtype, const std::string& text) {
  GPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  // Not g_mime_text_part_set_text: it would recode Latin-1-compatible text to ISO-8859-1;
  // every part is UTF-8 so that all three alternatives decode alike.
  const std::string body = body_safe(text);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
  GPtr<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(GMIME_PART(part.get()), wrapper.get());
  g_mime_text_part_set_charset(part.get(), "utf-8");
  // Quoted-printable keeps mostly-ASCII text readable and breaks long lines (soft breaks
  // at 76), so no line of the message exceeds 998 octets whatever the body holds.
  g_mime_part_set_content_encoding(GMIME_PART(part.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

}  // namespace

bool is_mail_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) return false;
  if (!is_dot_atom(local) && !is_quoted_local(local)) return false;
  return is_domain(domain);
}

Expected<Mailbox> parse_mailbox(std::string_view text) {
  if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return bad_mailbox("it holds a line break");
  }
  const std::string_view trimmed = trim(text);
  if (trimmed.empty() || trimmed.back() != '>') {
    if (!is_mail_address(trimmed)) return bad_mailbox(trimmed);
    return Mailbox{"", std::string(trimmed)};
  }

  Mailbox mailbox;
  std::size_t angle = 0;
  if (trimmed.front() == '"') {
    std::size_t i = 1;
    for (; i < trimmed.size() && trimmed[i] != '"'; ++i) {
      if (trimmed[i] == '\\' && i + 1 < trimmed.size()) ++i;
      mailbox.name.push_back(trimmed[i]);
    }
    if (i >= trimmed.size()) return bad_mailbox(trimmed);
    const std::string_view rest = trim(trimmed.substr(i + 1));
    if (rest.empty() || rest.front() != '<') return bad_mailbox(trimmed);
    angle = trimmed.size() - rest.size();
  } else {
    angle = trimmed.find('<');
    if (angle == std::string_view::npos) return bad_mailbox(trimmed);
    const std::string_view name = trim(trimmed.substr(0, angle));
    // Characters that would make the phrase a list, a group, a comment or a second
    // address; unquoted names may hold letters (any UTF-8), digits, spaces, dots and '.
    if (name.find_first_of("\",;:@<>()[]\\") != std::string_view::npos) {
      return bad_mailbox(trimmed);
    }
    mailbox.name = std::string(name);
  }
  const std::string_view address = trimmed.substr(angle + 1, trimmed.size() - angle - 2);
  if (!is_mail_address(address)) return bad_mailbox(trimmed);
  mailbox.address = std::string(address);
  return mailbox;
}

Expected<std::string> compose_email(const EmailContent& content) {
  for (const Mailbox* mailbox : {&content.from, &content.to}) {
    if (!is_mail_address(mailbox->address)) return bad_mailbox(header_safe(mailbox->address));
  }
  if (content.reply_to && !is_mail_address(content.reply_to->address)) {
    return bad_mailbox(header_safe(content.reply_to->address));
  }
  if (!is_message_id(content.message_id)) {
    return invalid("invalid_message_id",
                   "not a Message-ID (local@domain): " + header_safe(content.message_id));
  }
  if (!content.calendar.empty() && content.calendar_method != "REQUEST" &&
      content.calendar_method != "CANCEL") {
    return invalid("invalid_calendar_method", "calendar method must be REQUEST or CANCEL, not " +
                                                  header_safe(content.calendar_method));
  }
  for (const auto& [name, value] : content.extra_headers) {
    if (!is_field_name(name) || is_reserved_header(name)) {
      return invalid("invalid_header", "cannot add header " + header_safe(name));
    }
  }

  ensure_gmime();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  GMimeObject* message_object = GMIME_OBJECT(message.get());

  add_mailbox(g_mime_message_get_from(message.get()), content.from);
  if (content.reply_to) add_mailbox(g_mime_message_get_reply_to(message.get()), *content.reply_to);
  add_mailbox(g_mime_message_get_to(message.get()), content.to);
  g_mime_message_set_subject(message.get(), header_safe(content.subject).c_str(), "utf-8");

  GDateTime* date = g_date_time_new_from_unix_utc(content.date.time_since_epoch().count());
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(message.get(), content.message_id.c_str());
  g_mime_object_set_header(message_object, "MIME-Version", "1.0", nullptr);
  for (const auto& [name, value] : content.extra_headers) {
    g_mime_object_append_header(message_object, name.c_str(), header_safe(value).c_str(), "utf-8");
  }

  GPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text_part("plain", content.text).get()));
  if (!content.html.empty()) {
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text_part("html", content.html).get()));
  }
  if (!content.calendar.empty()) {
    GPtr<GMimeTextPart> calendar = text_part("calendar", content.calendar);
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(calendar.get()), "method",
                                             content.calendar_method.c_str());
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(calendar.get()));
  }
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(alternative.get()));

  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(message_object, options);
  g_mime_format_options_free(options);
  std::string result(bytes);
  g_free(bytes);
  return result;
}

}  // namespace slotbook::server
