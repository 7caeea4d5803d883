#include "accounts/password_hash.h"

#include <sodium.h>

#include <mutex>

namespace slotbook::server {
namespace {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe randomness: never run without it
  });
}

}  // namespace

Status check_new_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return invalid("weak_password", "a password needs at least " +
                                        std::to_string(kMinPasswordLength) + " characters");
  }
  if (password.size() > kMaxPasswordLength) {
    return invalid("weak_password", "a password may have at most " +
                                        std::to_string(kMaxPasswordLength) + " characters");
  }
  return Status();
}

Expected<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return storage_failure("not enough memory to hash a password");
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void verify_against_nothing(std::string_view password) {
  static const std::string kDecoy = [] {
    auto made = hash_password("slotbook decoy password, never a real one");
    return made.ok() ? *made : std::string();
  }();
  (void)verify_password(kDecoy, password);
}

}  // namespace slotbook::server
