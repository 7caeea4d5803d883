// The contract's forty sample cases and its examples: answers compared as data.
#include <catch2/catch.hpp>

#include <filesystem>

#include "test_support.h"

using namespace slotbook;
using namespace slotbook::test;
namespace fs = std::filesystem;

TEST_CASE("contract sample cases match the reference answers") {
  int checked = 0;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(data_path("contract-cases"))) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    CAPTURE(dir.filename().string());
    std::string snapshot = read_file((dir / "snapshot.json").string());
    json expected = json::parse(read_file((dir / "expected.json").string()));
    JsonAnswer answer =
        fs::exists(dir / "query.json")
            ? slots_json(snapshot, read_file((dir / "query.json").string()), &system_zones())
            : validate_json(snapshot, read_file((dir / "booking.json").string()), &system_zones());
    json got = json::parse(answer.json);
    if (expected.contains("error")) {
      CHECK(answer.is_error);
      CHECK(error_code(got) == expected["error"]["code"]);
    } else {
      CHECK_FALSE(answer.is_error);
      CHECK(got == expected);
    }
    ++checked;
  }
  CHECK(checked == 40);
}

TEST_CASE("contract examples: slots, validation, and the prepared snapshot agree") {
  std::string snapshot = read_file(data_path("contract-examples/snapshot.json"));
  std::string query = read_file(data_path("contract-examples/query.json"));
  json expected = json::parse(read_file(data_path("contract-examples/slots.json")));
  CHECK(json::parse(slots_json(snapshot, query, &system_zones()).json) == expected);

  JsonAnswer prepared = prepare_json(snapshot, system_zones());
  REQUIRE_FALSE(prepared.is_error);
  CHECK(json::parse(prepared.json).contains("zone_rules"));
  // Without a tz database (as in WebAssembly) the prepared snapshot gives the same answer.
  CHECK(json::parse(slots_json(prepared.json, query, nullptr).json) == expected);
  CHECK(error_code(json::parse(slots_json(snapshot, query, nullptr).json)) == "invalid_snapshot");

  json verdict =
      json::parse(validate_json(snapshot, read_file(data_path("contract-examples/booking.json")),
                                &system_zones())
                      .json);
  CHECK(verdict == json::parse(read_file(data_path("contract-examples/validation.json"))));
}
