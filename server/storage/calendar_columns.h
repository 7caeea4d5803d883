// The calendar tables as both SQL backends store them (like booking_columns.h): one
// column list, one reader and one binder each. Backend code only.
#ifndef SLOTBOOK_SERVER_STORAGE_CALENDAR_COLUMNS_H_
#define SLOTBOOK_SERVER_STORAGE_CALENDAR_COLUMNS_H_

#include "storage/records.h"

namespace slotbook::server {

inline constexpr const char* kConnectionColumns =
    "id, clinic_id, practitioner_id, provider, source, status, calendar_id, account_email, "
    "sealed_tokens, access_expires_at, connected_at, last_sync_at, last_attempt_at, "
    "last_error, feed_etag";
inline constexpr int kConnectionColumnCount = 15;

template <typename Row>
CalendarConnectionRecord connection_from_row(const Row& row) {
  CalendarConnectionRecord c;
  c.id = row.text(0);
  c.clinic_id = row.text(1);
  c.practitioner_id = row.text(2);
  c.provider = row.text(3);
  c.source = row.text(4);
  c.status = row.text(5);
  c.calendar_id = row.text(6);
  c.account_email = row.text(7);
  c.sealed_tokens = row.text(8);
  c.access_expires_at = row.time(9);
  c.connected_at = row.time(10);
  c.last_sync_at = row.optional_time(11);
  c.last_attempt_at = row.optional_time(12);
  c.last_error = row.text(13);
  c.feed_etag = row.text(14);
  return c;
}

template <typename Bind>
void bind_connection_columns(const CalendarConnectionRecord& c, Bind&& bind) {
  bind(c.id), bind(c.clinic_id), bind(c.practitioner_id), bind(c.provider), bind(c.source);
  bind(c.status), bind(c.calendar_id), bind(c.account_email), bind(c.sealed_tokens);
  bind(c.access_expires_at), bind(c.connected_at), bind(c.last_sync_at);
  bind(c.last_attempt_at), bind(c.last_error), bind(c.feed_etag);
}

inline constexpr const char* kOAuthStateColumns =
    "state_hash, clinic_id, practitioner_id, provider, redirect_uri, sealed_verifier, "
    "requested_by, created_at, expires_at";
inline constexpr int kOAuthStateColumnCount = 9;

template <typename Row>
OAuthStateRecord oauth_state_from_row(const Row& row) {
  return OAuthStateRecord{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                          row.text(5), row.text(6), row.time(7), row.time(8)};
}

template <typename Bind>
void bind_oauth_state_columns(const OAuthStateRecord& s, Bind&& bind) {
  bind(s.state_hash), bind(s.clinic_id), bind(s.practitioner_id), bind(s.provider);
  bind(s.redirect_uri), bind(s.sealed_verifier), bind(s.requested_by), bind(s.created_at);
  bind(s.expires_at);
}

inline constexpr const char* kLinkColumns =
    "booking_id, target, external_id, meeting_url, written_from, written_to, updated_at";
inline constexpr int kLinkColumnCount = 7;

template <typename Row>
CalendarLinkRecord link_from_row(const Row& row) {
  return CalendarLinkRecord{
      row.text(0), row.text(1), row.text(2), row.text(3), TimeWindow{row.time(4), row.time(5)},
      row.time(6)};
}

template <typename Bind>
void bind_link_columns(const CalendarLinkRecord& l, Bind&& bind) {
  bind(l.booking_id), bind(l.target), bind(l.external_id), bind(l.meeting_url);
  bind(l.written.from), bind(l.written.to), bind(l.updated_at);
}

inline constexpr const char* kFeedColumns = "clinic_id, practitioner_id, token_hash, created_at";

template <typename Row>
CalendarFeedRecord feed_from_row(const Row& row) {
  return CalendarFeedRecord{row.text(0), row.text(1), row.text(2), row.time(3)};
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_CALENDAR_COLUMNS_H_
