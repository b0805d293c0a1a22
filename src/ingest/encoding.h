#pragma once
// UTF-8 validation for text values.

#include <cstddef>
#include <string_view>

namespace aa::ingest {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos if the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

}  // namespace aa::ingest
