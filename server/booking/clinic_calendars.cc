#include "booking/clinic_calendars.h"

#include "notify/email_message.h"

namespace slotbook::server {
namespace {

Failure bad(const std::string& field, const std::string& why) {
  return invalid("invalid_clinic_config", field + ": " + why);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

const nlohmann::json* optional_field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

std::string_view to_string(VideoProvider provider) {
  switch (provider) {
    case VideoProvider::kJitsi:
      return "jitsi";
    case VideoProvider::kZoom:
      return "zoom";
    case VideoProvider::kGoogleMeet:
      return "google_meet";
    case VideoProvider::kTeams:
      return "teams";
    case VideoProvider::kNone:
      break;
  }
  return "";
}

VideoProvider parse_video_provider(std::string_view text) {
  for (VideoProvider p : {VideoProvider::kJitsi, VideoProvider::kZoom, VideoProvider::kGoogleMeet,
                          VideoProvider::kTeams}) {
    if (text == to_string(p)) return p;
  }
  return VideoProvider::kNone;
}

const PractitionerCalendars* ClinicCalendars::practitioner(std::string_view id) const {
  auto it = practitioners.find(id);
  return it == practitioners.end() ? nullptr : &it->second;
}

VideoProvider ClinicCalendars::video(std::string_view type_id) const {
  auto it = video_by_type.find(type_id);
  return it == video_by_type.end() ? VideoProvider::kNone : it->second;
}

std::string ics_fetch_url(std::string_view configured) {
  if (starts_with(configured, "webcal://")) {
    return "https://" + std::string(configured.substr(9));
  }
  return std::string(configured);
}

// The engine has checked the shape of practitioners and types (arrays of objects with ids)
// before this runs.
Expected<ClinicCalendars> parse_clinic_calendars(const nlohmann::json& config) {
  ClinicCalendars out;
  const nlohmann::json& practitioners = config.at("practitioners");
  for (std::size_t i = 0; i < practitioners.size(); ++i) {
    const nlohmann::json& p = practitioners[i];
    const std::string field = "practitioners[" + std::to_string(i) + "]";
    PractitionerCalendars parsed;
    if (const nlohmann::json* urls = optional_field(p, "ics_urls")) {
      if (!urls->is_array() || urls->size() > kMaxIcsUrlsPerPractitioner) {
        return bad(field + ".ics_urls", "must be an array of at most " +
                                            std::to_string(kMaxIcsUrlsPerPractitioner) + " URLs");
      }
      for (const nlohmann::json& url : *urls) {
        const bool text = url.is_string() && url.get<std::string>().size() <= kMaxIcsUrlLength;
        const std::string value = text ? url.get<std::string>() : "";
        if (!text ||
            !(starts_with(value, "https://") || starts_with(value, "webcal://") ||
              starts_with(value, "http://")) ||
            value.find_first_of(" \t\r\n") != std::string::npos) {
          return bad(field + ".ics_urls", "each must be a webcal:// or https:// URL");
        }
        parsed.ics_urls.push_back(value);
      }
    }
    if (const nlohmann::json* email = optional_field(p, "email")) {
      if (!email->is_string() || !is_mail_address(email->get<std::string>())) {
        return bad(field + ".email", "must be one email address");
      }
      parsed.email = email->get<std::string>();
    }
    if (const nlohmann::json* user = optional_field(p, "zoom_user")) {
      if (!user->is_string() || user->get<std::string>().empty() ||
          user->get<std::string>().size() > 254) {
        return bad(field + ".zoom_user", "must be a Zoom user's id or email address");
      }
      parsed.zoom_user = user->get<std::string>();
    }
    out.practitioners[p.at("id").get<std::string>()] = std::move(parsed);
  }
  const nlohmann::json& types = config.at("appointment_types");
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (const nlohmann::json* video = optional_field(types[i], "video")) {
      const VideoProvider provider = video->is_string()
                                         ? parse_video_provider(video->get<std::string>())
                                         : VideoProvider::kNone;
      if (provider == VideoProvider::kNone) {
        return bad("appointment_types[" + std::to_string(i) + "].video",
                   "must be \"jitsi\", \"zoom\", \"google_meet\" or \"teams\"");
      }
      out.video_by_type[types[i].at("id").get<std::string>()] = provider;
    }
  }
  return out;
}

}  // namespace slotbook::server
