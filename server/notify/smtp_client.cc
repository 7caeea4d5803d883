#include "notify/smtp_client.h"

#include <netdb.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "notify/address_guard.h"
#include "notify/http_client.h"

namespace slotbook::server {
namespace {

Failure bad_url(std::string why) { return invalid("invalid_smtp_url", std::move(why)); }

// An address that could end the command it is put in (CR, LF) or its brackets.
bool unusable_address(std::string_view address) {
  return address.empty() || std::any_of(address.begin(), address.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>';
         });
}

struct MessageReader {
  std::string_view rest;
};

size_t read_message(char* buffer, size_t size, size_t count, void* user) {
  auto* reader = static_cast<MessageReader*>(user);
  const size_t bytes = std::min(size * count, reader->rest.size());
  std::memcpy(buffer, reader->rest.data(), bytes);
  reader->rest.remove_prefix(bytes);
  return bytes;
}

// What the dialogue reached, seen through libcurl's debug callback: the verb of the last
// command sent and the relay's last reply line, both as they were before QUIT (libcurl
// quits after a refusal, and "221 Bye" would hide the refusal). Only known verbs are taken
// from outgoing lines, so AUTH LOGIN's base64 user and password lines are never kept.
struct Dialogue {
  std::string last_verb;
  std::string last_reply;
  bool quitting = false;
};

std::string_view trim_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return line;
}

int watch_dialogue(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* dialogue = static_cast<Dialogue*>(user);
  std::string_view text(data, size);
  if (type == CURLINFO_HEADER_IN && !dialogue->quitting) {
    // A multi-line reply arrives line by line; the last one has the final code.
    std::string_view line = trim_line_end(text);
    if (line.size() > 300) line = line.substr(0, 300);
    dialogue->last_reply.assign(line);
    for (char& c : dialogue->last_reply) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
  } else if (type == CURLINFO_HEADER_OUT) {
    static constexpr std::array<std::string_view, 9> kVerbs = {
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP"};
    const std::string_view verb = text.substr(0, text.find_first_of(" \r\n"));
    if (verb == "QUIT") {
      dialogue->quitting = true;
    } else if (std::find(kVerbs.begin(), kVerbs.end(), verb) != kVerbs.end()) {
      dialogue->last_verb.assign(verb);
      dialogue->quitting = false;  // a QUIT seen before was another connection's
    }
  }
  return 0;
}

int reply_code(const std::string& reply) {
  if (reply.size() < 3 ||
      !std::all_of(reply.begin(), reply.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::atoi(reply.substr(0, 3).c_str());
}

}  // namespace

Status check_smtp_url(std::string_view url) {
  const auto parts = parse_url(url);
  if (!parts || (parts->scheme != "smtp" && parts->scheme != "smtps")) {
    return bad_url("The SMTP URL must be smtp://host[:port] or smtps://host[:port].");
  }
  if (parts->user || parts->password) {
    return bad_url(
        "The SMTP URL may not contain a user name or password; set SMTP_USERNAME "
        "and SMTP_PASSWORD instead.");
  }
  if (parts->path != "/" || parts->query || parts->fragment) {
    return bad_url("The SMTP URL may not have a path, query or fragment.");
  }
  return {};
}

bool is_loopback_url(std::string_view url) {
  const auto parts = parse_url(url);
  if (!parts) return false;
  std::string host = parts->host;
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host == "localhost") return true;
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  const bool loopback = is_loopback_address(found->ai_addr);
  freeaddrinfo(found);
  return loopback;
}

SendOutcome send_mail(const SmtpSettings& settings, std::string_view envelope_from,
                      std::string_view recipient, std::string_view message) {
  if (unusable_address(recipient)) {
    return SendOutcome::rejected(
        "The recipient address is empty or contains a space, a "
        "control character or angle brackets.");
  }
  if (unusable_address(envelope_from)) {
    return SendOutcome::retry(
        "The sender address is empty or contains a space, a control "
        "character or angle brackets.");
  }
  CurlLease lease(CurlTraffic::kMail);
  CURL* curl = lease.get();

  const std::string from = "<" + std::string(envelope_from) + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
      curl_slist_append(nullptr, ("<" + std::string(recipient) + ">").c_str()),
      curl_slist_free_all);
  if (!recipients) std::abort();  // out of memory

  char error[CURL_ERROR_SIZE] = "";
  MessageReader reader{message};
  Dialogue dialogue;
  const auto timeout_ms = std::max<long>(
      1, static_cast<long>(
             std::chrono::duration_cast<std::chrono::milliseconds>(settings.timeout).count()));
  curl_easy_setopt(curl, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   is_loopback_url(settings.url) ? CURLUSESSL_TRY : CURLUSESSL_ALL);
  if (!settings.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  // The debug callback only sees what VERBOSE produces; nothing is printed.
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, watch_dialogue);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &dialogue);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);

  const CURLcode result = curl_easy_perform(curl);
  const std::string relay_said =
      dialogue.last_reply.empty() ? "" : " The relay said: " + dialogue.last_reply;
  if (result == CURLE_OK) return SendOutcome::sent("Accepted by the relay." + relay_said);

  const std::string detail =
      std::string(error[0] != '\0' ? error : curl_easy_strerror(result)) + "." + relay_said;
  const int code = reply_code(dialogue.last_reply);
  // 530 is "authenticate first" (RFC 4954): the operator's configuration, not the message.
  const bool refused_for_good = code >= 500 && code < 600 && code != 530 &&
                                (dialogue.last_verb == "RCPT" || dialogue.last_verb == "DATA");
  if (result != CURLE_LOGIN_DENIED && refused_for_good) return SendOutcome::rejected(detail);
  return SendOutcome::retry(detail);
}

}  // namespace slotbook::server
