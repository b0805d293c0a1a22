#pragma once
// gzip compression of a whole buffer, with zlib's stream held by a small RAII owner so that it
// is released on every path.

#include <string>

namespace aa::server {

// `data` gzip-compressed at `level` (1 fast .. 9 small); std::runtime_error if zlib fails.
std::string gzip(const std::string& data, int level);

}  // namespace aa::server
