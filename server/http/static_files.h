// Static files from the web root (docs/api.md, "Static files"): /widget/NAME from
// WEB_ROOT/NAME (or WEB_ROOT/widget/NAME), / from WEB_ROOT/demo/index.html, /demo/NAME
// from WEB_ROOT/demo/NAME, /manage from WEB_ROOT/manage.html, the staff app's /staff from
// WEB_ROOT/staff/index.html and /staff/assets/NAME from WEB_ROOT/staff/NAME (same origin
// only, with a Content-Security-Policy that forbids framing and foreign resources). Whatever is
// missing is a 404. /widget/* answers any origin (public files). Paths with "..", hidden segments
// or unusual characters are refused. Content-hashed names (name.<8+ hex>.ext) are cached forever;
// others revalidate with an ETag.
#ifndef SLOTBOOK_SERVER_HTTP_STATIC_FILES_H_
#define SLOTBOOK_SERVER_HTTP_STATIC_FILES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_static_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_STATIC_FILES_H_
