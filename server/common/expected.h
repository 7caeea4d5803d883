// Errors as values for the server. Every fallible function below the routes returns a
// Status or an Expected<T>: either the value or a Failure naming what went wrong. Each
// protocol dialect in http/ maps a Failure to its status and body; nothing below the routes
// knows about HTTP.
#ifndef SLOTBOOK_SERVER_COMMON_EXPECTED_H_
#define SLOTBOOK_SERVER_COMMON_EXPECTED_H_

#include <optional>
#include <string>
#include <utility>

#include "slotbook/expected.h"

namespace slotbook::server {

enum class FailureKind {
  kNotFound,      // the clinic, booking, practitioner or type does not exist
  kInvalid,       // the input is well-formed but not acceptable (e.g. a bad clinic config)
  kInvalidState,  // the booking's status does not allow this change
  kStorage,       // the database failed; details are logged, not shown
  kUnavailable,   // the database cannot be reached now; the same request may work later
};

struct Failure {
  FailureKind kind;
  std::string code;     // machine code, e.g. "clinic_not_found"
  std::string message;  // for people
};

inline Failure not_found(std::string code, std::string message) {
  return {FailureKind::kNotFound, std::move(code), std::move(message)};
}
inline Failure invalid(std::string code, std::string message) {
  return {FailureKind::kInvalid, std::move(code), std::move(message)};
}
inline Failure invalid_state(std::string message) {
  return {FailureKind::kInvalidState, "invalid_state", std::move(message)};
}
inline Failure storage_failure(std::string message) {
  return {FailureKind::kStorage, "storage_error", std::move(message)};
}
// `message` is logged; clients are told only that the database is unavailable.
inline Failure storage_unavailable(std::string message) {
  return {FailureKind::kUnavailable, "storage_unavailable", std::move(message)};
}

// Success or a Failure.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Failure failure) : failure_(std::move(failure)) {}  // NOLINT
  bool ok() const { return !failure_.has_value(); }
  // REQUIRES: !ok().
  const Failure& error() const { return *failure_; }

 private:
  std::optional<Failure> failure_;
};

// A value or a Failure (the engine's Expected with the server's error type).
template <typename T>
using Expected = slotbook::Expected<T, Failure>;

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_EXPECTED_H_
