// The bookings table as both SQL backends store it: one column list, one reader, one
// definition of the statuses that occupy time. Backend code only; no behaviour beyond
// mapping rows.
#ifndef SLOTBOOK_SERVER_STORAGE_BOOKING_COLUMNS_H_
#define SLOTBOOK_SERVER_STORAGE_BOOKING_COLUMNS_H_

#include <optional>
#include <string>
#include <vector>

#include "booking/booking_record.h"
#include "common/expected.h"

namespace slotbook::server {

// In the order booking_from_row reads them and inserts bind them.
inline constexpr const char* kBookingColumns =
    "id, clinic_id, practitioner_id, appointment_type, start_utc, end_utc, status, "
    "confirmation_number, patient_name, patient_email, patient_phone, notes, source, "
    "external_reference_id, manage_token_hash, sequence, cancel_reason, cancelled_at, "
    "reminder_sent_at, created_at, updated_at, patient_id, occupied_from, occupied_to, "
    "patient_language, sms_opt_in, manage_token_sealed, meeting_url, meeting_provider, "
    "answers_json, referral_source, booking_referral";
inline constexpr int kBookingColumnCount = 32;

// "?1, ?2, ..." or "$1, $2, ...": `count` placeholders for an INSERT of a column list.
inline std::string placeholders(int count, char sigil) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += (i > 1 ? ", " : "") + (sigil + std::to_string(i));
  return out;
}

// The first of a query's rows, if any: what a lookup by key returns.
template <typename Record>
Expected<std::optional<Record>> first_row(Expected<std::vector<Record>> rows) {
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Record>();
  return std::optional<Record>(std::move(rows->front()));
}

// "status IN ('pending', ...)": the statuses that occupy time (booking_status.h), as SQL.
// Spliced, not bound: the names are the program's own constants.
inline const std::string& occupying_statuses_sql() {
  static const std::string sql = [] {
    std::string list;
    for (BookingStatus status : kAllBookingStatuses) {
      if (!occupies_time(status)) continue;
      list += (list.empty() ? "'" : ", '") + std::string(to_string(status)) + "'";
    }
    return "status IN (" + list + ")";
  }();
  return sql;
}

// A booking from a row of kBookingColumns. `Row` has text, integer, time and
// optional_time by column index (SqliteStatement, PgRow).
template <typename Row>
BookingRecord booking_from_row(const Row& row) {
  BookingRecord b;
  b.id = row.text(0);
  b.clinic_id = row.text(1);
  b.practitioner_id = row.text(2);
  b.appointment_type = row.text(3);
  b.start_utc = row.time(4);
  b.end_utc = row.time(5);
  // The schemas' CHECK admits only known statuses.
  b.status = parse_booking_status(row.text(6)).value_or(BookingStatus::kCancelled);
  b.confirmation_number = row.text(7);
  b.patient_name = row.text(8);
  b.patient_email = row.text(9);
  b.patient_phone = row.text(10);
  b.notes = row.text(11);
  b.source = row.text(12);
  b.external_reference_id = row.text(13);
  b.manage_token_hash = row.text(14);
  b.sequence = static_cast<int>(row.integer(15));
  b.cancel_reason = row.text(16);
  b.cancelled_at = row.optional_time(17);
  b.reminder_sent_at = row.optional_time(18);
  b.created_at = row.time(19);
  b.updated_at = row.time(20);
  b.patient_id = row.text(21);
  b.occupancy = {row.time(22), row.time(23)};
  b.patient_language = row.text(24);
  b.sms_opt_in = row.integer(25) != 0;
  b.manage_token_sealed = row.text(26);
  b.meeting_url = row.text(27);
  b.meeting_provider = row.text(28);
  b.answers_json = row.text(29);
  b.referral_source = row.text(30);
  b.booking_referral = row.text(31);
  return b;
}

// Binds the columns of kBookingColumns in order: `bind(value)` for each (a string, an
// int64, a UtcSeconds or an optional of the last two).
template <typename Bind>
void bind_booking_columns(const BookingRecord& b, Bind&& bind) {
  bind(b.id), bind(b.clinic_id), bind(b.practitioner_id), bind(b.appointment_type);
  bind(b.start_utc), bind(b.end_utc), bind(std::string(to_string(b.status)));
  bind(b.confirmation_number), bind(b.patient_name), bind(b.patient_email);
  bind(b.patient_phone), bind(b.notes), bind(b.source), bind(b.external_reference_id);
  bind(b.manage_token_hash), bind(static_cast<std::int64_t>(b.sequence));
  bind(b.cancel_reason), bind(b.cancelled_at), bind(b.reminder_sent_at);
  bind(b.created_at), bind(b.updated_at), bind(b.patient_id);
  bind(b.occupancy.from), bind(b.occupancy.to), bind(b.patient_language);
  bind(static_cast<std::int64_t>(b.sms_opt_in ? 1 : 0)), bind(b.manage_token_sealed);
  bind(b.meeting_url), bind(b.meeting_provider), bind(b.answers_json);
  bind(b.referral_source), bind(b.booking_referral);
}

// The LIKE patterns of a booking search (ReadView::search_bookings), with `\` as the
// escape character: the text itself lower-cased, the phone digits (empty when fewer than
// 3: too many numbers would match), and the confirmation number upper-cased.
struct BookingSearchPatterns {
  std::string contains;
  std::string phone_contains;  // "" matches nothing
  std::string confirmation;
};

inline BookingSearchPatterns booking_search_patterns(std::string_view text) {
  BookingSearchPatterns out;
  std::string escaped, digits;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') escaped += '\\';
    escaped += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= '0' && c <= '9') digits += c;
    out.confirmation += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  out.contains = "%" + escaped + "%";
  if (digits.size() >= 3) out.phone_contains = "%" + digits + "%";
  return out;
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_BOOKING_COLUMNS_H_
