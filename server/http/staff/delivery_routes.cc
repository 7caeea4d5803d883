// /api/v1/deliveries (list, retry) and /api/v1/webhooks (create, list, read, delete): the
// staff API of notifications (docs/api.md "Deliveries" and "Webhooks").
#include "http/staff/staff_dialect.h"

#include "booking/booking_view.h"
#include "notify/delivery_kinds.h"

namespace slotbook::server {
namespace {

Json delivery_json(const DeliveryRecord& d) {
  return Json{
      {"id", d.id},
      {"status", d.status},
      {"channel", d.channel},
      {"purpose", d.purpose},
      {"recipient", d.recipient},
      {"clinic_id", d.clinic_id},
      {"booking_id", d.booking_id.empty() ? Json(nullptr) : Json(d.booking_id)},
      {"attempts", d.attempts},
      {"next_attempt_at",
       d.status == delivery::kPending ? Json(instant_text(d.next_attempt_at)) : Json(nullptr)},
      {"last_error", d.last_error.empty() ? Json(nullptr) : Json(d.last_error)},
      {"receipt", d.receipt.empty() ? Json(nullptr) : Json(d.receipt)},
      {"created_at", instant_text(d.created_at)},
      {"updated_at", instant_text(d.updated_at)},
      {"sent_at", optional_instant_json(d.sent_at)},
  };
}

Json webhook_json(const WebhookRecord& w) {
  return Json{
      {"id", w.id},
      {"clinic_id", w.clinic_id.empty() ? Json(nullptr) : Json(w.clinic_id)},
      {"url", w.url},
      {"events", Json::parse(w.events_json, nullptr, false)},
      {"description", w.description},
      {"enabled", !w.disabled_at.has_value()},
      {"created_at", instant_text(w.created_at)},
      {"failing_since", optional_instant_json(w.failing_since)},
      {"disabled_at", optional_instant_json(w.disabled_at)},
      {"last_error", w.last_error.empty() ? Json(nullptr) : Json(w.last_error)},
  };
}

void list_deliveries(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  nlohmann::json params = nlohmann::json::object();
  for (const char* name : {"status", "booking_id", "channel", "recipient"}) {
    if (req.has_param(name)) params[name] = req.get_param_value(name);
  }
  for (const char* name : {"limit", "skip"}) {
    if (!req.has_param(name)) continue;
    params[name] = nlohmann::json::parse(req.get_param_value(name), nullptr, false);
  }
  std::vector<FieldError> errors;
  FieldReader fields(params, "", &errors);
  DeliveryFilter filter;
  filter.status = fields.text("status", false, 16);
  if (filter.status && *filter.status != delivery::kPending && *filter.status != delivery::kSent &&
      *filter.status != delivery::kFailed && *filter.status != delivery::kCancelled) {
    fields.fail("status", "must be pending, sent, failed or cancelled");
  }
  filter.booking_id = fields.text("booking_id", false, 64);
  filter.channel = fields.text("channel", false, 16);
  if (filter.channel && *filter.channel != delivery::kEmail && *filter.channel != delivery::kSms &&
      *filter.channel != delivery::kWebhook && *filter.channel != delivery::kCalendar &&
      *filter.channel != delivery::kMeeting) {
    fields.fail("channel", "must be email, sms, webhook, calendar or meeting");
  }
  filter.recipient = fields.text("recipient", false, 64);
  filter.limit = static_cast<int>(fields.integer("limit", false, 1, 500).value_or(100));
  filter.skip = static_cast<int>(fields.integer("skip", false, 0, 1000000).value_or(0));
  if (!errors.empty()) return staff_fields(res, errors);
  if (!call.principal.clinic_id.empty()) filter.clinic_id = call.principal.clinic_id;
  std::int64_t total = 0;
  auto rows = app.deliveries.list(filter, &total);
  if (!rows.ok()) return staff_failure(res, rows.error());
  Json list = Json::array();
  for (const DeliveryRecord& d : *rows) list.push_back(delivery_json(d));
  send_json(res, 200, Json{{"success", true}, {"total", total}, {"deliveries", std::move(list)}});
}

void retry_delivery(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  auto found = app.deliveries.delivery(req.matches[1].str());
  if (!found.ok()) return staff_failure(res, found.error());
  if (!call.principal.sees_clinic(found->clinic_id)) {
    return staff_error(res, 404, "delivery_not_found", "no such delivery");
  }
  auto retried = app.deliveries.retry(found->id);
  if (!retried.ok()) return staff_failure(res, retried.error());
  send_json(res, 200, Json{{"success", true}, {"delivery", delivery_json(*retried)}});
}

// `events` as a list of strings; nullopt (after recording the error) otherwise.
std::optional<std::vector<std::string>> event_list(const nlohmann::json& body,
                                                   FieldReader& fields) {
  const auto events = body.find("events");
  if (events == body.end() || !events->is_array() || events->empty()) {
    fields.fail("events", "must be a non-empty array of event types");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const nlohmann::json& type : *events) {
    if (!type.is_string()) {
      fields.fail("events", "every event type must be a string", "type_error");
      return std::nullopt;
    }
    out.push_back(type.get<std::string>());
  }
  return out;
}

void create_webhook(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  NewWebhook request;
  request.url = fields.text("url", true, kMaxWebhookUrl).value_or("");
  request.description = fields.text("description", false, kMaxWebhookDescription).value_or("");
  request.clinic_id = fields.text("clinic_id", false, 64).value_or(call.principal.clinic_id);
  if (!call.principal.sees_clinic(request.clinic_id)) {
    return staff_error(res, 404, "clinic_not_found", "no clinic " + request.clinic_id);
  }
  request.events = event_list(call.body, fields).value_or(std::vector<std::string>());
  if (!errors.empty()) return staff_fields(res, errors);
  auto created = app.deliveries.create_webhook(request, call.principal.actor);
  if (!created.ok()) return staff_failure(res, created.error());
  Json body = webhook_json(created->webhook);
  body["secret"] = created->secret;
  Json out = {{"success", true}};
  for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = it.value();
  send_json(res, 201, out);
}

// Webhook `id` if the principal sees its clinic (a server-wide webhook only server-wide
// principals); false after answering 404 otherwise.
bool visible_webhook(AppContext& app, const StaffCall& call, const std::string& id, Response& res) {
  auto webhook = app.deliveries.webhook(id);
  if (!webhook.ok()) {
    staff_failure(res, webhook.error());
    return false;
  }
  if (webhook->clinic_id.empty() ? !call.principal.clinic_id.empty()
                                 : !call.principal.sees_clinic(webhook->clinic_id)) {
    staff_error(res, 404, "webhook_not_found", "no such webhook");
    return false;
  }
  return true;
}

void change_webhook(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  std::vector<FieldError> errors;
  FieldReader fields(call.body, "", &errors);
  WebhookChange change;
  change.url = fields.text("url", false, kMaxWebhookUrl);
  change.description = fields.text("description", false, kMaxWebhookDescription);
  change.enabled = fields.boolean("enabled", false);
  if (fields.has("events")) change.events = event_list(call.body, fields);
  if (!errors.empty()) return staff_fields(res, errors);
  if (!visible_webhook(app, call, req.matches[1].str(), res)) return;
  auto changed = app.deliveries.change_webhook(req.matches[1].str(), change, call.principal.actor);
  if (!changed.ok()) return staff_failure(res, changed.error());
  send_json(res, 200, Json{{"success", true}, {"webhook", webhook_json(*changed)}});
}

void list_webhooks(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  auto rows = app.deliveries.webhooks();
  if (!rows.ok()) return staff_failure(res, rows.error());
  Json list = Json::array();
  for (const WebhookRecord& w : *rows) {
    const bool visible = w.clinic_id.empty() ? call.principal.clinic_id.empty()
                                             : call.principal.sees_clinic(w.clinic_id);
    if (visible) list.push_back(webhook_json(w));
  }
  send_json(res, 200, Json{{"success", true}, {"webhooks", std::move(list)}});
}

void get_webhook(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  if (!visible_webhook(app, call, req.matches[1].str(), res)) return;
  auto webhook = app.deliveries.webhook(req.matches[1].str());
  if (!webhook.ok()) return staff_failure(res, webhook.error());
  send_json(res, 200, Json{{"success", true}, {"webhook", webhook_json(*webhook)}});
}

void delete_webhook(AppContext& app, const Request& req, Response& res) {
  StaffCall call = begin_staff_call(app, req, res, Permission::kManageSettings);
  if (!call.ok) return;
  const std::string id = req.matches[1].str();
  if (!visible_webhook(app, call, id, res)) return;
  Status deleted = app.deliveries.delete_webhook(id, call.principal.actor);
  if (!deleted.ok()) return staff_failure(res, deleted.error());
  send_json(res, 200, Json{{"success", true}, {"id", id}, {"deleted", true}});
}

}  // namespace

void register_staff_delivery_routes(Router& server, AppContext& app) {
  auto bind = [&app](void (*handler)(AppContext&, const Request&, Response&)) {
    return [&app, handler](const Request& req, Response& res) { handler(app, req, res); };
  };
  server.Get("/api/v1/deliveries", bind(list_deliveries));
  server.Post(R"(/api/v1/deliveries/([A-Za-z0-9_-]{1,64})/retry)", bind(retry_delivery));
  server.Post("/api/v1/webhooks", bind(create_webhook));
  server.Get("/api/v1/webhooks", bind(list_webhooks));
  server.Get(R"(/api/v1/webhooks/([A-Za-z0-9_-]{1,64}))", bind(get_webhook));
  server.Patch(R"(/api/v1/webhooks/([A-Za-z0-9_-]{1,64}))", bind(change_webhook));
  server.Delete(R"(/api/v1/webhooks/([A-Za-z0-9_-]{1,64}))", bind(delete_webhook));
}

}  // namespace slotbook::server
