// Random clinics for property, parity and fuzz tests: snapshots in many time zones with
// DST and odd offsets, hours that touch midnight and 24:00, overrides, closures, buffers,
// steps that do not divide the hours, busy time, and queries around DST transitions.
// Deterministic for a given seed.
#ifndef SLOTBOOK_TESTS_SUPPORT_RANDOM_CLINIC_H_
#define SLOTBOOK_TESTS_SUPPORT_RANDOM_CLINIC_H_

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slotbook::test {

struct RandomCase {
  nlohmann::json snapshot;
  nlohmann::json query;    // for `slots`
  nlohmann::json booking;  // for `validate`
};

class RandomClinics {
 public:
  explicit RandomClinics(std::uint64_t seed) : rng_(seed) {}

  RandomCase next();
  // A copy of `valid` with one field broken (wrong type, out of range, malformed...).
  nlohmann::json break_snapshot(nlohmann::json valid);
  nlohmann::json break_query(nlohmann::json valid);

  static const std::vector<std::string>& zones();

 private:
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }
  std::string hh_mm(int minutes) const;
  nlohmann::json day_hours();
  std::string random_date();
  std::string random_instant_near(const std::string& date);

  std::mt19937_64 rng_;
};

}  // namespace slotbook::test

#endif  // SLOTBOOK_TESTS_SUPPORT_RANDOM_CLINIC_H_
