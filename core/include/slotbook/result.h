// Errors as values. Every fallible function of the engine returns a Result<T>: either a
// value or an Error carrying one of the contract's error codes (expected.h).
#ifndef SLOTBOOK_RESULT_H_
#define SLOTBOOK_RESULT_H_

#include <string>
#include <string_view>
#include <utility>

#include "slotbook/expected.h"

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
using Result = Expected<T, Error>;

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace slotbook

#endif  // SLOTBOOK_RESULT_H_
