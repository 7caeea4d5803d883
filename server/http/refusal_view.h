// How an engine refusal is answered on the public API: unknown type or practitioner is
// 404 not_found; every other reason is 409 slot_unavailable carrying the engine's reason.
#ifndef SLOTBOOK_SERVER_HTTP_REFUSAL_VIEW_H_
#define SLOTBOOK_SERVER_HTTP_REFUSAL_VIEW_H_

#include <string>

#include "booking/booking_service.h"
#include "http/responses.h"

namespace slotbook::server {

int refusal_status(Refusal reason);
// The {"error": ...} body for `reason`.
Json refusal_body(Refusal reason);
std::string refusal_message(Refusal reason);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_REFUSAL_VIEW_H_
