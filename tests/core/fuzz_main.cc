// Random-mutation fuzzing of the engine's JSON API, built with ASan and UBSan. Inputs are
// the contract's cases and generated clinics, mutated at the byte level (flips, cuts,
// splices, duplicated spans) and at the JSON level (values replaced by other types,
// extreme numbers, odd strings). Every answer must be a well-formed JSON object: the
// contract's answer or its error, never a crash or a hang; sanitizers abort on UB.
//
//   engine_fuzz --inputs 100000 --seed 1 tests/data
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/random_clinic.h"
#include "slotbook/json_api.h"
#include "slotbook/system_zones.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }

  std::string bytes(std::string text, const std::string& donor) {
    int edits = uniform(1, 4);
    for (int i = 0; i < edits; ++i) {
      std::size_t at =
          text.empty() ? 0 : static_cast<std::size_t>(uniform(0, static_cast<int>(text.size())));
      switch (uniform(0, 5)) {
        case 0:
          if (at < text.size()) text[at] = static_cast<char>(uniform(0, 255));
          break;
        case 1:
          text.erase(at, static_cast<std::size_t>(uniform(1, 16)));
          break;
        case 2:
          text.insert(at, 1, "{}[]\",:0-9.eE\\tnfu"[uniform(0, 17)]);
          break;
        case 3:
          text.insert(
              at, donor.substr(static_cast<std::size_t>(uniform(0, static_cast<int>(donor.size()))),
                               24));
          break;
        case 4:
          text.resize(at);
          break;
        default:
          text.insert(at, text.substr(at, static_cast<std::size_t>(uniform(1, 64))));
          break;
      }
    }
    return text;
  }

  json structure(json value) {
    int edits = uniform(1, 3);
    for (int i = 0; i < edits; ++i) mutate_somewhere(value, uniform(0, 6));
    return value;
  }

 private:
  json odd_value() {
    static const std::vector<json> kValues = {nullptr,
                                              true,
                                              0,
                                              -1,
                                              1,
                                              480,
                                              481,
                                              1440,
                                              1441,
                                              525601,
                                              3651,
                                              -9223372036854775807LL - 1,
                                              18446744073709551615ULL,
                                              1e308,
                                              -0.0,
                                              30.0,
                                              "",
                                              "24:00",
                                              "23:59",
                                              "00:00",
                                              "25:61",
                                              "x",
                                              "2026-02-29",
                                              "2028-02-29",
                                              "0000-01-01",
                                              "9999-12-31",
                                              "2026-12-01T14:00:00Z",
                                              "2026-12-01T14:00:00.999999999+14:00",
                                              "9999-12-31T23:59:59-23:59",
                                              "0000-01-01T00:00:00+23:59",
                                              "any",
                                              "Pacific/Kiritimati",
                                              "America/Godthab",
                                              "Etc/GMT+12",
                                              json::array(),
                                              json::object(),
                                              json::array({"monday"}),
                                              json::object({{"start", "00:00"}, {"end", "24:00"}})};
    return kValues[static_cast<std::size_t>(uniform(0, static_cast<int>(kValues.size()) - 1))];
  }

  void mutate_somewhere(json& value, int depth) {
    if (value.is_object() && !value.empty() && depth > 0 && uniform(0, 3) > 0) {
      auto it = value.begin();
      std::advance(it, uniform(0, static_cast<int>(value.size()) - 1));
      if (uniform(0, 9) == 0) {
        value.erase(it);
      } else {
        mutate_somewhere(*it, depth - 1);
      }
      return;
    }
    if (value.is_array() && !value.empty() && depth > 0 && uniform(0, 3) > 0) {
      auto index = static_cast<std::size_t>(uniform(0, static_cast<int>(value.size()) - 1));
      if (uniform(0, 9) == 0) {
        value.push_back(value[index]);
      } else {
        mutate_somewhere(value[index], depth - 1);
      }
      return;
    }
    value = odd_value();
  }

  std::mt19937_64 rng_;
};

bool well_formed(const slotbook::JsonAnswer& answer) {
  json parsed = json::parse(answer.json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return false;
  bool is_error = parsed.contains("error");
  return is_error == answer.is_error;
}

}  // namespace

int main(int argc, char** argv) {
  long inputs = 100000;
  std::uint64_t seed = 1;
  std::string data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--inputs" && i + 1 < argc)
      inputs = std::atol(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else
      data_dir = arg;
  }
  // Seeds: the contract's cases plus generated clinics.
  std::vector<std::pair<std::string, std::string>> seeds;  // (snapshot, query or booking)
  if (!data_dir.empty()) {
    for (const auto& entry : fs::recursive_directory_iterator(data_dir)) {
      if (entry.path().filename() != "snapshot.json") continue;
      fs::path dir = entry.path().parent_path();
      for (const char* other : {"query.json", "booking.json"}) {
        if (fs::exists(dir / other))
          seeds.emplace_back(read_file(entry.path()), read_file(dir / other));
      }
    }
  }
  slotbook::test::RandomClinics clinics(seed);
  for (int i = 0; i < 60; ++i) {
    auto c = clinics.next();
    seeds.emplace_back(c.snapshot.dump(), c.query.dump());
    seeds.emplace_back(c.snapshot.dump(), c.booking.dump());
  }

  slotbook::SystemZoneSource zones;
  // Prepared copies, so the embedded zone_rules get mutated too.
  std::size_t base = seeds.size();
  for (std::size_t i = 0; i < base; i += 3) {
    auto prepared = slotbook::prepare_json(seeds[i].first, zones);
    if (!prepared.is_error) seeds.emplace_back(prepared.json, seeds[i].second);
  }

  Mutator mutate(seed);
  auto started = std::chrono::steady_clock::now();
  long answers = 0, errors = 0;
  for (long n = 0; n < inputs; ++n) {
    const auto& [snapshot_seed, other_seed] =
        seeds[static_cast<std::size_t>(mutate.uniform(0, static_cast<int>(seeds.size()) - 1))];
    std::string snapshot = snapshot_seed, other = other_seed;
    int mode = mutate.uniform(0, 9);
    if (mode < 3) {
      snapshot = mutate.bytes(snapshot, other);
    } else if (mode < 5) {
      other = mutate.bytes(other, snapshot);
    } else if (mode < 8) {
      snapshot = mutate.structure(json::parse(snapshot)).dump();
    } else {
      other = mutate.structure(json::parse(other)).dump();
    }
    bool is_query = other.find("start_date") != std::string::npos;
    slotbook::JsonAnswer answer;
    switch (mutate.uniform(0, 5)) {
      case 0:
        answer = slotbook::prepare_json(snapshot, zones);
        break;
      case 1:
        answer = slotbook::slots_json(snapshot, other, nullptr);
        break;
      default:
        answer = is_query ? slotbook::slots_json(snapshot, other, &zones)
                          : slotbook::validate_json(snapshot, other, &zones);
    }
    if (!well_formed(answer)) {
      std::cerr << "malformed answer\nsnapshot: " << snapshot << "\nother: " << other
                << "\nanswer: " << answer.json << '\n';
      return 1;
    }
    (answer.is_error ? errors : answers)++;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "fuzz: " << inputs << " inputs (" << answers << " answers, " << errors
            << " errors) in " << seconds << " s, seed " << seed << ", no crash, no UB\n";
  return 0;
}
