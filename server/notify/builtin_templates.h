// The built-in message templates, compiled into the server: embed_templates.cmake writes
// the definitions from server/notify/templates/** at build time. Private to notify/;
// MessageTemplates is the only reader.
#ifndef SLOTBOOK_SERVER_NOTIFY_BUILTIN_TEMPLATES_H_
#define SLOTBOOK_SERVER_NOTIFY_BUILTIN_TEMPLATES_H_

#include <cstddef>

namespace slotbook::server {

struct BuiltinTemplate {
  const char* path;  // relative to templates/, '/'-separated: "en/booking_confirmed.subject"
  const char* text;  // the file's bytes, NUL-terminated
};

extern const BuiltinTemplate kBuiltinTemplates[];
extern const std::size_t kBuiltinTemplateCount;

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_NOTIFY_BUILTIN_TEMPLATES_H_
