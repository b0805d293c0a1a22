#pragma once
// Splits [0, n) into one contiguous range per core and runs `work(begin, end)` on each, in
// threads; the calling thread takes the first range. An exception in any range is rethrown
// here after every thread has finished.

#include <cstddef>
#include <functional>

namespace aa::core {

// Threads used: min(cores, n / min_per_thread), at least 1; `threads` > 0 overrides the cores.
void for_each_range(std::size_t n, std::size_t min_per_thread,
                    const std::function<void(std::size_t, std::size_t)>& work,
                    unsigned threads = 0);

}  // namespace aa::core
