// slot-engine: the engine on files (engine-contract.md, "Command line").
//   slot-engine slots    --snapshot S.json --query Q.json
//   slot-engine validate --snapshot S.json --booking B.json
//   slot-engine prepare  --snapshot S.json        (adds "zone_rules" for the widget)
// "-" reads standard input. Exit 0 on an answer, 2 on an error object, 1 on bad usage.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "slotbook/json_api.h"
#include "slotbook/system_zones.h"

namespace {

std::optional<std::string> read_input(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

int print(const slotbook::JsonAnswer& answer) {
  std::cout << answer.json << '\n';
  return answer.is_error ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"slotbook slot engine: lists free appointment slots and validates bookings"};
  app.require_subcommand(1);
  std::string snapshot_path, query_path, booking_path;

  auto* slots = app.add_subcommand("slots", "print the free slots for a query");
  slots->add_option("--snapshot", snapshot_path, "snapshot JSON file ('-' = stdin)")->required();
  slots->add_option("--query", query_path, "query JSON file ('-' = stdin)")->required();

  auto* validate = app.add_subcommand("validate", "check one booking request");
  validate->add_option("--snapshot", snapshot_path, "snapshot JSON file ('-' = stdin)")->required();
  validate->add_option("--booking", booking_path, "booking JSON file ('-' = stdin)")->required();

  auto* prepare = app.add_subcommand("prepare", "print the snapshot with its zone rules embedded");
  prepare->add_option("--snapshot", snapshot_path, "snapshot JSON file ('-' = stdin)")->required();

  CLI11_PARSE(app, argc, argv);

  auto snapshot = read_input(snapshot_path);
  if (!snapshot) {
    std::cerr << "slot-engine: cannot read " << snapshot_path << '\n';
    return 1;
  }
  slotbook::SystemZoneSource zones;
  if (*prepare) return print(slotbook::prepare_json(*snapshot, zones));

  const std::string& second_path = *slots ? query_path : booking_path;
  if (second_path == "-" && snapshot_path == "-") {
    std::cerr << "slot-engine: only one input can be standard input\n";
    return 1;
  }
  auto second = read_input(second_path);
  if (!second) {
    std::cerr << "slot-engine: cannot read " << second_path << '\n';
    return 1;
  }
  if (*slots) return print(slotbook::slots_json(*snapshot, *second, &zones));
  return print(slotbook::validate_json(*snapshot, *second, &zones));
}
