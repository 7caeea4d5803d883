#include "http/fhir_routes.h"

#include <nlohmann/json.hpp>

#include "http/compression.h"
#include "http/responses.h"
#include "publish/publication.h"

namespace slotbook::server {
namespace {

using Json = nlohmann::ordered_json;

// Aggregators poll about once a minute (the specification's advice); files change at
// most once a second.
constexpr const char* kCacheControl = "public, max-age=60";
constexpr const char* kNdjson = "application/fhir+ndjson";

void open_to_all(Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Cache-Control", kCacheControl);
}

std::string clinic_base(const AppContext& app, const std::string& clinic_id) {
  return app.settings.public_url + "/fhir/clinics/" + clinic_id;
}

// The manifest of `publications`, answered at `request_url`.
void send_manifest(const Request& req, Response& res, const AppContext& app,
                   const std::vector<std::shared_ptr<const ClinicPublication>>& publications,
                   const std::string& request_url) {
  UtcSeconds published{};
  Json output = Json::array();
  for (const auto& p : publications) {
    published = std::max(published, p->changed_at());
    const std::string base = clinic_base(app, p->clinic->id());
    Json extension = Json::object();
    if (const auto& address = p->clinic->publishing().address; address && !address->state.empty()) {
      extension["state"] = Json::array({address->state});
    }
    for (const auto& [type, file] :
         {std::pair{"Location", "/locations.ndjson"}, std::pair{"Schedule", "/schedules.ndjson"},
          std::pair{"Slot", "/slots.ndjson"}}) {
      Json item = {{"type", type}, {"url", base + file}};
      if (!extension.empty()) item["extension"] = extension;
      output.push_back(std::move(item));
    }
  }
  Json manifest = {{"transactionTime", format_instant(Instant(published))},
                   {"request", request_url},
                   {"output", std::move(output)},
                   {"error", Json::array()}};
  open_to_all(res);
  send_prepared_body(req, res, PreparedBody(manifest.dump()), "application/json", published);
}

void get_server_manifest(AppContext& app, const Request& req, Response& res) {
  auto publications = app.publication.all();
  if (!publications.ok()) return send_failure(res, publications.error());
  send_manifest(req, res, app, *publications, app.settings.public_url + "/fhir/$bulk-publish");
}

void get_clinic_manifest(AppContext& app, const Request& req, Response& res) {
  const std::string clinic_id = req.matches[1];
  auto publication = app.publication.get(clinic_id);
  if (!publication.ok()) return send_failure(res, publication.error());
  send_manifest(req, res, app, {*publication}, clinic_base(app, clinic_id) + "/$bulk-publish");
}

void get_file(AppContext& app, const Request& req, Response& res) {
  auto publication = app.publication.get(req.matches[1]);
  if (!publication.ok()) return send_failure(res, publication.error());
  const std::string kind = req.matches[2];
  const ClinicPublication& p = **publication;
  const PublishedFile& file = kind == "locations"   ? p.locations
                              : kind == "schedules" ? p.schedules
                                                    : p.slots;
  open_to_all(res);
  send_prepared_body(req, res, *file.body, kNdjson, file.last_modified);
}

}  // namespace

void register_fhir_routes(Router& server, AppContext& app) {
  server.Get(R"(/fhir/\$bulk-publish)",
             [&app](const Request& req, Response& res) { get_server_manifest(app, req, res); });
  server.Get(R"(/fhir/clinics/([^/]+)/\$bulk-publish)",
             [&app](const Request& req, Response& res) { get_clinic_manifest(app, req, res); });
  server.Get(R"(/fhir/clinics/([^/]+)/(locations|schedules|slots)\.ndjson)",
             [&app](const Request& req, Response& res) { get_file(app, req, res); });
}

}  // namespace slotbook::server
