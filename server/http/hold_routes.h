// The public hold endpoints (docs/api.md "Holds"): POST /api/v1/holds, POST
// /api/v1/holds/{id}/renew?token=, DELETE /api/v1/holds/{id}?token=. CORS like the
// booking endpoint; taking and renewing share the booking rate limit.
#ifndef SLOTBOOK_SERVER_HTTP_HOLD_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_HOLD_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_hold_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_HOLD_ROUTES_H_
