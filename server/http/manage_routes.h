// Manage-by-token endpoints (docs/api.md, "Manage by token"): view, cancel, reschedule
// and the .ics file. The token is checked against its stored SHA-256 in constant time; a
// wrong or missing token is 404, exactly like a missing booking, so nothing leaks.
#ifndef SLOTBOOK_SERVER_HTTP_MANAGE_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_MANAGE_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_manage_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_MANAGE_ROUTES_H_
