// The "detail" dialect of the FastAPI-style protocols: seed 004's partner protocol and
// seed 002's Calendly-like routes. Errors are {"detail": "..."}; validation errors are
// 422 {"detail": [{"loc": [location, field], "msg", "type"}]}.
#ifndef SLOTBOOK_SERVER_HTTP_DETAIL_DIALECT_H_
#define SLOTBOOK_SERVER_HTTP_DETAIL_DIALECT_H_

#include <string>
#include <vector>

#include "booking/clinic_config.h"
#include "http/net/message.h"
#include "http/request_fields.h"
#include "slotbook/engine.h"

namespace slotbook::server {

void send_detail(Response& res, int status, const std::string& detail);
// `location` is "query" or "body".
void send_validation(Response& res, const char* location, const std::vector<FieldError>& errors);

// An engine refusal of a booking at local `date_text` `time_text`, in seed 004's words:
// 400 for the past, notice and horizon (with the clinic's rules), 404 `not_found_detail`
// for an unknown type or practitioner, 409 for a time that is not free.
void send_booking_refusal(Response& res, Refusal reason, const ClinicConfig& clinic,
                          const std::string& date_text, const std::string& time_text,
                          const std::string& not_found_detail);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_DETAIL_DIALECT_H_
