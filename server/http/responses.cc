#include "http/responses.h"

#include "common/log_text.h"
#include "common/strict_json.h"

#include <spdlog/spdlog.h>

namespace slotbook::server {

void send_json(Response& res, int status, const Json& body) {
  res.status = status;
  // API answers carry manage tokens and patient details: no cache may keep one, unless the
  // route said otherwise (the snapshot: no-cache with its ETag).
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void send_error(Response& res, int status, std::string_view code, std::string_view message,
                const Json& extra) {
  Json error = {{"code", code}, {"message", message}};
  for (auto it = extra.begin(); it != extra.end(); ++it) error[it.key()] = it.value();
  send_json(res, status, Json{{"error", std::move(error)}});
}

int http_status(const Failure& failure) {
  switch (failure.kind) {
    case FailureKind::kNotFound:
      return 404;
    case FailureKind::kInvalid:
      return 422;
    case FailureKind::kInvalidState:
      return 409;
    case FailureKind::kStorage:
      return 500;
    case FailureKind::kUnavailable:
      return 503;
  }
  return 500;
}

void send_failure(Response& res, const Failure& failure) {
  if (failure.kind == FailureKind::kStorage) {
    spdlog::error("internal failure: {}", log_text(failure.message));
    send_error(res, 500, "internal_error", "the server could not complete the request");
    return;
  }
  if (failure.kind == FailureKind::kUnavailable) {
    spdlog::warn("database unavailable: {}", log_text(failure.message));
    res.set_header("Retry-After", "1");
    send_error(res, 503, failure.code, kUnavailableMessage);
    return;
  }
  send_error(res, http_status(failure), failure.code, failure.message);
}

bool parse_json_body(const Request& req, Response& res, nlohmann::json* out) {
  auto parsed = parse_strict_json(req.body);
  if (!parsed) {
    send_error(res, 400, "invalid_json",
               "the request body is not valid JSON (or repeats a key in one object)");
    return false;
  }
  *out = std::move(*parsed);
  return true;
}

bool parse_json_object_body(const Request& req, Response& res, nlohmann::json* out) {
  if (!parse_json_body(req, res, out)) return false;
  if (out->is_object()) return true;
  send_field_errors(res, {{"body", "must be a JSON object", "type_error"}});
  return false;
}

std::vector<FieldError> answer_field_errors(const std::vector<AnswerProblem>& problems) {
  std::vector<FieldError> out;
  for (const AnswerProblem& p : problems) {
    out.push_back(
        {p.question_id.empty() ? "answers" : "answers." + p.question_id, p.message, p.kind});
  }
  return out;
}

void send_field_errors(Response& res, const std::vector<FieldError>& errors) {
  Json fields = Json::object();
  for (const FieldError& e : errors) {
    if (!fields.contains(e.field)) fields[e.field] = e.message;
  }
  send_error(res, 422, "validation_failed", "some fields are missing or invalid",
             Json{{"fields", std::move(fields)}});
}

}  // namespace slotbook::server
