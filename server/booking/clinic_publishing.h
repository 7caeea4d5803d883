// What a clinic publishes about itself for others to read (docs/smart-scheduling-links.md):
// whether its open times go out as SMART Scheduling Links, and the public facts a
// FHIR Location needs. Checked when a configuration is stored; a clinic that opts in
// without a field the specification requires is refused, naming every missing one.
//
//   "clinic": {"name": ..., "phone": ...,                       (phone: change_policy.h)
//              "address": {"line": ["1 Main St"], "city": ..., "state": ...,
//                          "postal_code": ..., "district": ..., "country": "US"},
//              "position": {"latitude": 42.36, "longitude": -71.06},
//              "booking_url": "https://clinic.example/book",   the page with the widget
//              "description": "Entrance on Elm St"}
//   "publish": {"smart_scheduling_links": true,
//               "per_practitioner": false,       also one Schedule per practitioner
//               "service_type": {"system": ..., "code": "124", "display": ...}}
//   "appointment_types": [{"id": ..., "service_type": {"code": "57"}}]   per type
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_PUBLISHING_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_PUBLISHING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

// HL7's service-type code system: the default `system` of a service type.
inline constexpr const char* kHl7ServiceTypeSystem =
    "http://terminology.hl7.org/CodeSystem/service-type";
// General Practice: the service type of a clinic that names none.
inline constexpr const char* kDefaultServiceTypeCode = "124";

struct ServiceTypeCoding {
  std::string system = kHl7ServiceTypeSystem;
  std::string code = kDefaultServiceTypeCode;
  std::string display;  // "": the appointment type's name
};

struct ClinicAddress {
  std::vector<std::string> line;
  std::string city, state, postal_code, district, country;  // district, country optional
};

struct GeoPosition {
  double latitude = 0;
  double longitude = 0;
};

struct ClinicPublishing {
  bool smart_scheduling_links = false;
  bool per_practitioner = false;
  ServiceTypeCoding service_type;                          // the clinic's default
  std::map<std::string, ServiceTypeCoding> type_services;  // types with their own
  std::optional<ClinicAddress> address;
  std::optional<GeoPosition> position;
  std::string booking_url;  // absolute http(s) URL; "" when not given
  std::string description;

  // The service type of appointment type `type_id`: its own, else the clinic's.
  const ServiceTypeCoding& service_type_of(const std::string& type_id) const;
};

// `phone` is the clinic's phone as the change policy read it. Fails
// invalid("invalid_clinic_config", "<field>: <why>").
Expected<ClinicPublishing> parse_clinic_publishing(const nlohmann::json& config,
                                                   const std::string& phone);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_PUBLISHING_H_
