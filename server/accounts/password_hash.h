// Staff passwords, hashed with Argon2id through libsodium (crypto_pwhash_str): the stored
// string carries its own salt and parameters, so they can be raised later without
// breaking old hashes. Nothing here is hand-rolled cryptography.
#ifndef SLOTBOOK_SERVER_ACCOUNTS_PASSWORD_HASH_H_
#define SLOTBOOK_SERVER_ACCOUNTS_PASSWORD_HASH_H_

#include <string>
#include <string_view>

#include "common/expected.h"

namespace slotbook::server {

// Passwords shorter are refused when set (NIST SP 800-63B's minimum for chosen secrets);
// longer than the maximum would only make hashing a denial-of-service lever.
inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 256;

// Fails (kInvalid "weak_password") on a password outside the lengths above.
Status check_new_password(std::string_view password);
// The Argon2id string for `password` (interactive limits: 64 MiB, 2 passes). Fails
// (kStorage) only when the system cannot give the memory.
Expected<std::string> hash_password(std::string_view password);
// Whether `password` matches `hash`. A malformed hash matches nothing.
bool verify_password(std::string_view hash, std::string_view password);
// Spends what verify_password spends on a real hash, for an account that does not exist:
// an unknown email must not answer faster than a wrong password.
void verify_against_nothing(std::string_view password);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ACCOUNTS_PASSWORD_HASH_H_
