#include "notify/twilio_client.h"

#include <nlohmann/json.hpp>

#include "notify/http_client.h"

namespace slotbook::server {
namespace {

std::size_t utf16_units(std::string_view text) {
  std::size_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    units += byte >= 0xF0 ? 2 : 1;        // four-byte sequences need a surrogate pair
  }
  return units;
}

// Twilio's error body: {"code": 21211, "message": "...", "more_info": "...", "status": 400}.
std::string twilio_error(const HttpReply& reply) {
  std::string detail = "Twilio answered HTTP " + std::to_string(reply.status);
  const auto json = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return detail + ".";
  if (const auto code = json.find("code"); code != json.end() && code->is_number_integer()) {
    detail += ", error " + std::to_string(code->get<long long>());
  }
  if (const auto message = json.find("message"); message != json.end() && message->is_string()) {
    std::string text = message->get<std::string>();
    if (text.size() > 300) text.resize(300);
    detail += ": " + text;
  }
  return detail + ".";
}

}  // namespace

SendOutcome send_sms(const SmsSettings& settings, std::string_view to, std::string_view body) {
  if (utf16_units(body) > kMaxSmsCharacters) {
    return SendOutcome::rejected("The text is longer than the 1600 characters Twilio accepts.");
  }
  std::string base = settings.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();

  HttpRequest request;
  request.url =
      base + "/2010-04-01/Accounts/" + url_escape(settings.account_sid) + "/Messages.json";
  request.headers = {"Accept: application/json"};
  request.content_type = "application/x-www-form-urlencoded";
  request.body =
      form_encode({{"To", std::string(to)}, {"From", settings.from}, {"Body", std::string(body)}});
  request.basic_user = settings.account_sid;
  request.basic_password = settings.auth_token;
  request.timeout = settings.timeout;

  const auto reply = http_send(request);
  if (!reply.ok()) return SendOutcome::retry(reply.error().message);
  const long status = reply->status;
  if (status >= 200 && status < 300) {
    const auto json = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    std::string sid, state;
    if (json.is_object()) {
      if (const auto it = json.find("sid"); it != json.end() && it->is_string())
        sid = it->get<std::string>();
      if (const auto it = json.find("status"); it != json.end() && it->is_string())
        state = it->get<std::string>();
    }
    return SendOutcome::sent(
        state.empty() ? "Accepted by Twilio." : "Accepted by Twilio (" + state + ").", sid);
  }
  const bool refused_for_good = status >= 400 && status < 500 && status != 401 && status != 429;
  return refused_for_good ? SendOutcome::rejected(twilio_error(*reply))
                          : SendOutcome::retry(twilio_error(*reply));
}

}  // namespace slotbook::server
