// Public endpoints for patients and the widget (docs/api.md, "Public"): clinic info, the
// prepared snapshot, and booking. CORS for the allowed origins; booking POSTs are
// rate-limited per client address.
#ifndef SLOTBOOK_SERVER_HTTP_PUBLIC_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_PUBLIC_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_public_routes(Router& server, AppContext& app);
// Applies the booking rate limit; on refusal sends 429 and returns false.
bool within_booking_rate_limit(AppContext& app, const Request& req, Response& res);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_PUBLIC_ROUTES_H_
