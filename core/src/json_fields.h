// Strict readers for the fields of one JSON object, shared by the snapshot, query and
// zone-rule parsers. Each reader checks presence, type and range exactly as the contract's
// fine print says (integers only, an explicit null is mistyped) and records the first
// problem; the parser checks error() once at the end of a block, which keeps it linear.
#ifndef SLOTBOOK_SRC_JSON_FIELDS_H_
#define SLOTBOOK_SRC_JSON_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "slotbook/result.h"

namespace slotbook::internal {

// The value of a JSON integer that fits in int64; nullopt for anything else.
std::optional<std::int64_t> as_int64(const nlohmann::json& value);

class Fields {
 public:
  // `where` names the object in messages, e.g. "appointment_types[2]".
  Fields(const nlohmann::json& object, ErrorCode code, std::string where);

  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }
  // Records a problem found by the caller (the first one wins).
  void fail(const std::string& message);

  // Present (null included) or absent.
  bool has(const char* key) const;
  // A required string ("" after a failure).
  std::string string(const char* key);
  // An optional string: nullopt when absent.
  std::optional<std::string> optional_string(const char* key);
  // An integer within [lowest, highest]; `fallback` when absent (absent and no fallback is
  // a failure).
  int integer(const char* key, int lowest, int highest, std::optional<int> fallback);
  // An array, or nullptr when absent (and a failure if `required`).
  const nlohmann::json* array(const char* key, bool required);
  // An object, or nullptr when absent (and a failure if `required`).
  const nlohmann::json* object(const char* key, bool required);

 private:
  const nlohmann::json* find(const char* key, bool required);
  std::string name(const char* key) const;

  const nlohmann::json& object_;
  ErrorCode code_;
  std::string where_;
  std::optional<Error> error_;
};

}  // namespace slotbook::internal

#endif  // SLOTBOOK_SRC_JSON_FIELDS_H_
