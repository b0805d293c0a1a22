#pragma once
// The generator's random numbers: splitmix64, small, fast and the same on every platform
// (std distributions are not). One stream per member, so members can be generated in any order.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace aa::sample {

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream) : state_(seed * 0x9E3779B97F4A7C15ULL ^ stream) {
    next();
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double normal() {
    const double u1 = std::max(uniform(), 1e-300);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
  }
  template <std::size_t N>
  std::size_t pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if ((x -= weights[i]) < 0) {
        return i;
      }
    }
    return N - 1;
  }

 private:
  std::uint64_t state_;
};

}  // namespace aa::sample
