// Text from outside (request paths, ids, messages that quote them) made safe for a log
// line: control characters and DEL become \xNN, so a value cannot forge a line (%0a) or
// drive the terminal (%1b[31m). Every value a log line takes from a request goes through
// log_text().
#ifndef SLOTBOOK_SERVER_COMMON_LOG_TEXT_H_
#define SLOTBOOK_SERVER_COMMON_LOG_TEXT_H_

#include <string>
#include <string_view>

namespace slotbook::server {

std::string log_text(std::string_view text);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_LOG_TEXT_H_
