// Errors as values. Every fallible function of the engine returns a Result<T>: either a
// value or an Error carrying one of the contract's error codes. Nothing in the public API
// throws, so the same code runs natively and in WebAssembly built without exceptions.
#ifndef SLOTBOOK_RESULT_H_
#define SLOTBOOK_RESULT_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace slotbook {

// The contract's error codes (engine-contract.md, "Errors"), in their order of precedence.
enum class ErrorCode {
  kInvalidJson,
  kInvalidSnapshot,
  kInvalidQuery,
  kInvalidRange,
  kRangeTooLarge,
  kUnknownAppointmentType,
  kUnknownPractitioner,
};

// The code's wire name, e.g. "invalid_snapshot".
std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // for people; never parsed
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return *std::get_if<0>(&state_); }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  T* operator->() { return std::get_if<0>(&state_); }
  const T* operator->() const { return std::get_if<0>(&state_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, Error> state_;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace slotbook

#endif  // SLOTBOOK_RESULT_H_
