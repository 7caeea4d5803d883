// Secrets and identifiers, all from OpenSSL: random bytes (RAND_bytes), SHA-256 digests,
// constant-time comparison (CRYPTO_memcmp) and authenticated encryption (AES-256-GCM).
// Nothing here is hand-rolled cryptography. Thread-safe (OpenSSL 3 is).
#ifndef SLOTBOOK_SERVER_TOKENS_TOKENS_H_
#define SLOTBOOK_SERVER_TOKENS_TOKENS_H_

#include <optional>
#include <string>
#include <string_view>

namespace slotbook::server {

// `count` random bytes. Aborts the process if the system cannot provide randomness.
std::string random_bytes(int count);
// `bytes` random bytes as unpadded base64url text (a manage token: 24 bytes = 192 bits).
// Aborts the process if the system cannot provide randomness (never silently weak).
std::string random_token(int bytes);
// Standard base64 with padding (RFC 4648 section 4), and back (nullopt: not base64).
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);
// URL-safe base64 without padding (RFC 4648 section 5: "-" and "_" for "+" and "/"), as
// JWTs and PKCE use it, and back (nullopt: not unpadded base64url).
std::string to_base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);

// `length` characters drawn uniformly from `alphabet` (at most 256 characters).
std::string random_code(std::string_view alphabet, int length);
// A new booking id: "b_" + 24 lower-case hex digits (96 random bits).
std::string new_booking_id();

// Lower-case hex SHA-256 of `data` (how manage tokens are stored).
std::string sha256_hex(std::string_view data);
// The 32 raw bytes of the SHA-256 of `data`.
std::string sha256_bytes(std::string_view data);

// Whether `a` equals `b`, in time that depends on neither's content: both are hashed
// first, so lengths do not leak either. For API keys and token hashes.
bool constant_time_equals(std::string_view a, std::string_view b);

// Encrypts `plain` with a key derived from `secret` (SHA-256) under AES-256-GCM with a
// random nonce; returns nonce || ciphertext || tag. open_sealed returns nullopt if the
// secret is wrong or the data was altered.
std::string seal(std::string_view secret, std::string_view plain);
std::optional<std::string> open_sealed(std::string_view secret, std::string_view sealed);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_TOKENS_TOKENS_H_
