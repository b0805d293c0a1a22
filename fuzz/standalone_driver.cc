// Runs a fuzz target without libFuzzer, for builds whose compiler has none (GCC): every file
// of the corpus folders first, then inputs mutated from them (bit flips, byte inserts and
// erasures, repeated runs, splices of two entries, tokens from the corpus), from a fixed seed,
// until -runs=N inputs or -max_total_time=S seconds. A crash, a sanitizer report or an
// uncaught exception ends the process, which fails the test that runs it. With clang,
// `make fuzz` links the same targets with libFuzzer instead (coverage-guided).
//
// Usage: TARGET [-runs=N] [-max_total_time=S] [-seed=N] [-max_len=N] CORPUS_DIR...

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::string;

long flag(const char* arg, const char* name, long fallback) {
  const std::size_t n = std::strlen(name);
  return std::strncmp(arg, name, n) == 0 ? std::strtol(arg + n, nullptr, 10) : fallback;
}

void run_one(const Bytes& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

Bytes mutate(const std::vector<Bytes>& corpus, std::mt19937_64& rng, std::size_t max_len) {
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  Bytes out = corpus[pick(corpus.size())];
  const int steps = 1 + static_cast<int>(rng() % 8);
  for (int s = 0; s < steps; ++s) {
    switch (rng() % 7) {
      case 0:  // flip a bit
        if (!out.empty()) {
          out[pick(out.size())] ^= static_cast<char>(1u << (rng() % 8));
        }
        break;
      case 1:  // insert a random byte
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(pick(out.size() + 1)),
                   static_cast<char>(rng() & 0xFF));
        break;
      case 2:  // erase a run
        if (!out.empty()) {
          const std::size_t at = pick(out.size());
          out.erase(at, 1 + pick(std::min<std::size_t>(16, out.size() - at)));
        }
        break;
      case 3: {  // repeat a run
        if (!out.empty()) {
          const std::size_t at = pick(out.size());
          const std::size_t len = 1 + pick(std::min<std::size_t>(32, out.size() - at));
          const Bytes run = out.substr(at, len);
          for (int r = 1 + static_cast<int>(rng() % 4); r > 0; --r) {
            out.insert(at, run);
          }
        }
        break;
      }
      case 4: {  // splice with another entry
        const Bytes& other = corpus[pick(corpus.size())];
        const std::size_t cut = pick(out.size() + 1);
        out = out.substr(0, cut) + other.substr(pick(other.size() + 1));
        break;
      }
      case 5: {  // a token of the corpus (between separators) somewhere else
        const Bytes& other = corpus[pick(corpus.size())];
        if (!other.empty()) {
          const std::size_t at = pick(other.size());
          std::size_t end = at;
          while (end < other.size() && std::strchr(",\n\" :{}[]", other[end]) == nullptr) {
            ++end;
          }
          out.insert(pick(out.size() + 1), other.substr(at, end - at + 1));
        }
        break;
      }
      default: {  // an interesting byte
        static const char special[] = {'\0',   '"',    ',',    '\n', '\r', ';', '\\', '\x7f',
                                       '\xc3', '\xff', '\xef', '{',  '}',  '[', ']',  '-'};
        if (!out.empty()) {
          out[pick(out.size())] = special[pick(sizeof special)];
        }
        break;
      }
    }
  }
  if (out.size() > max_len) {
    out.resize(max_len);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 100000;
  long seconds = 10;
  long seed = 1;
  long max_len = 4096;
  std::vector<Bytes> corpus;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (a[0] == '-') {
      runs = flag(a, "-runs=", runs);
      seconds = flag(a, "-max_total_time=", seconds);
      seed = flag(a, "-seed=", seed);
      max_len = flag(a, "-max_len=", max_len);
      continue;
    }
    for (const auto& e : std::filesystem::recursive_directory_iterator(a)) {
      if (e.is_regular_file()) {
        std::ifstream in(e.path(), std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files given\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (const auto& input : corpus) {
    run_one(input);
  }
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  long done = 0;
  while (done < runs && elapsed() < static_cast<double>(seconds)) {
    run_one(mutate(corpus, rng, static_cast<std::size_t>(max_len)));
    ++done;
  }
  std::printf("%s: %zu corpus inputs + %ld mutated inputs in %.1f s, no crash\n", argv[0],
              corpus.size(), done, elapsed());
  return 0;
}
