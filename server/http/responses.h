// Writing JSON responses, and the one mapping from a service Failure to an HTTP status.
// Error bodies are {"error": {"code", "message", ...}} (docs/api.md) except where a
// protocol fixes another shape (partner endpoints: {"detail": ...}).
#ifndef SLOTBOOK_SERVER_HTTP_RESPONSES_H_
#define SLOTBOOK_SERVER_HTTP_RESPONSES_H_

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "booking/intake_questions.h"
#include "common/expected.h"
#include "http/net/message.h"
#include "http/request_fields.h"

namespace slotbook::server {

using Json = nlohmann::ordered_json;  // responses keep their documented key order (as views)

// Adds Cache-Control: no-store unless the route set a Cache-Control of its own.
void send_json(Response& res, int status, const Json& body);
// {"error": {"code": code, "message": message, ...extra}}
void send_error(Response& res, int status, std::string_view code, std::string_view message,
                const Json& extra = Json::object());

// kNotFound 404, kInvalid 422, kInvalidState 409, kStorage 500,
// kUnavailable 503.
int http_status(const Failure& failure);
// What clients are told while the database is unavailable (the details are logged).
inline constexpr const char* kUnavailableMessage =
    "the booking database is unavailable for a moment; try again shortly";
// Sends `failure` in the standard error shape; storage failures are logged and shown
// only as "internal_error"; an unavailable database is 503 storage_unavailable with
// Retry-After.
void send_failure(Response& res, const Failure& failure);

// The public and manage dialect's field errors: 422 validation_failed with
// "fields": {path: message}, the first message for each field.
// parse_json_body, and a 422 field error on `body` unless it is a JSON object (the public
// endpoints' shape).
bool parse_json_object_body(const Request& req, Response& res, nlohmann::json* out);

// The refused intake answers (intake_questions.h) as field errors "answers.<id>".
std::vector<FieldError> answer_field_errors(const std::vector<AnswerProblem>& problems);
void send_field_errors(Response& res, const std::vector<FieldError>& errors);

// Parses a JSON body. On failure sends 400 invalid_json and returns false.
bool parse_json_body(const Request& req, Response& res, nlohmann::json* out);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_RESPONSES_H_
