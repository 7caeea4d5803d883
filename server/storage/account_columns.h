// The staff account tables (users, sessions, API keys, audit log) as both SQL backends
// store them (like booking_columns.h): one column list, one reader and one binder each.
// Backend code only.
#ifndef SLOTBOOK_SERVER_STORAGE_ACCOUNT_COLUMNS_H_
#define SLOTBOOK_SERVER_STORAGE_ACCOUNT_COLUMNS_H_

#include "storage/records.h"

namespace slotbook::server {

inline constexpr const char* kStaffUserColumns =
    "id, email, password_hash, role, clinic_id, practitioner_id, created_at, disabled_at";
inline constexpr int kStaffUserColumnCount = 8;

template <typename Row>
StaffUserRecord staff_user_from_row(const Row& row) {
  return StaffUserRecord{row.text(0), row.text(1), row.text(2), row.text(3),
                         row.text(4), row.text(5), row.time(6), row.optional_time(7)};
}

template <typename Bind>
void bind_staff_user_columns(const StaffUserRecord& u, Bind&& bind) {
  bind(u.id), bind(u.email), bind(u.password_hash), bind(u.role), bind(u.clinic_id);
  bind(u.practitioner_id), bind(u.created_at), bind(u.disabled_at);
}

inline constexpr const char* kStaffSessionColumns =
    "token_hash, user_id, created_at, last_seen_at, expires_at";
inline constexpr int kStaffSessionColumnCount = 5;

template <typename Row>
StaffSessionRecord staff_session_from_row(const Row& row) {
  return StaffSessionRecord{row.text(0), row.text(1), row.time(2), row.time(3), row.time(4)};
}

template <typename Bind>
void bind_staff_session_columns(const StaffSessionRecord& s, Bind&& bind) {
  bind(s.token_hash), bind(s.user_id), bind(s.created_at), bind(s.last_seen_at);
  bind(s.expires_at);
}

inline constexpr const char* kApiKeyColumns =
    "id, name, clinic_id, secret_hash, prefix, created_by, created_at, last_used_at, revoked_at";
inline constexpr int kApiKeyColumnCount = 9;

template <typename Row>
ApiKeyRecord api_key_from_row(const Row& row) {
  return ApiKeyRecord{row.text(0), row.text(1),          row.text(2),
                      row.text(3), row.text(4),          row.text(5),
                      row.time(6), row.optional_time(7), row.optional_time(8)};
}

template <typename Bind>
void bind_api_key_columns(const ApiKeyRecord& k, Bind&& bind) {
  bind(k.id), bind(k.name), bind(k.clinic_id), bind(k.secret_hash), bind(k.prefix);
  bind(k.created_by), bind(k.created_at), bind(k.last_used_at), bind(k.revoked_at);
}

// Without `id`: storage assigns it.
inline constexpr const char* kAuditInsertColumns =
    "at, actor_type, actor_id, actor_name, clinic_id, action, target_type, target_id, "
    "before_json, after_json";
inline constexpr int kAuditInsertColumnCount = 10;
inline constexpr const char* kAuditColumns =
    "id, at, actor_type, actor_id, actor_name, clinic_id, action, target_type, target_id, "
    "before_json, after_json";

template <typename Row>
AuditRecord audit_from_row(const Row& row) {
  return AuditRecord{row.integer(0), row.time(1), row.text(2), row.text(3),
                     row.text(4),    row.text(5), row.text(6), row.text(7),
                     row.text(8),    row.text(9), row.text(10)};
}

template <typename Bind>
void bind_audit_insert_columns(const AuditRecord& a, Bind&& bind) {
  bind(a.at), bind(a.actor_type), bind(a.actor_id), bind(a.actor_name), bind(a.clinic_id);
  bind(a.action), bind(a.target_type), bind(a.target_id), bind(a.before_json);
  bind(a.after_json);
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_ACCOUNT_COLUMNS_H_
