// SMART Scheduling Links (docs/smart-scheduling-links.md): the bulk publication manifests
// and each publishing clinic's NDJSON files, public and open to any origin.
//   GET /fhir/$bulk-publish                         every publishing clinic's files
//   GET /fhir/clinics/{clinic_id}/$bulk-publish     one clinic's
//   GET /fhir/clinics/{clinic_id}/locations.ndjson, schedules.ndjson, slots.ndjson
// Whatever the Accept header, the same payload (the specification's rule). ETag and
// Last-Modified on every answer; Cache-Control max-age as the polling hint.
#ifndef SLOTBOOK_SERVER_HTTP_FHIR_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_FHIR_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_fhir_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_FHIR_ROUTES_H_
