// A value or an error: how every fallible function of slotbook returns, in the engine
// (Result<T> = Expected<T, Error>, result.h) and in the server (Expected<T> with a
// Failure, server/common/expected.h). Nothing throws across these boundaries, so the same
// code runs natively and in WebAssembly built without exceptions.
#ifndef SLOTBOOK_EXPECTED_H_
#define SLOTBOOK_EXPECTED_H_

#include <utility>
#include <variant>

namespace slotbook {

template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Expected(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

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
  const E& error() const { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, E> state_;
};

}  // namespace slotbook

#endif  // SLOTBOOK_EXPECTED_H_
