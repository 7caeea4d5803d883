#include "tokens/tokens.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace slotbook::server {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

void fill_random(unsigned char* out, int n) {
  if (RAND_bytes(out, n) != 1) {
    std::fputs("fatal: RAND_bytes failed\n", stderr);
    std::abort();
  }
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

}  // namespace

std::string to_base64(std::string_view bytes) {
  std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

std::optional<std::string> from_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string raw(3 * (text.size() / 4) + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding's zero bytes too.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) size -= 1;
  raw.resize(size);
  return raw;
}

std::string to_base64url(std::string_view bytes) {
  std::string text = to_base64(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::optional<std::string> from_base64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no length of bytes encodes to that
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;  // the other alphabet, or padding
    }
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return from_base64(standard);
}

std::string random_bytes(int count) {
  std::string out(static_cast<std::size_t>(count), '\0');
  fill_random(reinterpret_cast<unsigned char*>(out.data()), count);
  return out;
}

std::string random_token(int bytes) {
  std::vector<unsigned char> raw(static_cast<std::size_t>(bytes));
  fill_random(raw.data(), bytes);
  return to_base64url(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string random_code(std::string_view alphabet, int length) {
  // Rejection sampling keeps every character equally likely.
  const unsigned limit = 256 - (256 % alphabet.size());
  std::string out;
  while (static_cast<int>(out.size()) < length) {
    unsigned char byte;
    fill_random(&byte, 1);
    if (byte < limit) out.push_back(alphabet[byte % alphabet.size()]);
  }
  return out;
}

std::string new_booking_id() {
  unsigned char raw[12];
  fill_random(raw, sizeof raw);
  return "b_" + to_hex(raw, sizeof raw);
}

std::string sha256_hex(std::string_view data) {
  auto digest = sha256(data);
  return to_hex(digest.data(), digest.size());
}

std::string sha256_bytes(std::string_view data) {
  auto digest = sha256(data);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  auto da = sha256(a);
  auto db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

std::string seal(std::string_view secret, std::string_view plain) {
  auto key = sha256(secret);
  std::string out(kNonceBytes + plain.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  fill_random(bytes, kNonceBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), bytes) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + kNonceBytes, &len,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          bytes + kNonceBytes + plain.size()) != 1) {
    std::fputs("fatal: AES-GCM encryption failed\n", stderr);
    std::abort();
  }
  return out;
}

std::optional<std::string> open_sealed(std::string_view secret, std::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  auto key = sha256(secret);
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::size_t n = sealed.size() - kNonceBytes - kTagBytes;
  std::string plain(n, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::array<unsigned char, kTagBytes> tag{};
  std::copy(bytes + kNonceBytes + n, bytes + sealed.size(), tag.begin());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                        bytes + kNonceBytes, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) !=
          1) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace slotbook::server
