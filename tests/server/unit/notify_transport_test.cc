// The notification transports: phone numbers, webhook signatures and URLs without the
// network, then the HTTP, Twilio and SMTP clients against servers this file starts on
// 127.0.0.1 (a one-request HTTP server on a thread, aiosmtpd in a child process).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "http_test_server.h"
#include "notify/address_guard.h"
#include "notify/http_client.h"
#include "notify/phone_number.h"
#include "notify/smtp_client.h"
#include "notify/twilio_client.h"
#include "notify/webhook_signature.h"

namespace slotbook::server::testing {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

using Kind = SendOutcome::Kind;

// libcurl's global setup, once for the whole test binary, as main() does it for the server.
void init_curl_once() {
  static const bool done = [] {
    init_http_clients();
    return true;
  }();
  (void)done;
}

std::optional<std::string> normalized(std::string_view text, std::string_view country) {
  auto result = normalize_phone(text, country);
  if (!result.ok()) {
    CHECK(result.error().code == "invalid_phone");
    return std::nullopt;
  }
  return *result;
}

TEST_CASE("phone numbers are normalised to E.164 for their country") {
  for (const char* text : {"(415) 555-2671", "415-555-2671", "415.555.2671", "4155552671",
                           "1 (415) 555-2671", "+1 415 555 2671", "tel:+1-415-555-2671"}) {
    INFO(text);
    CHECK(normalized(text, "US") == "+14155552671");
  }
  CHECK(normalized("020 7946 0018", "GB") == "+442079460018");
  CHECK(normalized("+44 (0)20 7946 0018", "US") == "+442079460018");
  CHECK(normalized("+1 415 555 2671", "") == "+14155552671");
}

TEST_CASE("numbers that are not valid are refused with a reason") {
  CHECK_FALSE(normalized("+1 555 0100", "US"));  // parses, but is no valid US number
  CHECK_FALSE(normalized("hello", "US"));
  CHECK_FALSE(normalized("", "US"));
  CHECK_FALSE(normalized("\xff\xfe", "US"));
  CHECK_FALSE(normalized("4155552671", ""));  // no country to read it with
  CHECK_FALSE(normalized("415 555 2671 ext. 12", "US"));
  CHECK_FALSE(normalized("4155552671", "us"));
  CHECK_FALSE(normalized("4155552671", "XX"));
  auto refused = normalize_phone("+1 555 0100", "US");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == FailureKind::kInvalid);
  CHECK_FALSE(refused.error().message.empty());
}

TEST_CASE("phone regions are upper-case ISO 3166 codes libphonenumber knows") {
  CHECK(is_phone_region("US"));
  CHECK(is_phone_region("GB"));
  CHECK(is_phone_region("DE"));
  CHECK_FALSE(is_phone_region("XX"));
  CHECK_FALSE(is_phone_region("us"));
  CHECK_FALSE(is_phone_region("USA"));
  CHECK_FALSE(is_phone_region("001"));
  CHECK_FALSE(is_phone_region(""));
}

TEST_CASE("webhook signatures match the Standard Webhooks example") {
  auto key = webhook_secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  REQUIRE(key.ok());
  CHECK(key->size() == 24);
  CHECK(sign_webhook(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("new webhook secrets are whsec_ and 24 random bytes") {
  const std::string first = new_webhook_secret();
  const std::string second = new_webhook_secret();
  CHECK(first.rfind("whsec_", 0) == 0);
  CHECK(first.size() == 6 + 32);
  CHECK(first != second);
  auto key = webhook_secret_key(first);
  REQUIRE(key.ok());
  CHECK(key->size() == 24);
}

TEST_CASE("malformed webhook secrets are refused") {
  const std::string padded_25_bytes = std::string(32, 'A') + "AA==";
  CHECK(webhook_secret_key("whsec_" + padded_25_bytes).ok());
  for (const std::string& bad : {
           std::string("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),        // no prefix
           std::string("whsec_"),                                  // no key
           std::string("whsec_dGVzdA=="),                          // 4 bytes: too short
           std::string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!"),  // not base64
           std::string("whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"),  // a blank
           std::string("whsec_") + std::string(32, 'A') + "AB==",  // non-canonical padding
           std::string("whsec_") + std::string(92, 'A'),           // 69 bytes: too long
       }) {
    INFO(bad);
    auto key = webhook_secret_key(bad);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == "invalid_webhook_secret");
  }
}

bool public_address(const char* text) {
  sockaddr_storage storage{};
  if (inet_pton(AF_INET, text, &reinterpret_cast<sockaddr_in*>(&storage)->sin_addr) == 1) {
    storage.ss_family = AF_INET;
  } else if (inet_pton(AF_INET6, text, &reinterpret_cast<sockaddr_in6*>(&storage)->sin6_addr) ==
             1) {
    storage.ss_family = AF_INET6;
  } else {
    FAIL("not an address: " << text);
  }
  return is_public_address(reinterpret_cast<const sockaddr*>(&storage));
}

TEST_CASE("only public unicast addresses are public") {
  for (const char* address : {"8.8.8.8",
                              "1.1.1.1",
                              "93.184.216.34",
                              "100.63.255.255",
                              "100.128.0.0",
                              "172.15.255.255",
                              "172.32.0.0",
                              "192.0.1.1",
                              "192.169.0.1",
                              "198.17.255.255",
                              "198.20.0.0",
                              "223.255.255.255",
                              "2606:4700:4700::1111",
                              "2001:4860:4860::8888",
                              "2a00:1450::1",
                              "::ffff:8.8.8.8",
                              "64:ff9b::808:808",
                              "2002:808:808::1",
                              "2001:200::1",
                              "3fff:1000::1"}) {
    INFO(address);
    CHECK(public_address(address));
  }
  for (const char* address : {"0.0.0.0",
                              "0.1.2.3",
                              "10.0.0.1",
                              "10.255.255.255",
                              "100.64.0.1",
                              "100.127.255.255",
                              "127.0.0.1",
                              "127.255.255.254",
                              "169.254.169.254",
                              "172.16.0.1",
                              "172.31.255.255",
                              "192.0.0.8",
                              "192.0.2.1",
                              "192.88.99.1",
                              "192.168.1.1",
                              "198.18.0.1",
                              "198.19.255.255",
                              "198.51.100.7",
                              "203.0.113.9",
                              "224.0.0.1",
                              "239.255.255.250",
                              "240.0.0.1",
                              "255.255.255.255",
                              "::",
                              "::1",
                              "::ffff:127.0.0.1",
                              "::ffff:10.0.0.1",
                              "::ffff:169.254.169.254",
                              "::127.0.0.1",
                              "64:ff9b::a00:1",
                              "64:ff9b::7f00:1",
                              "64:ff9b:1::808:808",
                              "2002:7f00:1::1",
                              "2002:a00:1::1",
                              "fc00::1",
                              "fd12:3456::1",
                              "fe80::1",
                              "fec0::1",
                              "ff02::1",
                              "ff0e::1",
                              "100::1",
                              "2001::1",
                              "2001:10::1",
                              "2001:db8::1",
                              "3fff::1",
                              "3fff:fff::1",
                              "4000::1",
                              "1000::1"}) {
    INFO(address);
    CHECK_FALSE(public_address(address));
  }
  sockaddr unix_family{};
  unix_family.sa_family = AF_UNIX;
  CHECK_FALSE(is_public_address(&unix_family));
  CHECK_FALSE(is_public_address(nullptr));
}

bool webhook_ok(const char* url, bool allow_private) {
  const Status status = check_webhook_url(url, allow_private);
  if (!status.ok()) {
    CHECK(status.error().code == "invalid_webhook_url");
    CHECK_FALSE(status.error().message.empty());
  }
  return status.ok();
}

// IP literals only, so no test here needs DNS.
TEST_CASE("webhook URLs must be https to public addresses") {
  CHECK(webhook_ok("https://8.8.8.8/", false));
  CHECK(webhook_ok("https://8.8.8.8:8443/hooks/slotbook?clinic=1", false));
  CHECK(webhook_ok("HTTPS://8.8.8.8/", false));
  CHECK(webhook_ok("https://[2606:4700:4700::1111]/hook", false));
  CHECK_FALSE(webhook_ok("http://8.8.8.8/", false));
  CHECK_FALSE(webhook_ok("https://127.0.0.1/", false));
  CHECK_FALSE(webhook_ok("https://[::1]/", false));
  CHECK_FALSE(webhook_ok("https://[::ffff:127.0.0.1]/", false));
  CHECK_FALSE(webhook_ok("https://10.0.0.5/", false));
  CHECK_FALSE(webhook_ok("https://169.254.169.254/latest/meta-data/", false));
  CHECK_FALSE(webhook_ok("https://0x7f.1/", false));  // 127.0.0.1 spelled another way
  CHECK_FALSE(webhook_ok("https://user:secret@8.8.8.8/", false));
  CHECK_FALSE(webhook_ok("https://user@8.8.8.8/", false));
  CHECK_FALSE(webhook_ok("https://8.8.8.8/#part", false));
  CHECK_FALSE(webhook_ok("ftp://8.8.8.8/", false));
  CHECK_FALSE(webhook_ok("8.8.8.8/hook", false));
  CHECK_FALSE(webhook_ok("https:///hook", false));
  CHECK_FALSE(webhook_ok("", false));
  CHECK_FALSE(webhook_ok("https://[fe80::1%25eth0]/", true));
}

TEST_CASE("allow_private opens loopback and private networks, plain http to loopback only") {
  CHECK(webhook_ok("http://127.0.0.1:9/hook", true));
  CHECK_FALSE(webhook_ok("http://127.0.0.1:9/hook", false));
  CHECK(webhook_ok("http://[::1]:9/hook", true));
  CHECK(webhook_ok("https://127.0.0.1/", true));
  CHECK(webhook_ok("https://192.168.1.20/", true));
  CHECK(webhook_ok("https://8.8.8.8/", true));
  // Plain http stays on this machine, even with the flag: nothing in clear on a network.
  CHECK_FALSE(webhook_ok("http://8.8.8.8/", true));
  CHECK_FALSE(webhook_ok("http://192.168.1.20/", true));
  // Link-local (the cloud metadata service) and the other special ranges stay closed.
  CHECK_FALSE(webhook_ok("https://169.254.169.254/", true));
  CHECK_FALSE(webhook_ok("https://0.0.0.0/", true));
  CHECK_FALSE(webhook_ok("https://224.0.0.1/", true));
  CHECK_FALSE(webhook_ok("https://user:secret@127.0.0.1/", true));
}

TEST_CASE("form fields are percent-encoded") {
  CHECK(form_encode({}) == "");
  CHECK(form_encode({{"To", "+14155552671"}, {"Body", "Hi & bye = 100% ü"}}) ==
        "To=%2B14155552671&Body=Hi%20%26%20bye%20%3D%20100%25%20%C3%BC");
  CHECK(form_encode({{"a-b._~", ""}}) == "a-b._~=");
}

TEST_CASE("SMTP URLs name a host and nothing else") {
  for (const char* url :
       {"smtp://mail.example.com", "smtp://mail.example.com:587", "smtp://mail.example.com:587/",
        "smtps://mail.example.com:465", "SMTP://127.0.0.1:2525", "smtp://[::1]:25"}) {
    INFO(url);
    CHECK(check_smtp_url(url).ok());
  }
  for (const char* url : {"http://mail.example.com", "mail.example.com", "smtp://",
                          "smtp://user:pw@mail.example.com", "smtp://mail.example.com/helo.name",
                          "smtp://mail.example.com/?x=1", "smtp://mail.example.com/#x", ""}) {
    INFO(url);
    const Status status = check_smtp_url(url);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == "invalid_smtp_url");
  }
}

TEST_CASE("loopback SMTP hosts are recognised without DNS") {
  CHECK(is_loopback_url("smtp://localhost:25"));
  CHECK(is_loopback_url("smtp://LocalHost"));
  CHECK(is_loopback_url("smtp://127.0.0.1:2525"));
  CHECK(is_loopback_url("smtp://127.1.2.3"));
  CHECK(is_loopback_url("smtp://[::1]:2525"));
  CHECK_FALSE(is_loopback_url("smtp://mail.example.com"));
  CHECK_FALSE(is_loopback_url("smtp://10.0.0.1"));
  CHECK_FALSE(is_loopback_url("smtp://localhost.example.com"));
  CHECK_FALSE(is_loopback_url("not a url"));
}

// ---- Against servers on 127.0.0.1 (http_test_server.h) ----

TEST_CASE("http_send sends the request and returns status and body") {
  init_curl_once();
  CannedHttpServer server(http_reply(202, "Accepted", R"({"ok":true})"));
  HttpRequest request;
  request.url = server.url("/hooks/1?x=y");
  request.headers = {"webhook-id: msg_1"};
  request.content_type = "application/json";
  request.body = R"({"type":"booking.created"})";
  auto reply = http_send(request);
  REQUIRE(reply.ok());
  CHECK(reply->status == 202);
  CHECK(reply->body == R"({"ok":true})");
  const std::string& sent = server.request();
  CHECK(sent.rfind("POST /hooks/1?x=y HTTP/1.1\r\n", 0) == 0);
  CHECK(sent.find("\r\nwebhook-id: msg_1\r\n") != std::string::npos);
  CHECK(sent.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
  CHECK(sent.find("\r\nAuthorization:") == std::string::npos);
  CHECK(ends_with(sent, "\r\n\r\n" + request.body));
}

TEST_CASE("redirects are answers, not followed") {
  init_curl_once();
  CannedHttpServer server(
      "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/\r\nContent-Length: 0\r\n"
      "Connection: close\r\n\r\n");
  HttpRequest request;
  request.url = server.url();
  auto reply = http_send(request);
  REQUIRE(reply.ok());
  CHECK(reply->status == 302);
}

TEST_CASE("public_addresses_only refuses loopback at connect time") {
  init_curl_once();
  for (const char* url : {"http://127.0.0.1:9/hook", "http://localhost:9/hook"}) {
    INFO(url);
    HttpRequest request;
    request.url = url;
    request.public_addresses_only = true;
    auto reply = http_send(request);
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().code == "http_transport");
    CHECK(reply.error().message.find("not a public") != std::string::npos);
  }
}

TEST_CASE("http_send fails as transport when nobody answers in time") {
  init_curl_once();
  CannedHttpServer silent("");
  HttpRequest request;
  request.url = silent.url();
  request.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto reply = http_send(request);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().code == "http_transport");
  CHECK(reply.error().kind == FailureKind::kUnavailable);
  CHECK(took >= std::chrono::milliseconds(250));
  CHECK(took < std::chrono::seconds(3));

  request.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/";  // refused
  auto refused = http_send(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "http_transport");

  request.url = "ftp://127.0.0.1/";
  CHECK_FALSE(http_send(request).ok());
}

TEST_CASE("http_send sends GET without a body and DELETE and PATCH by name") {
  init_curl_once();
  {
    CannedHttpServer server(http_reply(200, "OK", "{}"));
    HttpRequest request;
    request.method = "GET";
    request.url = server.url("/calendars/primary");
    request.body = "ignored";
    REQUIRE(http_send(request).ok());
    const std::string& sent = server.request();
    CHECK(starts_with(sent, "GET /calendars/primary HTTP/1.1\r\n"));
    CHECK(ends_with(sent, "\r\n\r\n"));
    CHECK(sent.find("Content-Length") == std::string::npos);
  }
  {
    CannedHttpServer server("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    HttpRequest request;
    request.method = "DELETE";
    request.url = server.url("/events/e1");
    auto reply = http_send(request);
    REQUIRE(reply.ok());
    CHECK(reply->status == 204);
    const std::string& sent = server.request();
    CHECK(starts_with(sent, "DELETE /events/e1 HTTP/1.1\r\n"));
    CHECK(ends_with(sent, "\r\n\r\n"));
  }
  {
    CannedHttpServer server(http_reply(200, "OK", "{}"));
    HttpRequest request;
    request.method = "PATCH";
    request.url = server.url("/events/e1");
    request.content_type = "application/json";
    request.body = R"({"summary":"x"})";
    REQUIRE(http_send(request).ok());
    const std::string& sent = server.request();
    CHECK(starts_with(sent, "PATCH /events/e1 HTTP/1.1\r\n"));
    CHECK(ends_with(sent, "\r\n\r\n" + request.body));
  }
  HttpRequest unknown;
  unknown.method = "PUT";
  unknown.url = "http://127.0.0.1:9/";
  auto refused = http_send(unknown);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "http_method");
}

TEST_CASE("http_send reads Retry-After in seconds and ETag, and stops at max_body_bytes") {
  init_curl_once();
  {
    CannedHttpServer server(
        "HTTP/1.1 429 Too Many Requests\r\nretry-after:  120 \r\nETag: W/\"v1\"\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n");
    HttpRequest request;
    request.url = server.url();
    auto reply = http_send(request);
    REQUIRE(reply.ok());
    CHECK(reply->status == 429);
    REQUIRE(reply->retry_after.has_value());
    CHECK(*reply->retry_after == std::chrono::seconds(120));
    CHECK(reply->etag == "W/\"v1\"");
  }
  {
    CannedHttpServer server(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n");
    HttpRequest request;
    request.url = server.url();
    auto reply = http_send(request);
    REQUIRE(reply.ok());
    CHECK_FALSE(reply->retry_after.has_value());
    CHECK(reply->etag.empty());
  }
  {
    CannedHttpServer server(http_reply(200, "OK", std::string(1000, 'x')));
    HttpRequest request;
    request.url = server.url();
    request.max_body_bytes = 100;
    auto reply = http_send(request);
    REQUIRE(reply.ok());
    CHECK(reply->body == std::string(100, 'x'));
    CHECK(reply->truncated);
  }
}

SmsSettings sms_settings(const CannedHttpServer& server) {
  SmsSettings settings;
  settings.api_url = server.url("/");  // with a trailing slash, which must not double
  settings.account_sid = "AC0123456789abcdef";
  settings.auth_token = "token-1";
  settings.from = "+14155550100";
  settings.timeout = std::chrono::milliseconds(5000);
  return settings;
}

TEST_CASE("send_sms posts To, From and Body to the account's Messages resource") {
  init_curl_once();
  CannedHttpServer twilio(
      http_reply(201, "Created", R"({"sid":"SM0123","status":"queued","body":"x"})"));
  const SendOutcome outcome = send_sms(sms_settings(twilio), "+14155552671", "See you at 3 pm!");
  CHECK(outcome.kind == Kind::kSent);
  CHECK(outcome.receipt == "SM0123");
  const std::string& sent = twilio.request();
  CHECK(
      starts_with(sent, "POST /2010-04-01/Accounts/AC0123456789abcdef/Messages.json HTTP/1.1\r\n"));
  // base64("AC0123456789abcdef:token-1")
  CHECK(sent.find("\r\nAuthorization: Basic QUMwMTIzNDU2Nzg5YWJjZGVmOnRva2VuLTE=\r\n") !=
        std::string::npos);
  CHECK(sent.find("\r\nContent-Type: application/x-www-form-urlencoded\r\n") != std::string::npos);
  CHECK(ends_with(sent,
                  "\r\n\r\nTo=%2B14155552671&From=%2B14155550100&Body=See%20you%20at%203%20pm%21"));
}

TEST_CASE("the account SID is escaped as one path segment") {
  init_curl_once();
  CannedHttpServer twilio(http_reply(201, "Created", R"({"sid":"SM1"})"));
  SmsSettings settings = sms_settings(twilio);
  settings.account_sid = "AC1/../x y";
  CHECK(send_sms(settings, "+14155552671", "Hi").kind == Kind::kSent);
  CHECK(starts_with(twilio.request(), "POST /2010-04-01/Accounts/AC1%2F..%2Fx%20y/Messages.json "));
}

TEST_CASE("Twilio's refusals are final, its overload and outages are retried") {
  init_curl_once();
  {
    CannedHttpServer twilio(http_reply(
        400, "Bad Request",
        R"({"code":21211,"message":"The 'To' number is not a valid phone number.","status":400})"));
    const SendOutcome outcome = send_sms(sms_settings(twilio), "+14155552671", "Hi");
    CHECK(outcome.kind == Kind::kRejected);
    CHECK(outcome.detail.find("21211") != std::string::npos);
    CHECK(outcome.detail.find("not a valid phone number") != std::string::npos);
    CHECK(outcome.detail.find("token-1") == std::string::npos);
  }
  for (int status : {429, 500, 503, 401}) {
    INFO(status);
    CannedHttpServer twilio(http_reply(status, "Nope", R"({"code":20003,"message":"x"})"));
    CHECK(send_sms(sms_settings(twilio), "+14155552671", "Hi").kind == Kind::kRetry);
  }
  {
    CannedHttpServer twilio(http_reply(503, "Service Unavailable", "<html>down</html>"));
    const SendOutcome outcome = send_sms(sms_settings(twilio), "+14155552671", "Hi");
    CHECK(outcome.kind == Kind::kRetry);
    CHECK(outcome.detail.find("503") != std::string::npos);
  }
  SmsSettings nowhere;
  nowhere.api_url = "http://127.0.0.1:" + std::to_string(free_port());
  nowhere.timeout = std::chrono::milliseconds(1000);
  CHECK(send_sms(nowhere, "+14155552671", "Hi").kind == Kind::kRetry);
}

TEST_CASE("a text over 1600 characters is refused before sending") {
  SmsSettings nowhere;
  nowhere.api_url = "http://127.0.0.1:9";
  CHECK(send_sms(nowhere, "+14155552671", std::string(1601, 'a')).kind == Kind::kRejected);
  std::string emoji;
  for (int i = 0; i < 801; ++i) emoji += "\xF0\x9F\x98\x80";  // 801 x U+1F600: 1602 units
  CHECK(send_sms(nowhere, "+14155552671", emoji).kind == Kind::kRejected);
}

// ---- SMTP against aiosmtpd ----

std::optional<std::string> python_with_aiosmtpd() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    const std::string probe = std::string(python) + " -c 'import aiosmtpd' >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return std::string(python);
  }
  return std::nullopt;
}

// A relay that refuses the recipient unknown@ for good (550) and busy@ for now (451), the
// sender nobody@ (553), and the message for spam@ after its data (554); it takes everything
// else and prints each message it takes.
constexpr const char* kRelayHandler = R"(
class Relay:
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address.startswith('nobody@'):
            return '553 5.7.1 Sender not allowed'
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return '250 OK'

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('unknown@'):
            return '550 5.1.1 No such mailbox here'
        if address.startswith('busy@'):
            return '451 4.3.0 Try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos[0].startswith('spam@'):
            return '554 5.7.1 Message refused'
        print('FROM', envelope.mail_from, 'TO', ' '.join(envelope.rcpt_tos))
        print(envelope.content.decode('utf-8', 'replace'))
        print('END OF MESSAGE')
        return '250 2.0.0 Queued'
)";

// aiosmtpd with kRelayHandler in a child process on a free loopback port, stopped (SIGTERM)
// when this goes out of scope. Its output goes to a file read by output().
class TestRelay {
 public:
  explicit TestRelay(const std::string& python) {
    char directory[] = "/tmp/slotbook-relay-XXXXXX";
    REQUIRE(mkdtemp(directory) != nullptr);
    directory_ = directory;
    std::ofstream(directory_ + "/test_relay.py") << kRelayHandler;
    port_ = free_port();
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string log = directory_ + "/relay.log";
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      setenv("PYTHONPATH", directory_.c_str(), 1);
      setenv("PYTHONUNBUFFERED", "1", 1);
      setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
      if (freopen(log.c_str(), "w", stdout) == nullptr) _exit(127);
      dup2(STDOUT_FILENO, STDERR_FILENO);
      execlp(python.c_str(), python.c_str(), "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
             "test_relay.Relay", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~TestRelay() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    std::remove((directory_ + "/test_relay.py").c_str());
    std::remove((directory_ + "/relay.log").c_str());
    rmdir(directory_.c_str());
  }

  // Whether the relay accepts connections within 10 s.
  bool ready() const {
    for (int attempt = 0; attempt < 200; ++attempt) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(port_));
      const bool up = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      close(fd);
      if (up) return true;
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return false;  // it died
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string output() const {
    std::ifstream log(directory_ + "/relay.log");
    std::stringstream text;
    text << log.rdbuf();
    return text.str();
  }

 private:
  std::string directory_;
  int port_ = 0;
  pid_t pid_ = -1;
};

constexpr const char* kMessage =
    "From: Clinic <clinic@example.com>\r\n"
    "To: patient@example.com\r\n"
    "Subject: Your appointment\r\n"
    "\r\n"
    "See you at 3 pm.\r\n"
    ".leading dot stays\r\n"
    ".\r\n"
    "After a lone dot.\r\n";

TEST_CASE("send_mail hands a message to an SMTP relay") {
  const auto python = python_with_aiosmtpd();
  if (!python) {
    WARN("python3 with aiosmtpd not found; SMTP test skipped");
    return;
  }
  init_curl_once();
  TestRelay relay(*python);
  REQUIRE(relay.ready());
  SmtpSettings settings;
  settings.url = relay.url();
  settings.timeout = std::chrono::seconds(10);

  const SendOutcome sent =
      send_mail(settings, "clinic@example.com", "patient@example.com", kMessage);
  CHECK(sent.kind == Kind::kSent);
  const SendOutcome unknown =
      send_mail(settings, "clinic@example.com", "unknown@example.com", kMessage);
  INFO(unknown.detail);
  CHECK(unknown.kind == Kind::kRejected);
  CHECK(unknown.detail.find("550") != std::string::npos);
  const SendOutcome busy = send_mail(settings, "clinic@example.com", "busy@example.com", kMessage);
  CHECK(busy.kind == Kind::kRetry);
  CHECK(busy.detail.find("451") != std::string::npos);
  const SendOutcome spam = send_mail(settings, "clinic@example.com", "spam@example.com", kMessage);
  CHECK(spam.kind == Kind::kRejected);
  CHECK(spam.detail.find("554") != std::string::npos);
  // A refused sender is the operator's configuration: fixable, so tried again later.
  const SendOutcome sender =
      send_mail(settings, "nobody@example.com", "patient@example.com", kMessage);
  CHECK(sender.kind == Kind::kRetry);
  CHECK(sender.detail.find("553") != std::string::npos);
  // Refusals leave the client usable: the next message goes through again.
  CHECK(send_mail(settings, "clinic@example.com", "second@example.com", kMessage).kind ==
        Kind::kSent);

  const std::string output = relay.output();
  INFO(output);
  CHECK(output.find("FROM clinic@example.com TO patient@example.com") != std::string::npos);
  CHECK(output.find("Subject: Your appointment") != std::string::npos);
  // libcurl dot-stuffed the lines starting with "." and the relay removed the stuffing.
  CHECK(output.find("\n.leading dot stays") != std::string::npos);
  CHECK(output.find("After a lone dot.") != std::string::npos);
  CHECK(output.find("FROM clinic@example.com TO second@example.com") != std::string::npos);
}

TEST_CASE("send_mail retries when the relay cannot be reached") {
  init_curl_once();
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(free_port());
  settings.timeout = std::chrono::seconds(5);
  const SendOutcome outcome =
      send_mail(settings, "clinic@example.com", "patient@example.com", kMessage);
  CHECK(outcome.kind == Kind::kRetry);
  CHECK_FALSE(outcome.detail.empty());
}

TEST_CASE("send_mail refuses addresses that could break the SMTP command") {
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:9";
  CHECK(send_mail(settings, "clinic@example.com", "a@example.com>\r\nRCPT TO:<b@example.com",
                  kMessage)
            .kind == Kind::kRejected);
  CHECK(send_mail(settings, "clinic@example.com", "", kMessage).kind == Kind::kRejected);
  CHECK(send_mail(settings, "clinic example.com", "a@example.com", kMessage).kind == Kind::kRetry);
}

}  // namespace
}  // namespace slotbook::server::testing
