// Where the calendar and video providers are and who this server is to them
// (docs/integrations.md): each origin from its flag (production default), each credential
// from the environment. One value, made in main.cc, read by the connection flow, the
// busy-time sync and the write-back jobs.
#ifndef SLOTBOOK_SERVER_CALENDARS_PROVIDER_SETTINGS_H_
#define SLOTBOOK_SERVER_CALENDARS_PROVIDER_SETTINGS_H_

#include <chrono>
#include <string>

#include "calendars/oauth.h"

namespace slotbook::server {

struct ProviderSettings {
  OAuthApp google;  // GOOGLE_CLIENT_ID/SECRET, --google-auth-url, --google-token-url
  std::string google_api_url = "https://www.googleapis.com";  // --google-api-url
  OAuthApp microsoft;  // MICROSOFT_CLIENT_ID/SECRET, --microsoft-auth-url, --microsoft-token-url
  std::string graph_api_url = "https://graph.microsoft.com";  // --graph-api-url
  // Zoom Server-to-Server OAuth: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET.
  std::string zoom_account_id, zoom_client_id, zoom_client_secret;
  std::string zoom_token_url = "https://zoom.us/oauth/token";  // --zoom-token-url
  std::string zoom_api_url = "https://api.zoom.us/v2";         // --zoom-api-url
  // --public-url: the origin of OAuth redirect URIs and feed URLs. Set before serving.
  std::string public_url;
  // Each provider request, connecting included.
  std::chrono::milliseconds timeout{10000};
  // Busy times are synced this often (--calendar-sync-seconds), and again right before a
  // booking when the last sync is older.
  std::chrono::seconds sync_interval{300};
  // Feeds and providers on loopback and private addresses are allowed (tests only).
  bool allow_private_addresses = false;

  // Where the providers send the practitioner's browser back (register it with each app).
  std::string redirect_uri() const { return public_url + "/calendar/oauth/callback"; }

  bool google_configured() const { return !google.client_id.empty(); }
  bool microsoft_configured() const { return !microsoft.client_id.empty(); }
  bool zoom_configured() const { return !zoom_account_id.empty() && !zoom_client_id.empty(); }
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_PROVIDER_SETTINGS_H_
