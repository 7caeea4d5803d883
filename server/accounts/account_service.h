// Staff accounts: users and their passwords, browser sessions, named API keys. Every
// change is one write transaction with its audit entry (booking/audit_trail.h).
//
// Sessions: the cookie carries a random 256-bit token; storage keeps only its SHA-256. A
// session ends after 8 hours without use or 7 days after sign-in, whichever comes first,
// at sign-out, at "sign out everywhere", and when its user is disabled. The CSRF token of
// a session is derived from its token (a different hash of it), so it needs no storage
// and is worthless without the cookie.
//
// API keys: "sk_" + 256 random bits, shown once; storage keeps the SHA-256. The bootstrap
// key (CALENDAR_API_KEY) is compared in constant time and acts for every clinic.
// Thread-safe.
#ifndef SLOTBOOK_SERVER_ACCOUNTS_ACCOUNT_SERVICE_H_
#define SLOTBOOK_SERVER_ACCOUNTS_ACCOUNT_SERVICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "accounts/login_throttle.h"
#include "accounts/principal.h"
#include "common/clock.h"
#include "common/expected.h"
#include "storage/records.h"

namespace slotbook::server {

class Storage;

inline constexpr std::chrono::seconds kSessionIdleTimeout{8 * 3600};
inline constexpr std::chrono::seconds kSessionLifetime{7 * 24 * 3600};
inline constexpr std::size_t kMaxKeyName = 100;
inline constexpr std::size_t kMaxEmail = 254;

struct NewUser {
  std::string email;
  std::string password;
  Role role = Role::kAdmin;
  std::string clinic_id;        // empty: every clinic
  std::string practitioner_id;  // required for practitioners, refused for the others
};

struct SignedIn {
  std::string token;  // the cookie's value
  std::string csrf_token;
  StaffUserRecord user;
  UtcSeconds expires_at{};  // the absolute end
};

// A sign-in refused: invalid_credentials (kInvalid; the same for an unknown email, a
// wrong password and a disabled user) or too_many_attempts (kInvalidState, with
// `retry_after`).
struct SignInRefusal {
  Failure failure;
  std::chrono::seconds retry_after{0};
};

struct CreatedKey {
  ApiKeyRecord key;
  std::string secret;
};

class AccountService {
 public:
  AccountService(Storage& storage, const Clock& clock, std::string bootstrap_key);

  // Users. Failures: invalid_user (kInvalid: email, role, clinic, practitioner; the
  // message says which), weak_password, email_taken.
  Expected<StaffUserRecord> add_user(const NewUser& user, const Actor& actor);
  Expected<std::vector<StaffUserRecord>> users();
  // By email or id; ends the user's sessions. Failures: user_not_found.
  Expected<StaffUserRecord> disable_user(std::string_view email_or_id, const Actor& actor);

  // Sessions. `address` is the client's (rate limiting). `previous_token` is the session
  // cookie the browser sent, if any: it is ended, so an id planted before sign-in never
  // becomes a signed-in session (session fixation).
  slotbook::Expected<SignedIn, SignInRefusal> sign_in(std::string_view email,
                                                      std::string_view password,
                                                      const std::string& address,
                                                      std::string_view previous_token);
  // The principal of a live session; nullopt for an unknown, expired or ended one (or a
  // disabled user). Keeps the session alive (last use recorded at most once a minute).
  Expected<std::optional<Principal>> session(std::string_view token);
  static std::string csrf_token(std::string_view session_token);
  Status sign_out(std::string_view token);
  // Ends every session of `principal`'s user; returns how many.
  Expected<std::int64_t> sign_out_everywhere(const Principal& principal);

  // API keys. Failures: invalid_key_request (name), clinic_not_found, key_not_found.
  Expected<CreatedKey> create_key(std::string_view name, std::string_view clinic_id,
                                  const Actor& actor);
  Expected<std::vector<ApiKeyRecord>> keys(std::string_view clinic_id);
  Expected<ApiKeyRecord> revoke_key(std::string_view id, const Actor& actor);
  // The principal of an API key (a named one that is not revoked, or the bootstrap key);
  // nullopt when `secret` is neither. Records the named key's use.
  Expected<std::optional<Principal>> key_principal(std::string_view secret);

  // The audit log (every entry: bookings, settings, keys, users), newest first.
  Expected<std::vector<AuditRecord>> audit(const AuditFilter& filter);

 private:
  Expected<std::optional<StaffUserRecord>> find_user(std::string_view email_or_id);
  Status check_clinic(std::string_view clinic_id);

  Storage& storage_;
  const Clock& clock_;
  const std::string bootstrap_key_;
  LoginThrottle throttle_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ACCOUNTS_ACCOUNT_SERVICE_H_
