#include "accounts/account_service.h"

#include <algorithm>
#include <cctype>

#include "accounts/password_hash.h"
#include "booking/audit_trail.h"
#include "storage/storage.h"
#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr int kSessionTokenBytes = 32;  // 256 bits
constexpr int kKeySecretBytes = 32;
constexpr std::string_view kKeyPrefix = "sk_";
constexpr std::size_t kShownPrefix = 10;  // "sk_" and 7 characters: tells keys apart
constexpr auto kTouchEvery = std::chrono::seconds(60);

std::string session_hash(std::string_view token) {
  return sha256_hex("session:" + std::string(token));
}
std::string key_hash(std::string_view secret) {
  return sha256_hex("api-key:" + std::string(secret));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// An address of the usual shape, without what would break a header or a log line.
bool plausible_email(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmail) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.find('.', at) == std::string_view::npos) return false;
  return std::none_of(email.begin(), email.end(), [](unsigned char c) {
    return c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';';
  });
}

nlohmann::ordered_json user_audit_json(const StaffUserRecord& u) {
  return {{"email", u.email},
          {"role", u.role},
          {"clinic_id", u.clinic_id},
          {"practitioner_id", u.practitioner_id},
          {"disabled", u.disabled_at.has_value()}};
}

nlohmann::ordered_json key_audit_json(const ApiKeyRecord& k) {
  return {{"name", k.name},
          {"clinic_id", k.clinic_id},
          {"prefix", k.prefix},
          {"revoked", k.revoked_at.has_value()}};
}

Principal user_principal(const StaffUserRecord& user, std::string session) {
  Principal p;
  p.actor = Actor{"user", user.id, user.email};
  p.role = parse_role(user.role).value_or(Role::kPractitioner);
  p.clinic_id = user.clinic_id;
  p.practitioner_id = user.practitioner_id;
  p.session_hash = std::move(session);
  return p;
}

}  // namespace

AccountService::AccountService(Storage& storage, const Clock& clock, std::string bootstrap_key)
    : storage_(storage), clock_(clock), bootstrap_key_(std::move(bootstrap_key)) {}

Status AccountService::check_clinic(std::string_view clinic_id) {
  if (clinic_id.empty()) return Status();
  return storage_.read([&](ReadView& view) -> Status {
    auto version = view.clinic_version(clinic_id);
    if (!version.ok()) return version.error();
    if (!version->has_value()) {
      return not_found("clinic_not_found", "no clinic " + std::string(clinic_id));
    }
    return Status();
  });
}

Expected<StaffUserRecord> AccountService::add_user(const NewUser& request, const Actor& actor) {
  const std::string email = lower(request.email);
  if (!plausible_email(email)) return invalid("invalid_user", "email: not an email address");
  if (request.role == Role::kPractitioner && request.practitioner_id.empty()) {
    return invalid("invalid_user", "practitioner: a practitioner user needs --practitioner");
  }
  if (request.role != Role::kPractitioner && !request.practitioner_id.empty()) {
    return invalid("invalid_user", "practitioner: only practitioner users have one");
  }
  if (request.role == Role::kPractitioner && request.clinic_id.empty()) {
    return invalid("invalid_user", "clinic: a practitioner user belongs to one clinic");
  }
  if (Status strong = check_new_password(request.password); !strong.ok()) return strong.error();
  // The clinic need not be stored yet: a deployment makes its users before the server first
  // loads the clinic's configuration.
  auto hash = hash_password(request.password);
  if (!hash.ok()) return hash.error();
  StaffUserRecord user;
  user.id = "usr_" + random_code("0123456789abcdef", 24);
  user.email = email;
  user.password_hash = std::move(*hash);
  user.role = std::string(to_string(request.role));
  user.clinic_id = request.clinic_id;
  user.practitioner_id = request.practitioner_id;
  user.created_at = clock_.now();
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (Status put = tx.put_staff_user(user); !put.ok()) return put;
    return tx.append_audit(setting_audit("user.created", user.clinic_id, "user", user.id, actor, "",
                                         user_audit_json(user).dump(), user.created_at));
  });
  if (!stored.ok()) return stored.error();
  return user;
}

Expected<std::vector<StaffUserRecord>> AccountService::users() {
  return read_value(storage_, [](ReadView& view) { return view.staff_users(); });
}

Expected<std::optional<StaffUserRecord>> AccountService::find_user(std::string_view email_or_id) {
  std::optional<StaffUserRecord> found;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto by_id = view.staff_user(email_or_id);
    if (!by_id.ok()) return by_id.error();
    if (by_id->has_value()) {
      found = std::move(*by_id);
      return Status();
    }
    auto by_email = view.staff_user_by_email(lower(email_or_id));
    if (!by_email.ok()) return by_email.error();
    found = std::move(*by_email);
    return Status();
  });
  if (!read.ok()) return read.error();
  return found;
}

Expected<StaffUserRecord> AccountService::disable_user(std::string_view email_or_id,
                                                       const Actor& actor) {
  auto found = find_user(email_or_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return not_found("user_not_found", "no such user");
  StaffUserRecord user = std::move(**found);
  const std::string before = user_audit_json(user).dump();
  const UtcSeconds now = clock_.now();
  if (!user.disabled_at) user.disabled_at = now;
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (Status put = tx.put_staff_user(user); !put.ok()) return put;
    auto ended = tx.delete_staff_sessions_of(user.id);
    if (!ended.ok()) return ended.error();
    return tx.append_audit(setting_audit("user.disabled", user.clinic_id, "user", user.id, actor,
                                         before, user_audit_json(user).dump(), now));
  });
  if (!stored.ok()) return stored.error();
  return user;
}

slotbook::Expected<SignedIn, SignInRefusal> AccountService::sign_in(
    std::string_view email_text, std::string_view password, const std::string& address,
    std::string_view previous_token) {
  const UtcSeconds now = clock_.now();
  const std::string email = lower(email_text);
  const auto wait = throttle_.wait(email, address, now);
  if (wait.count() > 0) {
    return SignInRefusal{invalid_state("too many failed sign-ins; try again later"), wait};
  }
  SignInRefusal wrong{invalid("invalid_credentials", "Invalid email or password")};
  std::optional<StaffUserRecord> user;
  Status read = storage_.read([&](ReadView& view) -> Status {
    if (email.size() > kMaxEmail) return Status();
    auto found = view.staff_user_by_email(email);
    if (!found.ok()) return found.error();
    user = std::move(*found);
    return Status();
  });
  if (!read.ok()) return SignInRefusal{read.error()};
  const bool long_enough = password.size() <= kMaxPasswordLength;
  bool matches = false;
  if (user && long_enough) {
    matches = verify_password(user->password_hash, password);
  } else {
    verify_against_nothing(password.substr(0, kMaxPasswordLength));
  }
  if (!matches || user->disabled_at) {
    throttle_.failed(email, address, now);
    return wrong;
  }
  throttle_.succeeded(email);
  SignedIn out;
  out.token = random_token(kSessionTokenBytes);
  out.csrf_token = csrf_token(out.token);
  out.user = std::move(*user);
  out.expires_at = now + kSessionLifetime;
  const StaffSessionRecord session{session_hash(out.token), out.user.id, now, now, out.expires_at};
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (!previous_token.empty()) {
      auto ended = tx.delete_staff_session(session_hash(previous_token));
      if (!ended.ok()) return ended.error();
    }
    return tx.put_staff_session(session, now);
  });
  if (!stored.ok()) return SignInRefusal{stored.error()};
  return out;
}

Expected<std::optional<Principal>> AccountService::session(std::string_view token) {
  if (token.empty()) return std::optional<Principal>();
  const UtcSeconds now = clock_.now();
  const std::string hash = session_hash(token);
  std::optional<StaffSessionRecord> session;
  std::optional<StaffUserRecord> user;
  Status read = storage_.read([&](ReadView& view) -> Status {
    auto found = view.staff_session(hash);
    if (!found.ok()) return found.error();
    session = std::move(*found);
    if (!session) return Status();
    auto owner = view.staff_user(session->user_id);
    if (!owner.ok()) return owner.error();
    user = std::move(*owner);
    return Status();
  });
  if (!read.ok()) return read.error();
  const bool live = session && user && !user->disabled_at && now < session->expires_at &&
                    now - session->last_seen_at < kSessionIdleTimeout;
  if (!live) return std::optional<Principal>();
  if (now - session->last_seen_at >= kTouchEvery) {
    session->last_seen_at = now;
    Status touched = storage_.write(
        WriteScope{}, [&](WriteTransaction& tx) { return tx.put_staff_session(*session, now); });
    if (!touched.ok()) return touched.error();
  }
  return std::optional<Principal>(user_principal(*user, hash));
}

std::string AccountService::csrf_token(std::string_view session_token) {
  return to_base64url(sha256_bytes("csrf:" + std::string(session_token)));
}

Status AccountService::sign_out(std::string_view token) {
  if (token.empty()) return Status();
  return storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto ended = tx.delete_staff_session(session_hash(token));
    return ended.ok() ? Status() : Status(ended.error());
  });
}

Expected<std::int64_t> AccountService::sign_out_everywhere(const Principal& principal) {
  std::int64_t ended = 0;
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto count = tx.delete_staff_sessions_of(principal.actor.id);
    if (!count.ok()) return count.error();
    ended = *count;
    return Status();
  });
  if (!stored.ok()) return stored.error();
  return ended;
}

Expected<CreatedKey> AccountService::create_key(std::string_view name, std::string_view clinic_id,
                                                const Actor& actor) {
  if (name.empty() || name.size() > kMaxKeyName ||
      std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < ' ' || c == 0x7f; })) {
    return invalid("invalid_key_request",
                   "name: 1 to " + std::to_string(kMaxKeyName) + " printable characters");
  }
  if (Status known = check_clinic(clinic_id); !known.ok()) return known.error();
  CreatedKey created;
  created.secret = std::string(kKeyPrefix) + random_token(kKeySecretBytes);
  ApiKeyRecord& key = created.key;
  key.id = "key_" + random_code("0123456789abcdef", 24);
  key.name = std::string(name);
  key.clinic_id = std::string(clinic_id);
  key.secret_hash = key_hash(created.secret);
  key.prefix = created.secret.substr(0, kShownPrefix);
  key.created_by = actor.name;
  key.created_at = clock_.now();
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (Status put = tx.put_api_key(key); !put.ok()) return put;
    return tx.append_audit(setting_audit("api_key.created", key.clinic_id, "api_key", key.id, actor,
                                         "", key_audit_json(key).dump(), key.created_at));
  });
  if (!stored.ok()) return stored.error();
  return created;
}

Expected<std::vector<ApiKeyRecord>> AccountService::keys(std::string_view clinic_id) {
  return read_value(storage_, [&](ReadView& view) { return view.api_keys(clinic_id); });
}

Expected<ApiKeyRecord> AccountService::revoke_key(std::string_view id, const Actor& actor) {
  const UtcSeconds now = clock_.now();
  ApiKeyRecord key;
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto found = tx.api_key(id);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return not_found("key_not_found", "no such API key");
    key = std::move(**found);
    if (key.revoked_at) return Status();  // revoking twice changes nothing
    const std::string before = key_audit_json(key).dump();
    key.revoked_at = now;
    if (Status put = tx.put_api_key(key); !put.ok()) return put;
    return tx.append_audit(setting_audit("api_key.revoked", key.clinic_id, "api_key", key.id, actor,
                                         before, key_audit_json(key).dump(), now));
  });
  if (!stored.ok()) return stored.error();
  return key;
}

Expected<std::optional<Principal>> AccountService::key_principal(std::string_view secret) {
  if (secret.empty()) return std::optional<Principal>();
  // Evaluated whatever the secret looks like, so timing says nothing about the bootstrap key.
  const bool bootstrap = constant_time_equals(secret, bootstrap_key_) && !bootstrap_key_.empty();
  if (bootstrap) {
    Principal p;
    p.actor = Actor{"bootstrap_key", "", "CALENDAR_API_KEY"};
    return std::optional<Principal>(std::move(p));
  }
  if (secret.substr(0, kKeyPrefix.size()) != kKeyPrefix) return std::optional<Principal>();
  const std::string hash = key_hash(secret);
  auto found =
      read_value(storage_, [&](ReadView& view) { return view.api_key_by_secret_hash(hash); });
  if (!found.ok()) return found.error();
  std::optional<ApiKeyRecord>& key = *found;
  if (!key || key->revoked_at) return std::optional<Principal>();
  const UtcSeconds now = clock_.now();
  if (!key->last_used_at || now - *key->last_used_at >= kTouchEvery) {
    key->last_used_at = now;
    // Only the use is recorded: a revocation that committed meanwhile must stay.
    Status touched = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
      auto current = tx.api_key(key->id);
      if (!current.ok()) return current.error();
      if (!current->has_value() || (*current)->revoked_at) return Status();
      ApiKeyRecord used = std::move(**current);
      used.last_used_at = now;
      return tx.put_api_key(used);
    });
    if (!touched.ok()) return touched.error();
  }
  Principal p;
  p.actor = Actor{"api_key", key->id, key->name};
  p.clinic_id = key->clinic_id;
  return std::optional<Principal>(std::move(p));
}

Expected<std::vector<AuditRecord>> AccountService::audit(const AuditFilter& filter) {
  return read_value(storage_, [&](ReadView& view) { return view.audit_entries(filter); });
}

}  // namespace slotbook::server
