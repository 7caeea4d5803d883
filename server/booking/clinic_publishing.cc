#include "booking/clinic_publishing.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "common/text_checks.h"

namespace slotbook::server {
namespace {

constexpr std::size_t kMaxAddressText = 100;
constexpr std::size_t kMaxAddressLines = 4;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxDescription = 1000;
constexpr std::size_t kMaxCode = 64;
constexpr std::size_t kMaxSystem = 255;

Failure refuse(const std::string& field, const std::string& why) {
  return invalid("invalid_clinic_config", field + ": " + why);
}

bool printable(const std::string& text) {
  return std::none_of(text.begin(), text.end(),
                      [](unsigned char c) { return c < ' ' || c == 0x7f; });
}

// An optional string field of `object`: "" when absent or null; a refusal when it is not
// a printable string of at most `max` characters.
Expected<std::string> text_at(const nlohmann::json& object, const char* key,
                              const std::string& path, std::size_t max) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string() || !printable(it->get_ref<const std::string&>()) ||
      utf8_length(it->get_ref<const std::string&>()) > max) {
    return refuse(path + "." + key, "a string of at most " + std::to_string(max) + " characters");
  }
  return it->get<std::string>();
}

Expected<ServiceTypeCoding> parse_service_type(const nlohmann::json& value,
                                               const std::string& path) {
  if (!value.is_object()) return refuse(path, "an object {system, code, display}");
  ServiceTypeCoding out;
  auto system = text_at(value, "system", path, kMaxSystem);
  if (!system.ok()) return system.error();
  auto code = text_at(value, "code", path, kMaxCode);
  if (!code.ok()) return code.error();
  auto display = text_at(value, "display", path, kMaxSystem);
  if (!display.ok()) return display.error();
  if (code->empty()) return refuse(path + ".code", "required (e.g. \"124\", General Practice)");
  if (!system->empty()) out.system = std::move(*system);
  out.code = std::move(*code);
  out.display = std::move(*display);
  return out;
}

Expected<ClinicAddress> parse_address(const nlohmann::json& value) {
  const std::string path = "clinic.address";
  if (!value.is_object()) return refuse(path, "an object {line, city, state, postal_code}");
  ClinicAddress out;
  if (auto line = value.find("line"); line != value.end() && !line->is_null()) {
    if (!line->is_array() || line->size() > kMaxAddressLines) {
      return refuse(path + ".line", "an array of at most 4 strings");
    }
    for (const nlohmann::json& item : *line) {
      if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
          !printable(item.get_ref<const std::string&>()) ||
          utf8_length(item.get_ref<const std::string&>()) > kMaxAddressText) {
        return refuse(path + ".line", "non-empty strings of at most 100 characters");
      }
      out.line.push_back(item.get<std::string>());
    }
  }
  for (auto [key, field] :
       {std::pair{"city", &out.city}, std::pair{"state", &out.state},
        std::pair{"postal_code", &out.postal_code}, std::pair{"district", &out.district}}) {
    auto text = text_at(value, key, path, kMaxAddressText);
    if (!text.ok()) return text.error();
    *field = std::move(*text);
  }
  auto country = text_at(value, "country", path, 2);
  if (!country.ok()) return country.error();
  if (!country->empty() && (country->size() != 2 ||
                            !std::all_of(country->begin(), country->end(),
                                         [](unsigned char c) { return c >= 'A' && c <= 'Z'; }))) {
    return refuse(path + ".country", "an ISO 3166 alpha-2 code such as \"US\"");
  }
  out.country = std::move(*country);
  return out;
}

Expected<GeoPosition> parse_position(const nlohmann::json& value) {
  auto number = [&](const char* key, double bound) -> std::optional<double> {
    auto it = value.find(key);
    if (it == value.end() || !it->is_number()) return std::nullopt;
    const double x = it->get<double>();
    if (!std::isfinite(x) || x < -bound || x > bound) return std::nullopt;
    return x;
  };
  if (!value.is_object()) return refuse("clinic.position", "an object {latitude, longitude}");
  auto latitude = number("latitude", 90);
  auto longitude = number("longitude", 180);
  if (!latitude) return refuse("clinic.position.latitude", "a number from -90 to 90");
  if (!longitude) return refuse("clinic.position.longitude", "a number from -180 to 180");
  return GeoPosition{*latitude, *longitude};
}

// An absolute http(s) URL with a host: where the clinic's widget lives.
bool is_page_url(const std::string& url) {
  const std::size_t scheme_end = url.rfind("https://", 0) == 0  ? 8
                                 : url.rfind("http://", 0) == 0 ? 7
                                                                : 0;
  return scheme_end > 0 && url.size() > scheme_end &&
         std::string_view("/?").find(url[scheme_end]) == std::string_view::npos &&  // a host
         url.find('#') == std::string::npos &&
         std::none_of(url.begin(), url.end(),
                      [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

}  // namespace

const ServiceTypeCoding& ClinicPublishing::service_type_of(const std::string& type_id) const {
  auto it = type_services.find(type_id);
  return it == type_services.end() ? service_type : it->second;
}

Expected<ClinicPublishing> parse_clinic_publishing(const nlohmann::json& config,
                                                   const std::string& phone) {
  ClinicPublishing out;
  std::string clinic_name;
  if (auto clinic = config.find("clinic"); clinic != config.end() && clinic->is_object()) {
    if (auto address = clinic->find("address"); address != clinic->end() && !address->is_null()) {
      auto parsed = parse_address(*address);
      if (!parsed.ok()) return parsed.error();
      out.address = std::move(*parsed);
    }
    if (auto position = clinic->find("position");
        position != clinic->end() && !position->is_null()) {
      auto parsed = parse_position(*position);
      if (!parsed.ok()) return parsed.error();
      out.position = *parsed;
    }
    auto url = text_at(*clinic, "booking_url", "clinic", kMaxUrl);
    if (!url.ok()) return url.error();
    if (!url->empty() && !is_page_url(*url)) {
      return refuse("clinic.booking_url",
                    "an absolute https:// (or http://) URL of the page with the widget, without "
                    "a #fragment");
    }
    out.booking_url = std::move(*url);
    auto description = text_at(*clinic, "description", "clinic", kMaxDescription);
    if (!description.ok()) return description.error();
    out.description = std::move(*description);
    if (auto name = clinic->find("name"); name != clinic->end() && name->is_string()) {
      clinic_name = name->get<std::string>();
    }
  }
  if (auto types = config.find("appointment_types"); types != config.end() && types->is_array()) {
    for (std::size_t i = 0; i < types->size(); ++i) {
      const nlohmann::json& type = (*types)[i];
      if (!type.is_object() || !type.contains("id") || !type["id"].is_string()) continue;
      auto service = type.find("service_type");
      if (service == type.end() || service->is_null()) continue;
      auto parsed =
          parse_service_type(*service, "appointment_types[" + std::to_string(i) + "].service_type");
      if (!parsed.ok()) return parsed.error();
      out.type_services[type["id"].get<std::string>()] = std::move(*parsed);
    }
  }
  auto publish = config.find("publish");
  if (publish == config.end() || publish->is_null()) return out;
  if (!publish->is_object()) return refuse("publish", "an object {smart_scheduling_links, ...}");
  for (auto [key, flag] : {std::pair{"smart_scheduling_links", &out.smart_scheduling_links},
                           std::pair{"per_practitioner", &out.per_practitioner}}) {
    auto it = publish->find(key);
    if (it == publish->end() || it->is_null()) continue;
    if (!it->is_boolean()) return refuse(std::string("publish.") + key, "true or false");
    *flag = it->get<bool>();
  }
  if (auto service = publish->find("service_type");
      service != publish->end() && !service->is_null()) {
    auto parsed = parse_service_type(*service, "publish.service_type");
    if (!parsed.ok()) return parsed.error();
    out.service_type = std::move(*parsed);
  }
  if (!out.smart_scheduling_links) return out;
  // What the specification's Location requires (name, telecom, address), and where the
  // deep links point.
  std::vector<std::string> missing;
  if (clinic_name.empty()) missing.push_back("clinic.name");
  if (phone.empty()) missing.push_back("clinic.phone");
  const ClinicAddress none;
  const ClinicAddress& address = out.address ? *out.address : none;
  if (address.line.empty()) missing.push_back("clinic.address.line");
  if (address.city.empty()) missing.push_back("clinic.address.city");
  if (address.state.empty()) missing.push_back("clinic.address.state");
  if (address.postal_code.empty()) missing.push_back("clinic.address.postal_code");
  if (out.booking_url.empty()) missing.push_back("clinic.booking_url");
  if (!missing.empty()) {
    std::string list;
    for (const std::string& field : missing) list += (list.empty() ? "" : ", ") + field;
    return refuse("publish.smart_scheduling_links",
                  "publishing SMART Scheduling Links needs " + list);
  }
  return out;
}

}  // namespace slotbook::server
