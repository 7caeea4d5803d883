// Prints generated clinics as a JSON array, for tests written in other languages (the
// native/WebAssembly parity test):
//   gen-cases --count 300 --seed 7
//   [{"snapshot": ..., "query": ..., "booking": ..., "broken_snapshot": ..., "broken_query": ...}]
#include <cstdlib>
#include <iostream>
#include <string>

#include "random_clinic.h"

int main(int argc, char** argv) {
  int count = 300;
  std::uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--count") count = std::atoi(argv[i + 1]);
    if (flag == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  slotbook::test::RandomClinics clinics(seed);
  nlohmann::json cases = nlohmann::json::array();
  for (int i = 0; i < count; ++i) {
    auto c = clinics.next();
    nlohmann::json broken_snapshot = clinics.break_snapshot(c.snapshot);
    nlohmann::json broken_query = clinics.break_query(c.query);
    cases.push_back({{"snapshot", c.snapshot},
                     {"query", c.query},
                     {"booking", c.booking},
                     {"broken_snapshot", broken_snapshot},
                     {"broken_query", broken_query}});
  }
  std::cout << cases.dump() << '\n';
  return 0;
}
