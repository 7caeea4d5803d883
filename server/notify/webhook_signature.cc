#include "notify/webhook_signature.h"

#include <cstdlib>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 24;
constexpr std::size_t kMaxKeyBytes = 64;

Failure bad_secret(std::string why) { return invalid("invalid_webhook_secret", std::move(why)); }

}  // namespace

std::string new_webhook_secret() {
  return std::string(kSecretPrefix) + to_base64(random_bytes(kSecretBytes));
}

Expected<std::string> webhook_secret_key(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) != kSecretPrefix) {
    return bad_secret("A webhook secret starts with whsec_.");
  }
  const std::string_view encoded = secret.substr(kSecretPrefix.size());
  auto key = from_base64(encoded);
  if (!key) return bad_secret("The part after whsec_ is not base64.");
  // from_base64 tolerates what EVP_DecodeBlock does (blanks); encoding the result again
  // and comparing leaves exactly the canonical spelling.
  if (to_base64(*key) != encoded) {
    return bad_secret("The part after whsec_ is not canonical base64.");
  }
  if (key->size() < kSecretBytes || key->size() > kMaxKeyBytes) {
    return bad_secret("A webhook secret is whsec_ and the base64 of 24 to 64 bytes.");
  }
  return std::move(*key);
}

std::string sign_webhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                         std::string_view body) {
  std::string signed_content;
  signed_content.reserve(id.size() + body.size() + 24);
  signed_content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(),
           mac, &mac_size) == nullptr) {
    std::abort();  // only when OpenSSL cannot allocate: no signature is better than a wrong one
  }
  return "v1," + to_base64(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

}  // namespace slotbook::server
