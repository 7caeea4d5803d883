// The calendar and video provider clients: PKCE, the authorization URLs, id_token emails,
// Google event ids, the failure mapping and the parsing of each provider's answers without
// the network, then a few calls against canned servers on 127.0.0.1 for the request shapes
// (method, path, query, headers, body).
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendars/busy_span.h"
#include "calendars/google_calendar.h"
#include "calendars/microsoft_graph.h"
#include "calendars/oauth.h"
#include "calendars/provider_result.h"
#include "calendars/zoom_meetings.h"
#include "http_test_server.h"
#include "notify/http_client.h"
#include "tokens/tokens.h"

namespace slotbook::server::testing {
namespace {

using nlohmann::json;
using Kind = ProviderFailure::Kind;
using std::chrono::milliseconds;

constexpr milliseconds kTimeout{5000};

void init_curl_once() {
  static const bool done = [] {
    init_http_clients();
    return true;
  }();
  (void)done;
}

UtcSeconds utc(const char* rfc3339) {
  const auto at = utc_from_rfc3339(rfc3339);
  REQUIRE(at.has_value());
  return *at;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// name -> value of an application/x-www-form-urlencoded text; a repeated name fails.
std::map<std::string, std::string> form_fields(std::string_view text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const std::size_t eq = pair.find('=');
    const std::string name = percent_decoded(pair.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1));
    CHECK(fields.count(name) == 0);
    fields[name] = value;
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return fields;
}

std::map<std::string, std::string> query_of(const std::string& url) {
  const std::size_t question = url.find('?');
  REQUIRE(question != std::string::npos);
  return form_fields(std::string_view(url).substr(question + 1));
}

// The request line's target ("/path?query") and the body of a raw HTTP request.
std::string target_of(const std::string& request) {
  const std::size_t space = request.find(' ');
  return request.substr(space + 1, request.find(' ', space + 1) - space - 1);
}
std::string method_of(const std::string& request) { return request.substr(0, request.find(' ')); }
std::string body_of(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}
bool has_header(const std::string& request, const std::string& line) {
  return request.find("\r\n" + line + "\r\n") != std::string::npos;
}

Expected<HttpReply> answer(long status, std::string body,
                           std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.retry_after = retry_after;
  return reply;
}

std::string jwt(const json& claims) {
  return to_base64url(R"({"alg":"RS256","typ":"JWT"})") + "." + to_base64url(claims.dump()) +
         ".c2lnbmF0dXJl";
}

// ---- OAuth ----

TEST_CASE("the PKCE challenge is RFC 7636's S256 of the verifier") {
  // RFC 7636 appendix B: the 32 octets, their verifier, its challenge.
  const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                  125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                  191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
  CHECK(to_base64url(std::string(reinterpret_cast<const char*>(octets), sizeof octets)) ==
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  CHECK(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const Pkce pkce = new_pkce();
  CHECK(pkce.verifier.size() == 43);
  CHECK(pkce.verifier.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  CHECK(pkce.challenge == pkce_challenge(pkce.verifier));
  CHECK(pkce.challenge.size() == 43);
  CHECK(new_pkce().verifier != pkce.verifier);
}

TEST_CASE("authorization URLs carry exactly the documented parameters") {
  OAuthApp google{"client-1.apps.googleusercontent.com", "secret-1", std::string(kGoogleAuthUrl),
                  std::string(kGoogleTokenUrl)};
  const std::string url =
      authorization_url(OAuthProvider::kGoogle, google, "https://book.example/oauth/google?x=1",
                        "state 1/2", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  CHECK(url.rfind("https://accounts.google.com/o/oauth2/v2/auth?", 0) == 0);
  CHECK(url.find("secret-1") == std::string::npos);
  CHECK(query_of(url) == std::map<std::string, std::string>{
                             {"response_type", "code"},
                             {"client_id", "client-1.apps.googleusercontent.com"},
                             {"redirect_uri", "https://book.example/oauth/google?x=1"},
                             {"scope", std::string(kGoogleScopes)},
                             {"state", "state 1/2"},
                             {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
                             {"code_challenge_method", "S256"},
                             {"access_type", "offline"},
                             {"prompt", "consent"},
                             {"include_granted_scopes", "true"},
                         });
  CHECK(kGoogleScopes ==
        "openid email https://www.googleapis.com/auth/calendar.freebusy "
        "https://www.googleapis.com/auth/calendar.events");

  OAuthApp microsoft{"00000000-aaaa", "secret-2", std::string(kMicrosoftAuthUrl),
                     std::string(kMicrosoftTokenUrl)};
  const std::string ms = authorization_url(OAuthProvider::kMicrosoft, microsoft,
                                           "https://book.example/oauth/microsoft", "s2", "c2");
  CHECK(ms.rfind("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?", 0) == 0);
  CHECK(query_of(ms) == std::map<std::string, std::string>{
                            {"client_id", "00000000-aaaa"},
                            {"response_type", "code"},
                            {"redirect_uri", "https://book.example/oauth/microsoft"},
                            {"response_mode", "query"},
                            {"scope", "offline_access openid email User.Read Calendars.ReadWrite"},
                            {"state", "s2"},
                            {"code_challenge", "c2"},
                            {"code_challenge_method", "S256"},
                        });

  microsoft.auth_url = "http://127.0.0.1:9/authorize?tenant=x";  // a fake with its own query
  const std::string fake = authorization_url(OAuthProvider::kMicrosoft, microsoft, "r", "s", "c");
  CHECK(fake.rfind("http://127.0.0.1:9/authorize?tenant=x&client_id=", 0) == 0);
}

TEST_CASE("email_from_id_token reads the email claim of the payload") {
  CHECK(email_from_id_token(jwt({{"iss", "https://accounts.google.com"},
                                 {"email", "dr.smith@example.com"},
                                 {"email_verified", true}})) == "dr.smith@example.com");
  CHECK(email_from_id_token(jwt({{"email", "ms@example.com"}})) == "ms@example.com");
  CHECK(email_from_id_token(jwt({{"email", "x@example.com"}, {"email_verified", false}})) == "");
  CHECK(email_from_id_token(jwt({{"sub", "123"}})) == "");
  CHECK(email_from_id_token(jwt({{"email", 42}})) == "");
  CHECK(email_from_id_token("") == "");
  CHECK(email_from_id_token("only.two") == "");
  CHECK(email_from_id_token("a.b.c.d") == "");
  CHECK(email_from_id_token("a.!!!.c") == "");
  CHECK(email_from_id_token("a." + to_base64url("not json") + ".c") == "");
  CHECK(email_from_id_token("a." + to_base64url("[1,2]") + ".c") == "");
}

TEST_CASE("token answers become grants") {
  auto google = parse_token_grant("Google", R"({"access_token":"ya29.a","expires_in":3599,
      "refresh_token":"1//r","scope":"openid email","token_type":"Bearer","id_token":"h.p.s"})");
  REQUIRE(google.ok());
  CHECK(google->access_token == "ya29.a");
  CHECK(google->refresh_token == "1//r");
  CHECK(google->scope == "openid email");
  CHECK(google->id_token == "h.p.s");
  CHECK(google->expires_in == std::chrono::seconds(3599));

  auto text_expiry =
      parse_token_grant("Microsoft", R"({"access_token":"eyJ","expires_in":"4000"})");
  REQUIRE(text_expiry.ok());
  CHECK(text_expiry->expires_in == std::chrono::seconds(4000));
  CHECK(text_expiry->refresh_token.empty());

  auto no_expiry = parse_token_grant("Zoom", R"({"access_token":"z"})");
  REQUIRE(no_expiry.ok());
  CHECK(no_expiry->expires_in == std::chrono::seconds(3600));

  auto missing = parse_token_grant("Google", R"({"token_type":"Bearer"})");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == Kind::kRetry);
  CHECK(missing.error().detail.find("access_token") != std::string::npos);
  CHECK_FALSE(parse_token_grant("Google", "<html>").ok());
}

// ---- The failure mapping ----

TEST_CASE("failure_of maps answers to retry, unauthorized and rejected") {
  CHECK_FALSE(failure_of("P", answer(200, "{}")).has_value());
  CHECK_FALSE(failure_of("P", answer(204, "")).has_value());

  const Expected<HttpReply> nothing =
      Failure{FailureKind::kUnavailable, "http_transport", "No HTTP answer from x: timeout"};
  auto transport = failure_of("P", nothing);
  REQUIRE(transport);
  CHECK(transport->kind == Kind::kRetry);
  CHECK(transport->status == 0);
  CHECK(transport->detail == "No HTTP answer from x: timeout");

  struct Case {
    long status;
    std::string body;
    Kind kind;
    std::string code;
  };
  const std::vector<Case> cases = {
      {401,
       R"({"error":{"code":401,"message":"Invalid Credentials","errors":[{"reason":"authError"}]}})",
       Kind::kUnauthorized, "authError"},
      {400, R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})",
       Kind::kUnauthorized, "invalid_grant"},
      {401, R"({"error":"invalid_client","error_description":"The OAuth client was not found."})",
       Kind::kRetry, "invalid_client"},
      {400, R"({"reason":"Invalid client_id or client_secret","error":"invalid_client"})",
       Kind::kRetry, "invalid_client"},
      {403,
       R"({"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded"}]}})",
       Kind::kRetry, "rateLimitExceeded"},
      {403, R"({"error":{"code":403,"message":"Forbidden","errors":[{"reason":"forbidden"}]}})",
       Kind::kRejected, "forbidden"},
      {409, R"({"error":{"code":409,"message":"The requested identifier already exists."}})",
       Kind::kRejected, ""},
      {404,
       R"({"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}})",
       Kind::kRejected, "ErrorItemNotFound"},
      {400, R"({"code":124,"message":"Invalid access token."})", Kind::kUnauthorized, "124"},
      {404, R"({"code":3001,"message":"Meeting does not exist: 123."})", Kind::kRejected, "3001"},
      {408, "", Kind::kRetry, ""},
      {500, "<html>oops</html>", Kind::kRetry, ""},
      {503, "", Kind::kRetry, ""},
      {302, "", Kind::kRetry, ""},
  };
  for (const Case& c : cases) {
    INFO(c.status << " " << c.body);
    auto failure = failure_of("Provider", answer(c.status, c.body));
    REQUIRE(failure);
    CHECK(failure->kind == c.kind);
    CHECK(failure->status == c.status);
    CHECK(failure->code == c.code);
    CHECK(failure->detail.rfind("Provider answered HTTP " + std::to_string(c.status), 0) == 0);
  }

  auto throttled = failure_of("Graph", answer(429, "", std::chrono::seconds(30)));
  REQUIRE(throttled);
  CHECK(throttled->kind == Kind::kRetry);
  REQUIRE(throttled->retry_after.has_value());
  CHECK(*throttled->retry_after == std::chrono::seconds(30));

  auto google = failure_of("Google Calendar", answer(400, R"({"error":{"code":400,
      "message":"The specified time range is empty."}})"));
  REQUIRE(google);
  CHECK(google->detail == "Google Calendar answered HTTP 400: The specified time range is empty.");
  auto graph = failure_of("Microsoft Graph", answer(404, R"({"error":{"code":"ErrorItemNotFound",
      "message":"Not found."}})"));
  REQUIRE(graph);
  CHECK(graph->detail == "Microsoft Graph answered HTTP 404: ErrorItemNotFound: Not found.");
  auto oauth = failure_of("Token endpoint", answer(400, R"({"error":"invalid_grant",
      "error_description":"Bad Request"})"));
  REQUIRE(oauth);
  CHECK(oauth->detail == "Token endpoint answered HTTP 400: invalid_grant: Bad Request");
  auto zoom = failure_of("Zoom", answer(401, R"({"code":124,"message":"Invalid access token."})"));
  REQUIRE(zoom);
  CHECK(zoom->detail == "Zoom answered HTTP 401: error 124: Invalid access token.");
}

TEST_CASE("failure details never repeat a secret and stay short") {
  auto echoed = failure_of(
      "Token endpoint",
      answer(400, R"({"error":"invalid_request","error_description":"bad code 4/0Ab-secret"})"),
      {"4/0Ab-secret", "unused"});
  REQUIRE(echoed);
  CHECK(echoed->detail.find("4/0Ab-secret") == std::string::npos);
  CHECK(echoed->detail.find("[redacted]") != std::string::npos);

  const std::string long_message(2000, 'x');
  auto long_one = failure_of("P", answer(400, json{{"message", long_message}}.dump()));
  REQUIRE(long_one);
  CHECK(long_one->detail.size() <= 303);
}

TEST_CASE("busy spans read RFC 3339 with offsets and fractions, widened to whole seconds") {
  auto span = busy_span_from_rfc3339("2027-01-12T09:00:00-05:00", "2027-01-12T15:30:00Z");
  REQUIRE(span);
  CHECK(span->start == utc("2027-01-12T14:00:00Z"));
  CHECK(span->end == utc("2027-01-12T15:30:00Z"));
  auto fractions = busy_span_from_rfc3339("2027-01-12T14:00:00.750Z", "2027-01-12T15:00:00.250Z");
  REQUIRE(fractions);
  CHECK(fractions->start == utc("2027-01-12T14:00:00Z"));
  CHECK(fractions->end == utc("2027-01-12T15:00:01Z"));
  CHECK_FALSE(busy_span_from_rfc3339("2027-01-12T15:00:00Z", "2027-01-12T14:00:00Z"));
  CHECK_FALSE(busy_span_from_rfc3339("2027-01-12 14:00", "2027-01-12T15:00:00Z"));
  CHECK(rfc3339_utc(utc("2027-01-12T09:00:00-05:00")) == "2027-01-12T14:00:00Z");
}

// ---- Google Calendar ----

TEST_CASE("google_event_id is a valid, deterministic, distinct client event id") {
  const std::string id = gcal::google_event_id("b_0123456789abcdef01234567");
  CHECK(gcal::is_valid_event_id(id));
  CHECK(id == gcal::google_event_id("b_0123456789abcdef01234567"));
  CHECK(id.rfind("slotbook", 0) == 0);
  std::set<std::string> ids;
  for (const char* booking :
       {"b_1", "b_2", "b_10", "B_1", "b-1", "", "x", "b_0123456789abcdef01234567"}) {
    const std::string made = gcal::google_event_id(booking);
    INFO(booking << " -> " << made);
    CHECK(gcal::is_valid_event_id(made));
    ids.insert(made);
  }
  CHECK(ids.size() == 8);
  for (std::size_t length : {508, 509, 5000}) {
    const std::string made = gcal::google_event_id(std::string(length, 'b'));
    INFO(length);
    CHECK(gcal::is_valid_event_id(made));
    CHECK(made.size() <= 1024);
  }
  CHECK(gcal::google_event_id(std::string(509, 'b')) !=
        gcal::google_event_id(std::string(510, 'b')));
  CHECK_FALSE(gcal::is_valid_event_id("abcd"));
  CHECK_FALSE(gcal::is_valid_event_id("slotbook-1"));
  CHECK_FALSE(gcal::is_valid_event_id("slotbookw1"));
  CHECK_FALSE(gcal::is_valid_event_id("SLOTBOOK1"));
  CHECK_FALSE(gcal::is_valid_event_id(std::string(1025, 'a')));
  CHECK(gcal::is_valid_event_id(std::string(1024, 'v')));
}

TEST_CASE("Google freeBusy answers become busy spans") {
  const char* body = R"({
    "kind": "calendar#freeBusy",
    "timeMin": "2027-01-12T00:00:00.000Z", "timeMax": "2027-01-13T00:00:00.000Z",
    "calendars": {
      "dr.smith@example.com": {"busy": [
        {"start": "2027-01-12T09:00:00-05:00", "end": "2027-01-12T10:00:00-05:00"},
        {"start": "2027-01-12T16:00:00.000Z", "end": "2027-01-12T16:30:00.000Z"}]},
      "broken@example.com": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
    }})";
  auto spans = gcal::parse_free_busy(body, "dr.smith@example.com");
  REQUIRE(spans.ok());
  REQUIRE(spans->size() == 2);
  CHECK((*spans)[0] == BusySpan{utc("2027-01-12T14:00:00Z"), utc("2027-01-12T15:00:00Z")});
  CHECK((*spans)[1] == BusySpan{utc("2027-01-12T16:00:00Z"), utc("2027-01-12T16:30:00Z")});

  auto broken = gcal::parse_free_busy(body, "broken@example.com");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().kind == Kind::kRetry);
  CHECK(broken.error().detail.find("notFound") != std::string::npos);

  auto absent = gcal::parse_free_busy(body, "other@example.com");
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().kind == Kind::kRetry);

  auto none = gcal::parse_free_busy(R"({"calendars":{"primary":{"busy":[]}}})", "primary");
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK_FALSE(
      gcal::parse_free_busy(R"({"calendars":{"primary":{"busy":[{"start":"x"}]}}})", "primary")
          .ok());
}

TEST_CASE("Google events pages become calendar events") {
  const char* body = R"({
    "kind": "calendar#events", "summary": "dr.smith@example.com",
    "nextPageToken": "page-2",
    "items": [
      {"id": "slotbook623162", "status": "confirmed", "summary": "Checkup",
       "description": "Booked online", "location": "Room 2",
       "hangoutLink": "https://meet.google.com/abc-defg-hij",
       "start": {"dateTime": "2027-01-12T09:00:00-05:00", "timeZone": "America/New_York"},
       "end": {"dateTime": "2027-01-12T09:30:00-05:00", "timeZone": "America/New_York"},
       "extendedProperties": {"private": {"slotbook_booking_id": "b_1"}}},
      {"id": "allday1", "status": "confirmed", "summary": "Conference",
       "transparency": "transparent",
       "start": {"date": "2027-01-13"}, "end": {"date": "2027-01-15"}},
      {"id": "gone1", "status": "cancelled"},
      {"id": "tentative1", "status": "tentative",
       "start": {"dateTime": "2027-01-12T18:00:00Z"}, "end": {"dateTime": "2027-01-12T19:00:00Z"}}
    ]})";
  auto page = gcal::parse_events_page(body);
  REQUIRE(page.ok());
  CHECK(page->next_page_token == "page-2");
  REQUIRE(page->events.size() == 3);
  const CalendarEvent& timed = page->events[0];
  CHECK(timed.id == "slotbook623162");
  CHECK(timed.summary == "Checkup");
  CHECK(timed.description == "Booked online");
  CHECK(timed.location == "Room 2");
  CHECK(timed.hangout_link == "https://meet.google.com/abc-defg-hij");
  CHECK(timed.status == "confirmed");
  CHECK(timed.start == utc("2027-01-12T14:00:00Z"));
  CHECK(timed.end == utc("2027-01-12T14:30:00Z"));
  CHECK_FALSE(timed.all_day);
  CHECK(timed.busy);
  CHECK(timed.slotbook_booking_id == "b_1");
  const CalendarEvent& all_day = page->events[1];
  CHECK(all_day.all_day);
  CHECK(all_day.start == utc("2027-01-13T00:00:00Z"));
  CHECK(all_day.end == utc("2027-01-15T00:00:00Z"));
  CHECK_FALSE(all_day.busy);  // transparent
  CHECK(all_day.slotbook_booking_id.empty());
  CHECK(page->events[2].busy);  // tentative still occupies the time

  auto last = gcal::parse_events_page(R"({"items": []})");
  REQUIRE(last.ok());
  CHECK(last->next_page_token.empty());
  CHECK_FALSE(gcal::parse_events_page(R"({"items": [{"id": "x", "status": "confirmed"}]})").ok());

  auto inserted = gcal::parse_event(R"({"id":"e1","status":"cancelled",
      "start":{"dateTime":"2027-01-12T14:00:00Z"},"end":{"dateTime":"2027-01-12T15:00:00Z"}})");
  REQUIRE(inserted.ok());
  CHECK_FALSE(inserted->busy);
}

TEST_CASE("Google event bodies carry the draft") {
  EventDraft draft;
  draft.id = gcal::google_event_id("b_1");
  draft.summary = "Checkup with Dr. Smith";
  draft.description = "Manage: https://book.example/m?t=x";
  draft.location = "Room 2";
  draft.time_zone = "America/New_York";
  draft.slotbook_booking_id = "b_1";
  draft.start = utc("2027-01-12T14:00:00Z");
  draft.end = utc("2027-01-12T14:30:00Z");

  const json plain = json::parse(gcal::event_body(draft, /*with_id=*/true));
  CHECK(plain ==
        json{
            {"id", draft.id},
            {"summary", "Checkup with Dr. Smith"},
            {"description", "Manage: https://book.example/m?t=x"},
            {"location", "Room 2"},
            {"start", {{"dateTime", "2027-01-12T14:00:00Z"}, {"timeZone", "America/New_York"}}},
            {"end", {{"dateTime", "2027-01-12T14:30:00Z"}, {"timeZone", "America/New_York"}}},
            {"extendedProperties", {{"private", {{"slotbook_booking_id", "b_1"}}}}},
        });
  draft.add_online_meeting = true;
  const json patch = json::parse(gcal::event_body(draft, /*with_id=*/false));
  CHECK(patch.count("id") == 0);
  CHECK(patch["conferenceData"] ==
        json{{"createRequest",
              {{"requestId", "b_1"}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}});
  draft.conference_request_id = "meet-b_1-2";
  CHECK(json::parse(gcal::event_body(
            draft, true))["conferenceData"]["createRequest"]["requestId"] == "meet-b_1-2");
  draft.summary = "bad \xff byte";
  CHECK(json::parse(gcal::event_body(draft, true))["summary"] == "bad \xef\xbf\xbd byte");
}

// ---- Microsoft Graph ----

TEST_CASE("Graph calendarView pages become calendar events") {
  const char* body = R"({
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('x')/calendarView",
    "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/calendarView?startDateTime=a&$skip=100",
    "value": [
      {"id": "AAMk1", "subject": "Checkup", "bodyPreview": "Booked online",
       "start": {"dateTime": "2027-01-12T14:00:00.0000000", "timeZone": "UTC"},
       "end": {"dateTime": "2027-01-12T14:30:00.0000000", "timeZone": "UTC"},
       "location": {"displayName": "Room 2"}, "showAs": "busy", "isCancelled": false,
       "isAllDay": false, "onlineMeeting": {"joinUrl": "https://teams.microsoft.com/l/meetup-join/1"},
       "transactionId": "slotbook-b_1"},
      {"id": "AAMk2", "subject": "Lunch", "showAs": "free", "isCancelled": false,
       "start": {"dateTime": "2027-01-12T17:00:00.0000000", "timeZone": "UTC"},
       "end": {"dateTime": "2027-01-12T18:00:00.0000000", "timeZone": "UTC"},
       "location": {}, "onlineMeeting": null, "transactionId": "other-app-1"},
      {"id": "AAMk3", "subject": "Off", "showAs": "oof", "isCancelled": true, "isAllDay": true,
       "start": {"dateTime": "2027-01-13T00:00:00.0000000", "timeZone": "UTC"},
       "end": {"dateTime": "2027-01-14T00:00:00.0000000", "timeZone": "UTC"}},
      {"id": "AAMk4", "showAs": "workingElsewhere",
       "start": {"dateTime": "2027-01-12T19:00:00.0000000", "timeZone": "UTC"},
       "end": {"dateTime": "2027-01-12T20:00:00.0000001", "timeZone": "UTC"}},
      {"id": "AAMk5", "showAs": "tentative",
       "start": {"dateTime": "2027-01-12T21:00:00Z", "timeZone": "UTC"},
       "end": {"dateTime": "2027-01-12T22:00:00Z", "timeZone": "UTC"}}
    ]})";
  auto page = msgraph::parse_events_page(body);
  REQUIRE(page.ok());
  CHECK(page->next_link ==
        "https://graph.microsoft.com/v1.0/me/calendarView?startDateTime=a&$skip=100");
  REQUIRE(page->events.size() == 5);
  const CalendarEvent& first = page->events[0];
  CHECK(first.id == "AAMk1");
  CHECK(first.summary == "Checkup");
  CHECK(first.description == "Booked online");
  CHECK(first.location == "Room 2");
  CHECK(first.hangout_link == "https://teams.microsoft.com/l/meetup-join/1");
  CHECK(first.start == utc("2027-01-12T14:00:00Z"));
  CHECK(first.end == utc("2027-01-12T14:30:00Z"));
  CHECK(first.busy);
  CHECK(first.status == "confirmed");
  CHECK(first.slotbook_booking_id == "b_1");
  CHECK_FALSE(page->events[1].busy);  // free
  CHECK(page->events[1].slotbook_booking_id.empty());
  CHECK(page->events[1].hangout_link.empty());
  CHECK_FALSE(page->events[2].busy);  // cancelled
  CHECK(page->events[2].status == "cancelled");
  CHECK(page->events[2].all_day);
  CHECK_FALSE(page->events[3].busy);  // workingElsewhere
  CHECK(page->events[3].end == utc("2027-01-12T20:00:01Z"));
  CHECK(page->events[4].busy);
  CHECK(page->events[4].status == "tentative");

  auto other_zone = msgraph::parse_events_page(R"({"value": [{"id": "x",
      "start": {"dateTime": "2027-01-12T09:00:00.0000000", "timeZone": "Eastern Standard Time"},
      "end": {"dateTime": "2027-01-12T10:00:00.0000000", "timeZone": "Eastern Standard Time"}}]})");
  REQUIRE_FALSE(other_zone.ok());
  CHECK(other_zone.error().kind == Kind::kRetry);
  CHECK_FALSE(msgraph::parse_events_page(R"({"error": "x"})").ok());
}

TEST_CASE("Graph /me gives mail, else userPrincipalName") {
  auto mail = msgraph::parse_account_email(
      R"({"mail": "dr.smith@clinic.example", "userPrincipalName": "dsmith@clinic.onmicrosoft.com"})");
  REQUIRE(mail.ok());
  CHECK(*mail == "dr.smith@clinic.example");
  auto upn =
      msgraph::parse_account_email(R"({"mail": null, "userPrincipalName": "someone@outlook.com"})");
  REQUIRE(upn.ok());
  CHECK(*upn == "someone@outlook.com");
  CHECK_FALSE(msgraph::parse_account_email(R"({"id": "1"})").ok());
}

TEST_CASE("Graph event bodies carry the draft in UTC") {
  EventDraft draft;
  draft.summary = "Checkup";
  draft.description = "Booked online";
  draft.location = "Room 2";
  draft.slotbook_booking_id = "b_1";
  draft.start = utc("2027-01-12T14:00:00Z");
  draft.end = utc("2027-01-12T14:30:00Z");
  const json created = json::parse(msgraph::event_body(draft, /*with_transaction_id=*/true));
  CHECK(created == json{
                       {"subject", "Checkup"},
                       {"body", {{"contentType", "text"}, {"content", "Booked online"}}},
                       {"start", {{"dateTime", "2027-01-12T14:00:00"}, {"timeZone", "UTC"}}},
                       {"end", {{"dateTime", "2027-01-12T14:30:00"}, {"timeZone", "UTC"}}},
                       {"location", {{"displayName", "Room 2"}}},
                       {"transactionId", "slotbook-b_1"},
                   });
  draft.add_online_meeting = true;
  const json updated = json::parse(msgraph::event_body(draft, /*with_transaction_id=*/false));
  CHECK(updated.count("transactionId") == 0);
  CHECK(updated["isOnlineMeeting"] == true);
  CHECK(updated["onlineMeetingProvider"] == "teamsForBusiness");
}

// ---- Zoom ----

TEST_CASE("Zoom meetings parse with 64-bit ids") {
  auto meeting = zoom::parse_meeting(R"({"uuid":"u==","id":85746065432,"host_id":"h",
      "topic":"Checkup","type":2,"start_time":"2027-01-12T14:00:00Z","duration":30,
      "join_url":"https://us05web.zoom.us/j/85746065432?pwd=abc","password":"123456",
      "start_url":"https://us05web.zoom.us/s/85746065432?zak=secret"})");
  REQUIRE(meeting.ok());
  CHECK(meeting->id == "85746065432");
  CHECK(meeting->join_url == "https://us05web.zoom.us/j/85746065432?pwd=abc");
  CHECK(meeting->password == "123456");
  CHECK(meeting->start_url == "https://us05web.zoom.us/s/85746065432?zak=secret");
  auto big = zoom::parse_meeting(R"({"id":9007199254740993,"join_url":"https://zoom.us/j/1"})");
  REQUIRE(big.ok());
  CHECK(big->id == "9007199254740993");
  auto text = zoom::parse_meeting(R"({"id":"123","join_url":"https://zoom.us/j/123"})");
  REQUIRE(text.ok());
  CHECK(text->id == "123");
  auto missing = zoom::parse_meeting(R"({"id":1})");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == Kind::kRetry);
}

TEST_CASE("Zoom meeting bodies") {
  const json body =
      json::parse(zoom::meeting_body("Checkup", "With Dr. Smith", utc("2027-01-12T14:00:00Z"),
                                     std::chrono::minutes(30), "America/Chicago"));
  CHECK(body == json{
                    {"topic", "Checkup"},
                    {"type", 2},
                    {"start_time", "2027-01-12T14:00:00Z"},
                    {"duration", 30},
                    {"timezone", "America/Chicago"},
                    {"agenda", "With Dr. Smith"},
                    {"settings", {{"join_before_host", false}, {"waiting_room", true}}},
                });
  CHECK(json::parse(zoom::meeting_body("T", "", utc("2027-01-12T14:00:00Z"),
                                       std::chrono::minutes(15), "UTC"))
            .count("agenda") == 0);
}

// ---- Against canned servers on 127.0.0.1 (http_test_server.h) ----

TEST_CASE("exchange_code posts the documented form and maps invalid_grant") {
  init_curl_once();
  CannedHttpServer token(std::vector<std::string>{
      http_reply(200, "OK",
                 R"({"access_token":"at-1","refresh_token":"rt-1","expires_in":3599,
                     "scope":"openid","token_type":"Bearer","id_token":"h.p.s"})"),
      http_reply(400, "Bad Request",
                 R"({"error":"invalid_grant","error_description":"Malformed auth code."})"),
  });
  const OAuthApp app{"cid", "csecret", "http://127.0.0.1:9/auth", token.url("/token")};
  auto grant = exchange_code(OAuthProvider::kGoogle, app, "4/code", "https://book.example/cb",
                             "verifier-1", kTimeout);
  REQUIRE(grant.ok());
  CHECK(grant->access_token == "at-1");
  CHECK(grant->refresh_token == "rt-1");
  auto refused = exchange_code(OAuthProvider::kMicrosoft, app, "4/code", "https://book.example/cb",
                               "verifier-1", kTimeout);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == Kind::kUnauthorized);
  CHECK(refused.error().code == "invalid_grant");
  CHECK(refused.error().detail.find("csecret") == std::string::npos);

  const auto& sent = token.requests();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].rfind("POST /token HTTP/1.1\r\n", 0) == 0);
  CHECK(has_header(sent[0], "Content-Type: application/x-www-form-urlencoded"));
  CHECK(form_fields(body_of(sent[0])) == std::map<std::string, std::string>{
                                             {"grant_type", "authorization_code"},
                                             {"code", "4/code"},
                                             {"redirect_uri", "https://book.example/cb"},
                                             {"client_id", "cid"},
                                             {"client_secret", "csecret"},
                                             {"code_verifier", "verifier-1"},
                                         });
  CHECK(form_fields(body_of(sent[1]))["scope"] == kMicrosoftScopes);
}

TEST_CASE("refresh_access keeps the refresh token the answer does not replace") {
  init_curl_once();
  CannedHttpServer token(std::vector<std::string>{
      http_reply(200, "OK", R"({"access_token":"at-2","expires_in":3600})"),
      http_reply(200, "OK", R"({"access_token":"at-3","refresh_token":"rt-new"})"),
  });
  const OAuthApp app{"cid", "csecret", "", token.url("/token")};
  auto kept = refresh_access(OAuthProvider::kGoogle, app, "rt-old", kTimeout);
  REQUIRE(kept.ok());
  CHECK(kept->access_token == "at-2");
  CHECK(kept->refresh_token == "rt-old");
  auto rotated = refresh_access(OAuthProvider::kMicrosoft, app, "rt-old", kTimeout);
  REQUIRE(rotated.ok());
  CHECK(rotated->refresh_token == "rt-new");
  const auto& sent = token.requests();
  REQUIRE(sent.size() == 2);
  CHECK(form_fields(body_of(sent[0])) == std::map<std::string, std::string>{
                                             {"grant_type", "refresh_token"},
                                             {"refresh_token", "rt-old"},
                                             {"client_id", "cid"},
                                             {"client_secret", "csecret"},
                                         });
  CHECK(form_fields(body_of(sent[1]))["scope"] == kMicrosoftScopes);
}

TEST_CASE("zoom_account_token uses HTTP Basic and account_credentials") {
  init_curl_once();
  CannedHttpServer token(http_reply(200, "OK", R"({"access_token":"zt","expires_in":3599})"));
  auto grant = zoom_account_token(token.url("/oauth/token"), "acct-1", "zid", "zsecret", kTimeout);
  REQUIRE(grant.ok());
  CHECK(grant->access_token == "zt");
  CHECK(grant->expires_in == std::chrono::seconds(3599));
  const std::string& sent = token.request();
  CHECK(sent.rfind("POST /oauth/token HTTP/1.1\r\n", 0) == 0);
  CHECK(has_header(sent, "Authorization: Basic " + to_base64("zid:zsecret")));
  CHECK(form_fields(body_of(sent)) == std::map<std::string, std::string>{
                                          {"grant_type", "account_credentials"},
                                          {"account_id", "acct-1"},
                                      });
}

TEST_CASE("Google list_events follows nextPageToken with the documented query") {
  init_curl_once();
  CannedHttpServer google(std::vector<std::string>{
      http_reply(200, "OK", R"({"nextPageToken":"p2","items":[{"id":"a","status":"confirmed",
          "start":{"dateTime":"2027-01-12T14:00:00Z"},"end":{"dateTime":"2027-01-12T15:00:00Z"}}]})"),
      http_reply(200, "OK", R"({"items":[{"id":"b","status":"confirmed",
          "start":{"dateTime":"2027-01-12T16:00:00Z"},"end":{"dateTime":"2027-01-12T17:00:00Z"}}]})"),
  });
  auto events =
      gcal::list_events(google.url("/"), "token-1", "dr.smith@example.com",
                        utc("2027-01-12T00:00:00Z"), utc("2027-01-13T00:00:00Z"), kTimeout);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 2);
  CHECK((*events)[1].id == "b");
  const auto& sent = google.requests();
  REQUIRE(sent.size() == 2);
  CHECK(method_of(sent[0]) == "GET");
  const std::string target = target_of(sent[0]);
  CHECK(target.rfind("/calendar/v3/calendars/dr.smith%40example.com/events?", 0) == 0);
  CHECK(query_of(target) == std::map<std::string, std::string>{
                                {"timeMin", "2027-01-12T00:00:00Z"},
                                {"timeMax", "2027-01-13T00:00:00Z"},
                                {"singleEvents", "true"},
                                {"orderBy", "startTime"},
                                {"maxResults", "250"},
                            });
  CHECK(has_header(sent[0], "Authorization: Bearer token-1"));
  CHECK(query_of(target_of(sent[1]))["pageToken"] == "p2");
}

TEST_CASE("Google freeBusy, insert conflicts and deletes of gone events") {
  init_curl_once();
  CannedHttpServer google(std::vector<std::string>{
      http_reply(200, "OK", R"({"calendars":{"primary":{"busy":[
          {"start":"2027-01-12T14:00:00Z","end":"2027-01-12T15:00:00Z"}]}}})"),
      http_reply(409, "Conflict",
                 R"({"error":{"code":409,"message":"The requested identifier already exists.",
                     "errors":[{"domain":"global","reason":"duplicate"}]}})"),
      http_reply(410, "Gone", R"({"error":{"code":410,"message":"Resource has been deleted"}})"),
      http_reply(401, "Unauthorized", R"({"error":{"code":401,"message":"Invalid Credentials"}})"),
  });
  auto busy = gcal::free_busy(google.url(), "t", "primary", utc("2027-01-12T00:00:00Z"),
                              utc("2027-01-13T00:00:00Z"), kTimeout);
  REQUIRE(busy.ok());
  CHECK(busy->size() == 1);
  EventDraft draft;
  draft.id = gcal::google_event_id("b_1");
  draft.slotbook_booking_id = "b_1";
  draft.start = utc("2027-01-12T14:00:00Z");
  draft.end = utc("2027-01-12T14:30:00Z");
  auto inserted = gcal::insert_event(google.url(), "t", "primary", draft, kTimeout);
  REQUIRE_FALSE(inserted.ok());
  CHECK(inserted.error().kind == Kind::kRejected);
  CHECK(inserted.error().status == 409);
  auto gone = gcal::delete_event(google.url(), "t", "primary", "e1", kTimeout);
  REQUIRE(gone.ok());
  CHECK_FALSE(*gone);
  auto expired = gcal::delete_event(google.url(), "t", "primary", "e1", kTimeout);
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().kind == Kind::kUnauthorized);

  const auto& sent = google.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].rfind("POST /calendar/v3/freeBusy HTTP/1.1\r\n", 0) == 0);
  CHECK(json::parse(body_of(sent[0])) == json{{"timeMin", "2027-01-12T00:00:00Z"},
                                              {"timeMax", "2027-01-13T00:00:00Z"},
                                              {"items", json::array({{{"id", "primary"}}})}});
  CHECK(sent[1].rfind("POST /calendar/v3/calendars/primary/events"
                      "?conferenceDataVersion=1&sendUpdates=none HTTP/1.1\r\n",
                      0) == 0);
  CHECK(json::parse(body_of(sent[1]))["id"] == draft.id);
  CHECK(sent[2].rfind("DELETE /calendar/v3/calendars/primary/events/e1?sendUpdates=none ", 0) == 0);
}

TEST_CASE("Graph calendarView asks for UTC and never follows a nextLink elsewhere") {
  init_curl_once();
  CannedHttpServer graph(std::vector<std::string>{
      http_reply(200, "OK",
                 R"({"value":[],"@odata.nextLink":"https://evil.example/v1.0/me/calendarView"})"),
  });
  auto events = msgraph::calendar_view(graph.url(), "t", utc("2027-01-12T00:00:00Z"),
                                       utc("2027-01-13T00:00:00Z"), kTimeout);
  REQUIRE_FALSE(events.ok());
  CHECK(events.error().kind == Kind::kRetry);
  const auto& sent = graph.requests();
  REQUIRE(sent.size() == 1);
  const std::string target = target_of(sent[0]);
  CHECK(target.rfind("/v1.0/me/calendarView?", 0) == 0);
  auto query = query_of(target);
  CHECK(query["startDateTime"] == "2027-01-12T00:00:00Z");
  CHECK(query["endDateTime"] == "2027-01-13T00:00:00Z");
  CHECK(query["$top"] == "100");
  CHECK(query["$select"].find("transactionId") != std::string::npos);
  CHECK(has_header(sent[0], "Prefer: outlook.timezone=\"UTC\""));
  CHECK(has_header(sent[0], "Authorization: Bearer t"));
}

TEST_CASE("Graph calendarView follows its own nextLink") {
  init_curl_once();
  CannedHttpServer graph([](const std::string& base) {
    return std::vector<std::string>{
        http_reply(200, "OK",
                   R"({"value":[{"id":"a","start":{"dateTime":"2027-01-12T14:00:00.0000000",
                       "timeZone":"UTC"},"end":{"dateTime":"2027-01-12T15:00:00.0000000",
                       "timeZone":"UTC"}}],"@odata.nextLink":")" +
                       base + R"(/v1.0/me/calendarView?$skiptoken=abc"})"),
        http_reply(200, "OK", R"({"value":[]})"),
    };
  });
  auto events = msgraph::calendar_view(graph.url("/"), "t", utc("2027-01-12T00:00:00Z"),
                                       utc("2027-01-13T00:00:00Z"), kTimeout);
  REQUIRE(events.ok());
  CHECK(events->size() == 1);
  const auto& sent = graph.requests();
  REQUIRE(sent.size() == 2);
  CHECK(target_of(sent[1]) == "/v1.0/me/calendarView?$skiptoken=abc");
  CHECK(has_header(sent[1], "Authorization: Bearer t"));
}

TEST_CASE("Graph create, update and delete") {
  init_curl_once();
  const std::string event = R"({"id":"AAMk1","subject":"Checkup",
      "start":{"dateTime":"2027-01-12T14:00:00.0000000","timeZone":"UTC"},
      "end":{"dateTime":"2027-01-12T14:30:00.0000000","timeZone":"UTC"},
      "transactionId":"slotbook-b_1"})";
  CannedHttpServer graph(std::vector<std::string>{
      http_reply(201, "Created", event),
      http_reply(200, "OK", event),
      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
      http_reply(404, "Not Found", R"({"error":{"code":"ErrorItemNotFound","message":"x"}})"),
  });
  EventDraft draft;
  draft.summary = "Checkup";
  draft.slotbook_booking_id = "b_1";
  draft.start = utc("2027-01-12T14:00:00Z");
  draft.end = utc("2027-01-12T14:30:00Z");
  auto created = msgraph::create_event(graph.url(), "t", draft, kTimeout);
  REQUIRE(created.ok());
  CHECK(created->id == "AAMk1");
  CHECK(created->slotbook_booking_id == "b_1");
  auto updated = msgraph::update_event(graph.url(), "t", "AAMk1", draft, kTimeout);
  REQUIRE(updated.ok());
  auto deleted = msgraph::delete_event(graph.url(), "t", "AAMk1", kTimeout);
  REQUIRE(deleted.ok());
  CHECK(*deleted);
  auto gone = msgraph::delete_event(graph.url(), "t", "AAMk1", kTimeout);
  REQUIRE(gone.ok());
  CHECK_FALSE(*gone);
  const auto& sent = graph.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].rfind("POST /v1.0/me/events HTTP/1.1\r\n", 0) == 0);
  CHECK(json::parse(body_of(sent[0]))["transactionId"] == "slotbook-b_1");
  CHECK(sent[1].rfind("PATCH /v1.0/me/events/AAMk1 HTTP/1.1\r\n", 0) == 0);
  CHECK(json::parse(body_of(sent[1])).count("transactionId") == 0);
  CHECK(sent[2].rfind("DELETE /v1.0/me/events/AAMk1 HTTP/1.1\r\n", 0) == 0);
}

TEST_CASE("Zoom create, update and delete") {
  init_curl_once();
  CannedHttpServer zoom_api(std::vector<std::string>{
      http_reply(201, "Created",
                 R"({"id":85746065432,"join_url":"https://zoom.us/j/85746065432","password":"1"})"),
      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
      http_reply(404, "Not Found", R"({"code":3001,"message":"Meeting does not exist: 1."})"),
      http_reply(401, "Unauthorized", R"({"code":124,"message":"Invalid access token."})"),
  });
  const std::string api = zoom_api.url("/v2");
  auto meeting = zoom::create_meeting(api, "zt", "dr.smith@example.com", "Checkup", "",
                                      utc("2027-01-12T14:00:00Z"), std::chrono::minutes(30),
                                      "America/Chicago", kTimeout);
  REQUIRE(meeting.ok());
  CHECK(meeting->id == "85746065432");
  auto updated =
      zoom::update_meeting(api, "zt", meeting->id, "Checkup", utc("2027-01-12T15:00:00Z"),
                           std::chrono::minutes(30), "America/Chicago", kTimeout);
  REQUIRE(updated.ok());
  CHECK(*updated);
  auto gone = zoom::delete_meeting(api, "zt", meeting->id, kTimeout);
  REQUIRE(gone.ok());
  CHECK_FALSE(*gone);
  auto expired = zoom::delete_meeting(api, "zt", meeting->id, kTimeout);
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().kind == Kind::kUnauthorized);
  const auto& sent = zoom_api.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].rfind("POST /v2/users/dr.smith%40example.com/meetings HTTP/1.1\r\n", 0) == 0);
  CHECK(json::parse(body_of(sent[0]))["type"] == 2);
  CHECK(sent[1].rfind("PATCH /v2/meetings/85746065432 HTTP/1.1\r\n", 0) == 0);
  CHECK(json::parse(body_of(sent[1]))["start_time"] == "2027-01-12T15:00:00Z");
  CHECK(sent[2].rfind("DELETE /v2/meetings/85746065432 HTTP/1.1\r\n", 0) == 0);
}

}  // namespace
}  // namespace slotbook::server::testing
