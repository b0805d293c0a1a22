#include "core/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace aa::core {

void for_each_range(std::size_t n, std::size_t min_per_thread,
                    const std::function<void(std::size_t, std::size_t)>& work, unsigned threads) {
  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  const std::size_t parts = std::min<std::size_t>(
      threads, std::max<std::size_t>(n / std::max<std::size_t>(min_per_thread, 1), 1));
  if (parts <= 1) {
    work(0, n);
    return;
  }
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> workers;
  workers.reserve(parts - 1);
  const auto run = [&](std::size_t t) {
    try {
      work(n * t / parts, n * (t + 1) / parts);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  for (std::size_t t = 1; t < parts; ++t) {
    workers.emplace_back(run, t);
  }
  run(0);
  for (auto& worker : workers) {
    worker.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }
}

}  // namespace aa::core
