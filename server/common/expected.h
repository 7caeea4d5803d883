// Errors as values for the server. Every fallible function below the routes returns a
// Status or an Expected<T>: either the value or a Failure naming what went wrong. Routes
// map a Failure's kind to an HTTP status in one place (http/responses.h); nothing below
// the routes knows about HTTP.
#ifndef SLOTBOOK_SERVER_COMMON_EXPECTED_H_
#define SLOTBOOK_SERVER_COMMON_EXPECTED_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace slotbook::server {

enum class FailureKind {
  kNotFound,      // the clinic, booking, practitioner or type does not exist
  kInvalid,       // the input is well-formed but not acceptable (e.g. a bad clinic config)
  kInvalidState,  // the booking's status does not allow this change
  kStorage,       // the database failed; details are logged, not shown
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

// Success or a Failure.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Failure failure) : failure_(std::move(failure)) {}  // NOLINT
  bool ok() const { return !failure_.has_value(); }
  // REQUIRES: !ok().
  const Failure& failure() const { return *failure_; }

 private:
  std::optional<Failure> failure_;
};

// A value or a Failure.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}            // NOLINT
  Expected(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  // REQUIRES: ok().
  T& value() & { return *std::get_if<0>(&state_); }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  T* operator->() { return std::get_if<0>(&state_); }
  const T* operator->() const { return std::get_if<0>(&state_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // REQUIRES: !ok().
  const Failure& failure() const { return *std::get_if<1>(&state_); }
  Status status() const { return ok() ? Status() : Status(failure()); }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_EXPECTED_H_
